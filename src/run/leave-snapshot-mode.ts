/**
 * Step "leave snapshot mode": a run without --snapshots over a type published in snapshot mode
 * first turns the published snapshot back into the plain folder (renames only, no download); the
 * other kept snapshots stay where they are until removed by hand or by a snapshot run.
 */

import { componentFolderName } from "../planning/folders.js";
import { unpublishSnapshot } from "../tree/snapshot-unpublish.js";
import type { ComponentTarget, RunContext, TopicTarget } from "./types.js";

export async function leaveSnapshotMode(
  target: ComponentTarget,
  topic: TopicTarget,
  context: RunContext,
): Promise<void> {
  if (target.snapshot !== undefined || context.settings.dryRun) return;
  const typeFolder = componentFolderName(target.component.type);
  const name = await unpublishSnapshot(topic.folder, typeFolder, context.signal);
  if (name === undefined) return;
  context.emit({
    type: "warning",
    code: "SNAPSHOT_MODE_LEFT",
    message: `${target.folder}: snapshot ${name} is a plain folder again (run without --snapshots).`,
  });
}
