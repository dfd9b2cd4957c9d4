/**
 * Putting bytes under their real names, the way restic's local backend saves a file: the data is
 * fsynced under a temporary name in the same file system, renamed into place (atomic: readers see
 * the old file or the new one, never a part), then the directory is fsynced so the rename itself
 * survives a crash. A final path never holds a partial file.
 */
import { randomUUID } from "node:crypto";
import { constants, type Stats } from "node:fs";
import { type FileHandle, lstat, open, rename, rm, unlink, writeFile } from "node:fs/promises";
import { dirname, join, posix } from "node:path";
import type { LocalEntry } from "../model.js";
import { BOOKKEEPING_PREFIX } from "./bookkeeping.js";
import { hasErrno, throwLocalIo } from "./io-errors.js";
import { ensureDirectoryInside, safeJoin } from "./safe-join.js";
import { toLocalEntry } from "./scan.js";

/** Temporary names start with this, so scans skip them at the root and prune clears leftovers below. */
export const TEMP_PREFIX = `${BOOKKEEPING_PREFIX}-tmp-`;

/**
 * What writeFileAtomic writes: bytes, a string, or a function giving the text in pieces. Pieces keep
 * a 20,000-entry state.json (4 MB) from ever being one string plus one buffer in memory; the
 * function is called again for each pass over the text.
 */
export type FileContent = Uint8Array | string | (() => Iterable<string>);

/** About how many bytes of piecewise content are encoded, compared or written at a time. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Writes a bookkeeping file (images_list.yaml, state.json, selection.json) atomically at
 * `root/relPath`; returns its lstat entry. A file that already holds exactly these bytes is left
 * alone: a no-op sync rewrites (and fsyncs) nothing, and tools watching the tree see no change.
 * Throws LocalIOError.
 */
export async function writeFileAtomic(
  root: string,
  relPath: string,
  content: FileContent,
  signal: AbortSignal,
): Promise<LocalEntry> {
  const { finalPath, present } = await prepareFinalPath(root, relPath, signal);
  if (present !== undefined && (await holdsContent(finalPath, present, content)))
    return toLocalEntry(relPath, present);
  const tempPath = join(dirname(finalPath), `${TEMP_PREFIX}${randomUUID()}`);
  try {
    await replaceFile(finalPath, tempPath, byteChunks(content), signal);
    return toLocalEntry(relPath, await lstat(finalPath));
  } catch (error) {
    throwLocalIo(error, signal, "write", finalPath);
  }
}

/**
 * Replaces `finalPath` with `chunks` through `tempPath`, a new name beside it: written, fsynced,
 * renamed over `finalPath`, then the folder fsynced, so a reader sees the old file or the new one,
 * never half of one. On failure the temp is removed (best effort) and the error rethrown as is.
 */
export async function replaceFile(
  finalPath: string,
  tempPath: string,
  chunks: Iterable<Uint8Array | string>,
  signal?: AbortSignal,
): Promise<void> {
  try {
    // "wx": a fresh file of our own; never opens (or follows) anything already at the name.
    const handle = await open(tempPath, "wx");
    try {
      // fs.writeFile, not handle.writeFile: only its types take an iterable (both accept one).
      await writeFile(handle, chunks, signal === undefined ? {} : { signal });
      await handle.sync();
    } finally {
      // Close, then rename (restic: some systems refuse to rename an open file).
      await handle.close();
    }
    await rename(tempPath, finalPath);
    await syncDirectory(dirname(finalPath));
  } catch (error) {
    await unlink(tempPath).catch(() => undefined); // Best effort: a leftover temp is pruned next run.
    throw error;
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

/** The content as buffers of about CHUNK_BYTES (a string or bytes as one). */
function* byteChunks(content: FileContent): Generator<Uint8Array> {
  if (typeof content !== "function") {
    yield typeof content === "string" ? Buffer.from(content) : content;
    return;
  }
  let pieces: string[] = [];
  let length = 0;
  for (const piece of content()) {
    pieces.push(piece);
    length += piece.length;
    if (length < CHUNK_BYTES) continue;
    yield Buffer.from(pieces.join(""));
    pieces = [];
    length = 0;
  }
  if (pieces.length > 0) yield Buffer.from(pieces.join(""));
}

/**
 * True when `path` (lstat `stats`) is a regular file holding exactly `content`, compared a chunk at
 * a time so neither side is ever whole in memory.
 */
async function holdsContent(path: string, stats: Stats, content: FileContent): Promise<boolean> {
  if (!stats.isFile()) return false;
  let handle: FileHandle | undefined;
  try {
    // No symlink is followed: present was a file at lstat, and a swap since must not be read.
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    let position = 0;
    for (const chunk of byteChunks(content)) {
      if (position + chunk.length > stats.size) return false;
      const held = Buffer.alloc(chunk.length);
      const { bytesRead } = await handle.read(held, 0, chunk.length, position);
      if (bytesRead !== chunk.length || !held.equals(chunk)) return false;
      position += chunk.length;
    }
    return position === stats.size;
  } catch {
    // Unreadable or gone: write it anew, which reports any real problem.
    return false;
  } finally {
    await handle?.close().catch(() => undefined);
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
  /** Verified files waiting for a folder at their place to go: relPath → temp path beside it. */
  readonly #held = new Map<string, string>();

  constructor(root: string, signal: AbortSignal) {
    this.#root = root;
    this.#signal = signal;
  }

  /**
   * Renames a verified partial to `root/relPath`; throws LocalIOError. A folder standing there is
   * not removed now (the run may still fail, and the folder may hold unlisted files): the bytes
   * are held beside it until placeHeld() (after a clean run) or dropHeld().
   */
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
        // A directory where the file belongs: rename cannot replace it, and it must stay for now.
        if (!hasErrno(error, "EISDIR", "ENOTEMPTY", "EEXIST")) throw error;
        const heldPath = join(dirname(finalPath), `${TEMP_PREFIX}${randomUUID()}`);
        await rename(partialPath, heldPath);
        this.#held.set(relPath, heldPath);
      });
    } catch (error) {
      throwLocalIo(error, this.#signal, "move the download into place at", finalPath);
    }
    this.#touchedDirs.add(dirname(finalPath));
  }

  /** Paths of verified files held back because a folder stands at their place, sorted. */
  get heldPaths(): string[] {
    return [...this.#held.keys()].sort();
  }

  /**
   * After a clean run: removes each folder standing where a held file belongs (with its unlisted
   * contents, as prune would) and renames the file into place. Throws LocalIOError.
   */
  async placeHeld(): Promise<void> {
    for (const [relPath, heldPath] of this.#held) {
      const finalPath = safeJoin(this.#root, relPath);
      try {
        await rm(finalPath, { recursive: true, force: true });
        await rename(heldPath, finalPath);
      } catch (error) {
        throwLocalIo(error, this.#signal, "replace the folder with the file", finalPath);
      }
      this.#held.delete(relPath);
      this.#touchedDirs.add(dirname(finalPath));
    }
  }

  /** After a failed run: deletes the held files (their folders stay); returns their paths. */
  async dropHeld(): Promise<string[]> {
    const paths = this.heldPaths;
    for (const heldPath of this.#held.values()) {
      // Best effort: a leftover temp name is cleared by the next clean run's prune.
      await unlink(heldPath).catch(() => undefined);
    }
    this.#held.clear();
    return paths;
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
