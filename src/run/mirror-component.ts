/**
 * One component, step by step: plan → (a plan stops here) → transfer → record → links → images →
 * prune. A new step is one module and one line here. Per-file failures end up in the outcomes;
 * anything wider is thrown for the topic to judge (failures.ts).
 */

import { freeBytes } from "../tree/free-space.js";
import { copyImages } from "./copy-images.js";
import { leaveSnapshotMode } from "./leave-snapshot-mode.js";
import { placeLinks } from "./place-links.js";
import { planFiles, selectFiles } from "./plan-files.js";
import { previousComponent } from "./previous-component.js";
import { pruneFiles } from "./prune-files.js";
import { publishFiles } from "./publish-snapshot.js";
import { recordFiles } from "./record-files.js";
import { reuseFiles } from "./reuse-files.js";
import { componentSummary, failureOf } from "./summarize.js";
import { transferFiles } from "./transfer-files.js";
import type {
  ComponentSummary,
  ComponentTarget,
  ListedFiles,
  RunContext,
  TopicTarget,
} from "./types.js";

export async function mirrorComponent(
  target: ComponentTarget,
  listed: ListedFiles,
  topic: TopicTarget,
  context: RunContext,
): Promise<ComponentSummary> {
  const started = performance.now();
  const { component, folder } = target;
  context.emit({
    type: "component",
    topic: topic.topic.name,
    componentId: component.id,
    componentName: component.name,
    componentType: component.type,
    folder,
  });
  await leaveSnapshotMode(target, topic, context);
  const selected = selectFiles(target, listed, topic);
  const reused = await reuseFiles(target, selected.files, context);
  const planned = await planFiles(target, { listed, selected, reused }, topic, context);
  const error = planned.pruneRefusal === undefined ? undefined : failureOf(planned.pruneRefusal);
  const previous = await previousComponent(planned, context.signal);
  if (context.settings.dryRun) {
    const freeBytesThere = await freeBytes(folder);
    return componentSummary(target, planned.counts, started, {
      freeBytes: freeBytesThere,
      previous,
      error,
    });
  }
  const transferred = await transferFiles(planned, topic, context);
  const recorded = await recordFiles(planned, transferred, context);
  const links = await placeLinks(planned, transferred, recorded, context);
  await copyImages(planned, topic, context);
  const pruned = await pruneFiles(planned, recorded, context);
  const published = await publishFiles(planned, recorded, context);
  return componentSummary(target, planned.counts, started, {
    outcomes: recorded.outcomes,
    removed: pruned.removed,
    notRemoved: pruned.kept,
    links,
    reused: reused.count,
    published,
    previous,
    error,
  });
}
