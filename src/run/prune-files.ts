/**
 * Step "prune": deletes what the files list no longer has, the folders left empty and stale
 * partial downloads; only after a run in which every file succeeded, never with --no-prune, and
 * not at all when the plan removes more than --max-delete allows (plan-files.ts decided that).
 */
import { removeStalePartials } from "../transfer/partial.js";
import { pruneEntries, removeEmptyDirectories } from "../tree/prune.js";
import type { PlannedComponent } from "./plan-files.js";
import type { Recorded } from "./record-files.js";
import type { RunContext } from "./types.js";

export interface Pruned {
  /** The paths removed (relative to the component folder). */
  readonly removed: readonly string[];
  /** Entries the list no longer has that stay: --no-prune, --max-delete, or a run with failures. */
  readonly kept: number;
}

export async function pruneFiles(
  planned: PlannedComponent,
  recorded: Recorded,
  context: RunContext,
): Promise<Pruned> {
  const { folder } = planned.target;
  const doomed = planned.plan.actions.flatMap((action) =>
    action.kind === "prune" ? [action.path] : [],
  );
  // Partial downloads are dci-mirror's own: stale ones go whatever the prune settings say.
  if (!recorded.hasFailures) await removeStalePartials(folder, planned.files);
  const mayPrune = context.settings.prune && planned.pruneRefusal === undefined;
  if (recorded.hasFailures || !mayPrune) return { removed: [], kept: doomed.length };
  const removed = await pruneEntries(folder, doomed, context.signal);
  for (const path of removed) context.emit({ type: "prune", path });
  await removeEmptyDirectories(folder, context.signal);
  return { removed, kept: doomed.length - removed.length };
}
