/**
 * Retention of a type's snapshots: the current one and the newest published ones are kept, older
 * published ones are removed. An unpublished snapshot (an assembly in progress) is never removed,
 * nor the one the type path points at. Removal never follows a link: a link inside a snapshot is
 * unlinked, what it points to is left alone.
 */
import { randomUUID } from "node:crypto";
import { readdir, rename, rmdir, unlink } from "node:fs/promises";
import { join } from "node:path";
import { throwLocalIo } from "./io-errors.js";
import { syncDirectory, TEMP_PREFIX } from "./place.js";
import {
  listSnapshots,
  lstatIfPresent,
  snapshotFolderNames,
  snapshotsRootIsReal,
} from "./snapshot-list.js";
import { readPublications, writePublications } from "./snapshot-log.js";
import { snapshotsRoot } from "./snapshot-paths.js";

export interface RemoveOldSnapshotsOptions {
  readonly topicFolder: string;
  readonly typeFolder: string;
  /** How many snapshots to keep in all, the current one included; at least 1. */
  readonly keep: number;
  readonly signal: AbortSignal;
}

/**
 * Removes the published snapshots beyond the `keep` newest (the current one always among the
 * kept); returns their names, oldest first. Each is first renamed to a temporary name, so a crash
 * mid-removal never leaves a half snapshot that looks whole; leftovers are cleared on the next
 * call. Throws LocalIOError (RangeError for a `keep` below 1).
 */
export async function removeOldSnapshots(options: RemoveOldSnapshotsOptions): Promise<string[]> {
  const { topicFolder, typeFolder, keep, signal } = options;
  if (!Number.isInteger(keep) || keep < 1) {
    throw new RangeError(`keep must be a whole number of at least 1, not ${keep}`);
  }
  // Through a link here, readdir and removal would act outside DEST: nothing of ours is there.
  if (!(await snapshotsRootIsReal(topicFolder, typeFolder, signal))) return [];
  const doomed = await snapshotsBeyond(topicFolder, typeFolder, keep, signal);
  const root = snapshotsRoot(topicFolder, typeFolder);
  const trash = await leftoverTrash(root, signal);
  for (const name of doomed) {
    signal.throwIfAborted();
    const trashPath = join(root, `${TEMP_PREFIX}${randomUUID()}`);
    await rename(join(root, name), trashPath).catch((error: unknown) =>
      throwLocalIo(error, signal, "move aside the old snapshot", join(root, name)),
    );
    trash.push(trashPath);
  }
  if (doomed.length > 0) {
    await syncDirectory(root).catch((error: unknown) =>
      throwLocalIo(error, signal, "sync the directory", root),
    );
    await forget(topicFolder, typeFolder, doomed, signal);
  }
  for (const path of trash) await removeTree(path, signal);
  return doomed;
}

/** The published snapshots that fall outside the current one plus the newest up to `keep`. */
async function snapshotsBeyond(
  topicFolder: string,
  typeFolder: string,
  keep: number,
  signal: AbortSignal,
): Promise<string[]> {
  const snapshots = await listSnapshots(topicFolder, typeFolder, signal);
  const kept = new Set(snapshots.filter((snapshot) => snapshot.isCurrent).map(({ name }) => name));
  const published = snapshots.filter((snapshot) => snapshot.publishedAt !== undefined);
  for (const snapshot of [...published].reverse()) {
    if (kept.size >= keep) break;
    kept.add(snapshot.name);
  }
  return published.filter((snapshot) => !kept.has(snapshot.name)).map(({ name }) => name);
}

/** Drops the removed snapshots, and any other no longer present, from the publication log. */
async function forget(
  topicFolder: string,
  typeFolder: string,
  removed: readonly string[],
  signal: AbortSignal,
): Promise<void> {
  const present = new Set(await snapshotFolderNames(topicFolder, typeFolder, signal));
  const published = await readPublications(topicFolder, typeFolder, signal);
  const left = published.filter(
    (entry) => present.has(entry.name) && !removed.includes(entry.name),
  );
  await writePublications(topicFolder, typeFolder, left, signal);
}

/** Temporary entries left in the snapshots area by an interrupted removal or log write. */
async function leftoverTrash(root: string, signal: AbortSignal): Promise<string[]> {
  try {
    const names = await readdir(root);
    return names.filter((name) => name.startsWith(TEMP_PREFIX)).map((name) => join(root, name));
  } catch (error) {
    throwLocalIo(error, signal, "list", root);
  }
}

/** Removes `path` and all below it, like `rm -r` without following any link (lstat, unlink). */
async function removeTree(path: string, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  const stats = await lstatIfPresent(path, signal);
  if (stats === undefined) return;
  try {
    if (!stats.isDirectory()) {
      await unlink(path);
      return;
    }
    for (const name of await readdir(path)) await removeTree(join(path, name), signal);
    await rmdir(path);
  } catch (error) {
    throwLocalIo(error, signal, "remove", path);
  }
}
