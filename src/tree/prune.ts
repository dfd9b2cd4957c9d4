/**
 * Removing what the mirror no longer lists. Runs only after a run without errors (the caller's
 * rule, as rclone's "not deleting files as there were IO errors"), never follows a link, and never
 * touches the tool's own `.dci-mirror*` bookkeeping.
 */
import { lstat, readdir, rmdir, unlink } from "node:fs/promises";
import { join } from "node:path";
import { BOOKKEEPING_PREFIX } from "./bookkeeping.js";
import { hasErrno, throwLocalIo } from "./io-errors.js";
import { safeSegments } from "./safe-join.js";

/** Unlinks the listed files, symlinks and other non-directories; returns the paths removed. Throws LocalIOError. */
export async function pruneEntries(
  root: string,
  relPaths: readonly string[],
  signal: AbortSignal,
): Promise<string[]> {
  // Relative directories already proven real (not links), so each is lstat'ed once per call.
  const realDirectories = new Set<string>();
  const removed: string[] = [];
  for (const relPath of relPaths) {
    signal.throwIfAborted();
    const segments = safeSegments(relPath);
    if (segments[0]?.startsWith(BOOKKEEPING_PREFIX)) continue;
    const path = join(root, ...segments);
    try {
      // Through a linked parent, unlink would delete a file outside root: such paths are skipped.
      if (!(await parentsAreReal(root, segments, realDirectories))) continue;
      const stats = await lstat(path);
      // Directories go only once empty, through removeEmptyDirectories.
      if (stats.isDirectory()) continue;
      await unlink(path);
      removed.push(relPath);
    } catch (error) {
      // Already gone: what prune wanted anyway.
      if (hasErrno(error, "ENOENT")) continue;
      throwLocalIo(error, signal, "remove", path);
    }
  }
  return removed;
}

async function parentsAreReal(
  root: string,
  segments: readonly string[],
  realDirectories: Set<string>,
): Promise<boolean> {
  for (let depth = 1; depth < segments.length; depth++) {
    const relDir = segments.slice(0, depth).join("/");
    if (realDirectories.has(relDir)) continue;
    if (!(await lstat(join(root, relDir))).isDirectory()) return false;
    realDirectories.add(relDir);
  }
  return true;
}

/**
 * Removes every directory under root left empty, children before parents (never root, never the
 * root-level `.dci-mirror*` entries); returns them in removal order. Throws LocalIOError.
 */
export async function removeEmptyDirectories(root: string, signal: AbortSignal): Promise<string[]> {
  const removed: string[] = [];
  try {
    await removeEmptyBelow(root, "", signal, removed);
  } catch (error) {
    throwLocalIo(error, signal, "remove empty directories under", root);
  }
  return removed;
}

/** Empties relDir of empty subdirectories; true when nothing is left in it. */
async function removeEmptyBelow(
  root: string,
  relDir: string,
  signal: AbortSignal,
  removed: string[],
): Promise<boolean> {
  signal.throwIfAborted();
  const dirents = await readdir(join(root, relDir), { withFileTypes: true }).catch(
    (error: unknown) => {
      if (hasErrno(error, "ENOENT")) return [];
      throw error;
    },
  );
  let remainingCount = 0;
  for (const dirent of dirents) {
    const relPath = relDir === "" ? dirent.name : `${relDir}/${dirent.name}`;
    // A Dirent describes the entry itself: a symlink to a directory is not a directory here.
    const isCandidate =
      dirent.isDirectory() && !(relDir === "" && dirent.name.startsWith(BOOKKEEPING_PREFIX));
    if (
      isCandidate &&
      (await removeEmptyBelow(root, relPath, signal, removed)) &&
      (await removeDirectory(join(root, relPath)))
    ) {
      removed.push(relPath);
    } else {
      remainingCount++;
    }
  }
  return remainingCount === 0;
}

async function removeDirectory(path: string): Promise<boolean> {
  try {
    await rmdir(path);
    return true;
  } catch (error) {
    // Something was written into it meanwhile, or it is gone already: either way, not ours to count.
    if (hasErrno(error, "ENOTEMPTY", "EEXIST", "ENOENT")) return false;
    throw error;
  }
}
