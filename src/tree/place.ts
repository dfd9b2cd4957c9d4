/**
 * Putting bytes under their real names, the way restic's local backend saves a file: the data is
 * fsynced under a temporary name in the same file system, renamed into place (atomic: readers see
 * the old file or the new one, never a part), then the directory is fsynced so the rename itself
 * survives a crash. A final path never holds a partial file.
 */
import { randomUUID } from "node:crypto";
import type { Stats } from "node:fs";
import { lstat, open, readFile, rename, rm, unlink } from "node:fs/promises";
import { dirname, join, posix } from "node:path";
import type { LocalEntry } from "../model.js";
import { BOOKKEEPING_PREFIX } from "./bookkeeping.js";
import { hasErrno, throwLocalIo } from "./io-errors.js";
import { ensureDirectoryInside, safeJoin } from "./safe-join.js";
import { toLocalEntry } from "./scan.js";

/** Temporary names start with this, so scans skip them at the root and prune clears leftovers below. */
export const TEMP_PREFIX = `${BOOKKEEPING_PREFIX}-tmp-`;

/**
 * Writes a small file (images_list.yaml, state.json) atomically at `root/relPath`; returns its lstat
 * entry. A file that already holds exactly these bytes is left alone: a no-op sync rewrites (and
 * fsyncs) nothing, and tools watching the tree see no change. Throws LocalIOError.
 */
export async function writeFileAtomic(
  root: string,
  relPath: string,
  text: Uint8Array | string,
  signal: AbortSignal,
): Promise<LocalEntry> {
  const { finalPath, present } = await prepareFinalPath(root, relPath, signal);
  const bytes = typeof text === "string" ? Buffer.from(text) : text;
  if (present !== undefined && (await holdsBytes(finalPath, present, bytes)))
    return toLocalEntry(relPath, present);
  const tempPath = join(dirname(finalPath), `${TEMP_PREFIX}${randomUUID()}`);
  try {
    // "wx": a fresh file of our own; never opens (or follows) anything already at the name.
    const handle = await open(tempPath, "wx");
    try {
      await handle.writeFile(bytes, { signal });
      await handle.sync();
    } finally {
      // Close, then rename (restic: some systems refuse to rename an open file).
      await handle.close();
    }
    await rename(tempPath, finalPath);
    await syncDirectory(dirname(finalPath));
    return toLocalEntry(relPath, await lstat(finalPath));
  } catch (error) {
    await unlink(tempPath).catch(() => undefined); // Best effort: a leftover temp is pruned next run.
    throwLocalIo(error, signal, "write", finalPath);
  }
}

/**
 * Makes the parent of `root/relPath` a real directory and clears a directory standing at the final
 * name (rename cannot replace one). A symlink there is left for rename to replace atomically: rename
 * acts on the link itself, never on what it points to.
 */
async function prepareFinalPath(
  root: string,
  relPath: string,
  signal: AbortSignal,
): Promise<{ finalPath: string; present: Stats | undefined }> {
  const finalPath = safeJoin(root, relPath);
  await ensureDirectoryInside(root, posix.dirname(relPath), signal);
  try {
    const stats = await lstat(finalPath).catch((error: unknown) => {
      if (hasErrno(error, "ENOENT")) return undefined;
      throw error;
    });
    if (!stats?.isDirectory()) return { finalPath, present: stats };
    await rm(finalPath, { recursive: true, force: true });
  } catch (error) {
    throwLocalIo(error, signal, "clear the way for", finalPath);
  }
  return { finalPath, present: undefined };
}

/** True when `path` (lstat `stats`) is a regular file holding exactly `bytes`. */
async function holdsBytes(path: string, stats: Stats, bytes: Uint8Array): Promise<boolean> {
  if (!stats.isFile() || stats.size !== bytes.length) return false;
  try {
    return (await readFile(path)).equals(bytes);
  } catch {
    // Unreadable or gone: write it anew, which reports any real problem.
    return false;
  }
}

/** fsyncs a directory: without it a crash can lose a rename or unlink done in it. */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, "r");
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems (certain FUSE and network mounts) refuse fsync on a directory; the rename
    // itself is done, only its durability across a power loss is left to the file system.
    if (!hasErrno(error, "EINVAL", "ENOTSUP", "EOPNOTSUPP", "EISDIR")) throw error;
  } finally {
    await handle.close();
  }
}

/** What a file's record entry needs, read from the open handle before it was closed. */
export interface PlacedStats {
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  readonly ino: number;
}

/**
 * Places many verified (already fsynced) partials in one component folder. It remembers the
 * directories it made real in this run, and fsyncs each touched directory once in `flush()`
 * rather than once per file. A crash before `flush()` can lose a rename, never expose a partial
 * file: the file is then missing and is downloaded again on the next run.
 */
export class Placer {
  readonly #root: string;
  readonly #signal: AbortSignal;
  readonly #readyDirs = new Set<string>();
  readonly #touchedDirs = new Set<string>();

  constructor(root: string, signal: AbortSignal) {
    this.#root = root;
    this.#signal = signal;
  }

  /** Renames a verified partial to `root/relPath`; throws LocalIOError. */
  async place(partialPath: string, relPath: string): Promise<void> {
    const finalPath = safeJoin(this.#root, relPath);
    const relDir = posix.dirname(relPath);
    if (!this.#readyDirs.has(relDir)) {
      await ensureDirectoryInside(this.#root, relDir, this.#signal);
      for (let dir = relDir; dir !== "." && !this.#readyDirs.has(dir); dir = posix.dirname(dir))
        this.#readyDirs.add(dir);
    }
    try {
      await rename(partialPath, finalPath).catch(async (error: unknown) => {
        // A directory where the file belongs: rename cannot replace it, so clear it and try again.
        if (!hasErrno(error, "EISDIR", "ENOTEMPTY", "EEXIST")) throw error;
        await rm(finalPath, { recursive: true, force: true });
        await rename(partialPath, finalPath);
      });
    } catch (error) {
      throwLocalIo(error, this.#signal, "move the download into place at", finalPath);
    }
    this.#touchedDirs.add(dirname(finalPath));
  }

  /** fsyncs every directory a rename touched since the last flush; throws LocalIOError. */
  async flush(): Promise<void> {
    for (const directory of this.#touchedDirs) {
      try {
        await syncDirectory(directory);
      } catch (error) {
        throwLocalIo(error, this.#signal, "sync the directory", directory);
      }
    }
    this.#touchedDirs.clear();
  }
}
