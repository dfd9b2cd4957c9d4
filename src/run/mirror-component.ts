/**
 * One component, step by step: plan → (a plan stops here) → transfer → record → links → images →
 * prune. A new step is one module and one line here. Per-file failures end up in the outcomes;
 * anything wider is thrown for the topic to judge (failures.ts).
 */

import type { ImagesNotCopiedError, PruneLimitError } from "../errors.js";
import { freeBytes } from "../tree/free-space.js";
import { copyImages } from "./copy-images.js";
import { leaveSnapshotMode } from "./leave-snapshot-mode.js";
import { refuseUnmatchedPackages } from "./nothing-selected.js";
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
  StepFailure,
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
    componentVersion: component.version,
    folder,
  });
  // Before anything is planned or touched: a package filter that matches nothing removes nothing.
  refuseUnmatchedPackages(target, listed, topic, context);
  await leaveSnapshotMode(target, topic, context);
  const selected = selectFiles(target, listed, topic);
  const reused = await reuseFiles(target, selected.files, context);
  const planned = await planFiles(target, { listed, selected, reused }, topic, context);
  const previous = await previousComponent(planned, context.signal);
  if (context.settings.dryRun) {
    const freeBytesThere = await freeBytes(folder);
    const error = planned.pruneRefusal === undefined ? undefined : failureOf(planned.pruneRefusal);
    return componentSummary(target, planned.counts, started, {
      freeBytes: freeBytesThere,
      previous,
      error,
    });
  }
  const transferred = await transferFiles(planned, topic, context);
  const recorded = await recordFiles(planned, transferred, context);
  const links = await placeLinks(planned, transferred, recorded, context);
  const imagesFailure = await copyImages(planned, topic, context);
  const pruned = await pruneFiles(planned, recorded, context);
  const published = await publishFiles(planned, recorded, context);
  const error = componentError(planned.pruneRefusal, imagesFailure, context);
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

/**
 * A component has one error: a refused prune (exit 9) first, then images not copied (exit 10),
 * which is still told as a warning when the prune refusal takes its place.
 */
function componentError(
  pruneRefusal: PruneLimitError | undefined,
  imagesFailure: ImagesNotCopiedError | undefined,
  context: RunContext,
): StepFailure | undefined {
  if (pruneRefusal !== undefined && imagesFailure !== undefined)
    context.emit({ type: "warning", code: imagesFailure.code, message: imagesFailure.message });
  const stopped = pruneRefusal ?? imagesFailure;
  return stopped === undefined ? undefined : failureOf(stopped);
}
