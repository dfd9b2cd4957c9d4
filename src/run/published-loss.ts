/**
 * What the consumers of `<topic>/<type>` would lose with this component's plan: in the plain mode
 * the plan's removals from that folder; in snapshot mode the entries of the published snapshot
 * (or of the plain folder a first snapshot run replaces) that the new snapshot will not have. The
 * empty-list and --max-delete checks judge this, not the fresh folder being assembled.
 */
import { join } from "node:path";
import type { Action, LocalEntry } from "../model.js";
import type { Plan } from "../planning/plan.js";
import { scanTree } from "../tree/scan.js";
import { currentSnapshot, lstatIfPresent } from "../tree/snapshot-list.js";
import { snapshotPath } from "../tree/snapshot-paths.js";
import type { ComponentTarget, ListedFiles } from "./types.js";

export interface PublishedLoss {
  /** The folder consumers read today (for messages). */
  readonly folder: string;
  /** One prune action per entry that would go. */
  readonly actions: readonly Action[];
  /** Files, links and other entries that folder holds (folders not counted). */
  readonly heldEntries: number;
}

interface PlanParts {
  readonly plan: Plan;
  readonly local: readonly LocalEntry[];
  readonly selected: ListedFiles;
  readonly keepPaths: readonly string[];
}

const held = (entries: readonly LocalEntry[]) =>
  entries.filter((entry) => entry.kind !== "directory");

export async function publishedLoss(
  target: ComponentTarget,
  parts: PlanParts,
  signal: AbortSignal,
): Promise<PublishedLoss> {
  const published = await publishedFolder(target, signal);
  if (published === undefined || published === target.folder) {
    const actions = parts.plan.actions.filter((action) => action.kind === "prune");
    return { folder: target.folder, actions, heldEntries: held(parts.local).length };
  }
  const entries = held(await scanTree(published, signal));
  const wanted = new Set([
    ...parts.selected.files.map((file) => file.path),
    ...parts.selected.symlinks.map((link) => link.path),
    ...parts.keepPaths,
  ]);
  const actions: Action[] = entries
    .filter((entry) => !wanted.has(entry.path))
    .map((entry) => ({ kind: "prune", path: entry.path, entryKind: entry.kind }));
  return { folder: published, actions, heldEntries: entries.length };
}

/** Snapshot mode: the current snapshot's folder, or the plain folder at the type path; else none. */
async function publishedFolder(
  target: ComponentTarget,
  signal: AbortSignal,
): Promise<string | undefined> {
  const snapshot = target.snapshot;
  if (snapshot === undefined) return undefined;
  const { topicFolder, typeFolder } = snapshot;
  const current = await currentSnapshot(topicFolder, typeFolder, signal);
  if (current !== undefined) return snapshotPath(topicFolder, typeFolder, current);
  const stats = await lstatIfPresent(join(topicFolder, typeFolder), signal);
  return stats?.isDirectory() === true ? join(topicFolder, typeFolder) : undefined;
}
