/**
 * Partial downloads: where they live, what they are named, what they hold. A partial belongs to one
 * path AND one expected sha256, so a new compose that changes a file of the same name and size can
 * never be spliced onto an old partial. Partials live inside the component folder (same file
 * system: the final rename is atomic and never fails with EXDEV).
 */
import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { type FileHandle, lstat, open, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { PartialFile, RemoteFile } from "../model.js";
import { BOOKKEEPING_PREFIX } from "../tree/bookkeeping.js";
import { hasErrno } from "../tree/io-errors.js";
import { ensureDirectoryInside } from "../tree/safe-join.js";

// Partials and their meta are never opened through a symlink: one planted at a (predictable)
// partial name would otherwise have a download overwrite its target, outside DEST.
const { O_CREAT, O_EXCL, O_NOFOLLOW, O_RDONLY, O_RDWR, O_WRONLY } = constants;
const OPEN_EXISTING = O_RDWR | O_NOFOLLOW;
const CREATE_FRESH = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW;

/**
 * The partial on disk no longer holds the bytes hashed so far (shorter, or not a regular file):
 * something else changed it. The download starts that file again from zero; it never pads.
 */
export class PartialChangedError extends Error {
  override name = "PartialChangedError";
}

/**
 * Smaller files get no meta file, so a partial of theirs is never resumed across runs: losing at
 * most this much is cheaper than the extra writes for every small file.
 */
const RESUMABLE_MIN_BYTES = 1024 * 1024;

/** The bookkeeping folder of a component: everything the tool keeps there starts with `.dci-mirror`. */
const PARTIAL_DIR = "partial";
const SUFFIX = ".part";

interface PartialMeta {
  readonly path: string;
  readonly sha256: string;
  /** The object's strong ETag when the first byte was written; resumes send it as If-Range. */
  readonly etag?: string;
}

export interface PartialHandle {
  /** The partial's file path on disk. */
  readonly filePath: string;
  readonly heldBytes: number;
  readonly etag: string | undefined;
}

function partialDir(componentFolder: string): string {
  return join(componentFolder, BOOKKEEPING_PREFIX, PARTIAL_DIR);
}

function partialBaseName(file: Pick<RemoteFile, "path" | "sha256">): string {
  const pathHash = createHash("sha256").update(file.path).digest("hex").slice(0, 16);
  return `${file.sha256}-${pathHash}`;
}

function isMeta(value: unknown): value is PartialMeta {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof Reflect.get(value, "path") === "string" &&
    typeof Reflect.get(value, "sha256") === "string"
  );
}

/**
 * True when `.dci-mirror` and its `partial` folder are real directories (lstat, not stat): a
 * symlink there is never listed or cleaned through, as it may lead outside DEST.
 */
async function isRealPartialDir(componentFolder: string): Promise<boolean> {
  for (const folder of [join(componentFolder, BOOKKEEPING_PREFIX), partialDir(componentFolder)]) {
    const stats = await lstat(folder).catch(() => undefined);
    if (stats?.isDirectory() !== true) return false;
  }
  return true;
}

/** The lstat of a path when it is a regular file (never followed through a symlink), else undefined. */
async function regularFile(path: string): Promise<{ readonly size: number } | undefined> {
  const stats = await lstat(path).catch(() => undefined);
  return stats?.isFile() === true ? stats : undefined;
}

/** The partial files present for a component, as the planner needs them; only regular files count. */
export async function listPartials(componentFolder: string): Promise<PartialFile[]> {
  if (!(await isRealPartialDir(componentFolder))) return [];
  const folder = partialDir(componentFolder);
  const names = await readdir(folder).catch(() => [] as string[]);
  const partials: PartialFile[] = [];
  for (const name of names.filter((candidate) => candidate.endsWith(SUFFIX))) {
    const base = name.slice(0, -SUFFIX.length);
    const meta = await readMeta(join(folder, `${base}.json`));
    const info = await regularFile(join(folder, name));
    if (meta === undefined || info === undefined) continue;
    partials.push({ path: meta.path, sha256: meta.sha256, heldBytes: info.size });
  }
  return partials;
}

async function readMeta(metaPath: string): Promise<PartialMeta | undefined> {
  try {
    const handle = await open(metaPath, O_RDONLY | O_NOFOLLOW);
    try {
      const parsed: unknown = JSON.parse(await handle.readFile("utf8"));
      return isMeta(parsed) ? parsed : undefined;
    } finally {
      await handle.close();
    }
  } catch {
    // A missing, torn or symlinked meta file makes the partial unusable: it is downloaded afresh.
    return undefined;
  }
}

/**
 * Makes the partial folder of a component (and `.dci-mirror` above it) real directories; call
 * once before its transfers. A symlink standing there is removed (the link only, never what it
 * points to) and replaced by a directory, so partials always live inside DEST. Throws LocalIOError.
 */
export async function preparePartialDir(
  componentFolder: string,
  signal: AbortSignal,
): Promise<void> {
  await ensureDirectoryInside(componentFolder, `${BOOKKEEPING_PREFIX}/${PARTIAL_DIR}`, signal);
}

/**
 * Opens the partial of a file; `heldBytes` is what a resume can build on. With `mayExist` false (the
 * planner saw no partial for this file) nothing is read from disk. Only a regular file is resumed.
 */
export async function openPartial(
  componentFolder: string,
  file: RemoteFile,
  { mayExist }: { mayExist: boolean },
): Promise<PartialHandle> {
  const base = join(partialDir(componentFolder), partialBaseName(file));
  if (!mayExist) return { filePath: `${base}${SUFFIX}`, heldBytes: 0, etag: undefined };
  const meta = await readMeta(`${base}.json`);
  const info = await regularFile(`${base}${SUFFIX}`);
  const isUsable = meta?.sha256 === file.sha256 && meta.path === file.path && info !== undefined;
  return {
    filePath: `${base}${SUFFIX}`,
    heldBytes: isUsable && info.size <= file.sizeBytes ? info.size : 0,
    etag: isUsable ? meta.etag : undefined,
  };
}

/** Removes whatever stands at `path` (a symlink itself, never its target); absent is fine. */
async function unlinkEntry(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** Creates `path` afresh (O_EXCL, no symlink followed), removing whatever stood there first. */
async function createFresh(path: string): Promise<FileHandle> {
  try {
    // Usually nothing is there: trying first saves a removal per file on a 20,000-file compose.
    return await open(path, CREATE_FRESH, 0o644);
  } catch (error) {
    if (!hasErrno(error, "EEXIST")) throw error;
  }
  await unlinkEntry(path);
  return open(path, CREATE_FRESH, 0o644);
}

/**
 * Records who the partial's bytes belong to, before the first byte is written (large files only).
 * Rejects with the raw errno error on I/O failure.
 */
export async function writePartialMeta(
  componentFolder: string,
  file: RemoteFile,
  etag: string | undefined,
): Promise<void> {
  if (file.sizeBytes < RESUMABLE_MIN_BYTES) return;
  const meta: PartialMeta = {
    path: file.path,
    sha256: file.sha256,
    ...(etag === undefined ? {} : { etag }),
  };
  const handle = await createFresh(
    join(partialDir(componentFolder), `${partialBaseName(file)}.json`),
  );
  try {
    await handle.writeFile(JSON.stringify(meta));
  } finally {
    await handle.close();
  }
}

/** Deletes a partial's meta after the partial was placed (small files have none). */
export async function removePartial(componentFolder: string, file: RemoteFile): Promise<void> {
  if (file.sizeBytes < RESUMABLE_MIN_BYTES) return;
  // The .part itself was renamed into place; only its meta is left.
  await unlinkEntry(join(partialDir(componentFolder), `${partialBaseName(file)}.json`));
}

/**
 * Deletes every partial not in `keep` (stale partials of older composes), after a clean run. Never
 * deletes outside DEST: nothing is done when the partial folder (or `.dci-mirror`) is a symlink,
 * a symlinked entry loses the link only, and directories are left alone.
 */
export async function removeStalePartials(
  componentFolder: string,
  keep: readonly RemoteFile[],
): Promise<number> {
  if (!(await isRealPartialDir(componentFolder))) return 0;
  const folder = partialDir(componentFolder);
  const names = await readdir(folder).catch(() => [] as string[]);
  // The usual case after a clean run: nothing left, so no need to name 20,000 partials to keep.
  if (names.length === 0) return 0;
  const wanted = new Set(keep.map((file) => partialBaseName(file)));
  let removed = 0;
  for (const name of names) {
    const base = name.replace(/\.(part|json)$/, "");
    if (wanted.has(base)) continue;
    const stats = await lstat(join(folder, name)).catch(() => undefined);
    if (stats === undefined || stats.isDirectory()) continue;
    await unlinkEntry(join(folder, name));
    if (name.endsWith(SUFFIX)) removed++;
  }
  return removed;
}

interface PartialWriter {
  /** Queues bytes; they reach the file in batches (`finish` and `close` write what is left). */
  write(chunk: Uint8Array): Promise<void>;
  /** Writes what is queued, fsyncs, and reads size, mtime and inode (rename keeps them). */
  finish(): Promise<{ sizeBytes: number; mtimeMs: number; ino: number }>;
  /** Writes what is queued (so the file holds every byte handed over), then closes. */
  close(): Promise<void>;
}

/** Called with the bytes a write really put on disk, in file order, once they are there. */
export type OnWritten = (written: Uint8Array) => void;

/** Bytes gathered before one write: network chunks are 16–64 KiB, one pwrite each cost CPU. */
const WRITE_BATCH_BYTES = 1024 * 1024;

/**
 * Opens a partial for writing from `fromByte` on, never through a symlink. From 0, whatever stood
 * at the name is removed and a fresh file created; from N, the file must hold at least N bytes
 * (anything after byte N is dropped), else PartialChangedError: a partial is never padded.
 * `onWritten` sees each written piece, so hashing and counting follow the disk, not the network.
 * Rejects with the raw errno error on I/O failure.
 */
export async function openPartialWriter(
  filePath: string,
  fromByte: number,
  onWritten: OnWritten,
): Promise<PartialWriter> {
  const handle = fromByte > 0 ? await openHeld(filePath, fromByte) : await createFresh(filePath);
  let position = fromByte;
  const queued: Uint8Array[] = [];
  let queuedBytes = 0;
  const flush = async (): Promise<void> => {
    // writev: one system call for the whole batch, and no copy into a bigger buffer.
    let pending = queued.splice(0, queued.length);
    queuedBytes = 0;
    while (pending.length > 0) {
      const { bytesWritten } = await handle.writev(pending, position);
      position += bytesWritten;
      pending = reportWritten(pending, bytesWritten, onWritten);
    }
  };
  return {
    write: async (chunk) => {
      queued.push(chunk);
      queuedBytes += chunk.length;
      if (queuedBytes >= WRITE_BATCH_BYTES) await flush();
    },
    finish: async () => {
      await flush();
      // fsync before the rename: otherwise a crash can leave the real name on unwritten blocks.
      await handle.sync();
      const stats = await handle.stat();
      return { sizeBytes: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino };
    },
    close: async () => {
      try {
        await flush();
      } finally {
        await handle.close();
      }
    },
  };
}

/** Hands the first `bytesWritten` bytes of `pending` to `onWritten`; returns what is left to write. */
function reportWritten(
  pending: readonly Uint8Array[],
  bytesWritten: number,
  onWritten: OnWritten,
): Uint8Array[] {
  let left = bytesWritten;
  const rest: Uint8Array[] = [];
  for (const buffer of pending) {
    if (left >= buffer.length) {
      onWritten(buffer);
      left -= buffer.length;
      continue;
    }
    // A short write (a disk filling up): only its head is on disk; the tail is written next.
    if (left > 0) onWritten(buffer.subarray(0, left));
    rest.push(buffer.subarray(left));
    left = 0;
  }
  return rest;
}

/** Opens a partial that must hold at least `heldBytes` regular-file bytes, cut to exactly that many. */
async function openHeld(filePath: string, heldBytes: number): Promise<FileHandle> {
  const handle = await open(filePath, OPEN_EXISTING).catch((error: unknown) => {
    if (hasErrno(error, "ENOENT")) throw new PartialChangedError(`${filePath} is gone.`);
    throw error;
  });
  try {
    const stats = await handle.stat();
    if (!stats.isFile() || stats.size < heldBytes) {
      throw new PartialChangedError(
        `${filePath} holds ${stats.size} bytes, fewer than the ${heldBytes} already hashed.`,
      );
    }
    // Shrinks only: bytes past `heldBytes` were never hashed (a torn earlier write).
    if (stats.size > heldBytes) await handle.truncate(heldBytes);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * fsyncs a partial completed earlier (a 416 answered its resume) and reads its stats; it must be a
 * regular file of exactly `sizeBytes`, else PartialChangedError. Rejects with raw errno errors.
 */
export async function finishHeldPartial(
  filePath: string,
  sizeBytes: number,
): Promise<{ sizeBytes: number; mtimeMs: number; ino: number }> {
  const handle = await open(filePath, OPEN_EXISTING);
  try {
    const stats = await handle.stat();
    if (!stats.isFile() || stats.size !== sizeBytes) {
      throw new PartialChangedError(`${filePath} holds ${stats.size} bytes, not ${sizeBytes}.`);
    }
    await handle.sync();
    return { sizeBytes: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino };
  } finally {
    await handle.close();
  }
}

/** Drops a partial whose bytes cannot be continued (changed object, ignored Range, bad hash). */
export async function discardPartial(filePath: string): Promise<void> {
  await unlinkEntry(filePath);
}
