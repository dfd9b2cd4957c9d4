/**
 * Step "prune": deletes what the files list no longer has, the folders left empty and stale
 * partial downloads; only after a run in which every file succeeded.
 */
import { removeStalePartials } from "../transfer/partial.js";
import { pruneEntries, removeEmptyDirectories } from "../tree/prune.js";
import type { PlannedComponent } from "./plan-files.js";
import type { Recorded } from "./record-files.js";
import type { RunContext } from "./types.js";

/** Returns the paths removed (relative to the component folder). */
export async function pruneFiles(
  planned: PlannedComponent,
  recorded: Recorded,
  context: RunContext,
): Promise<string[]> {
  if (recorded.hasFailures) return [];
  const { folder } = planned.target;
  const doomed = planned.plan.actions.flatMap((action) =>
    action.kind === "prune" ? [action.path] : [],
  );
  const removed = await pruneEntries(folder, doomed, context.signal);
  for (const path of removed) context.emit({ type: "prune", path });
  await removeEmptyDirectories(folder, context.signal);
  await removeStalePartials(folder, planned.files);
  return removed;
}
