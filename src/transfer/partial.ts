/**
 * Partial downloads: where they live, what they are named, what they hold. A partial belongs to one
 * path AND one expected sha256, so a new compose that changes a file of the same name and size can
 * never be spliced onto an old partial. Partials live inside the component folder (same file
 * system: the final rename is atomic and never fails with EXDEV).
 */
import { createHash } from "node:crypto";
import { mkdir, open, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { PartialFile, RemoteFile } from "../model.js";
import { BOOKKEEPING_PREFIX } from "../tree/bookkeeping.js";

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

/** The partial files present for a component, as the planner needs them. */
export async function listPartials(componentFolder: string): Promise<PartialFile[]> {
  const folder = partialDir(componentFolder);
  const names = await readdir(folder).catch(() => [] as string[]);
  const partials: PartialFile[] = [];
  for (const name of names.filter((candidate) => candidate.endsWith(SUFFIX))) {
    const base = name.slice(0, -SUFFIX.length);
    const meta = await readMeta(join(folder, `${base}.json`));
    const info = await stat(join(folder, name)).catch(() => undefined);
    if (meta === undefined || info === undefined) continue;
    partials.push({ path: meta.path, sha256: meta.sha256, heldBytes: info.size });
  }
  return partials;
}

async function readMeta(metaPath: string): Promise<PartialMeta | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(metaPath, "utf8"));
    return isMeta(parsed) ? parsed : undefined;
  } catch {
    // A missing or torn meta file makes the partial unusable: it is then downloaded afresh.
    return undefined;
  }
}

/** Creates the partial folder of a component; call once before its transfers. */
export async function preparePartialDir(componentFolder: string): Promise<void> {
  await mkdir(partialDir(componentFolder), { recursive: true });
}

/**
 * Opens the partial of a file; `heldBytes` is what a resume can build on. With `mayExist` false (the
 * planner saw no partial for this file) nothing is read from disk.
 */
export async function openPartial(
  componentFolder: string,
  file: RemoteFile,
  { mayExist }: { mayExist: boolean },
): Promise<PartialHandle> {
  const base = join(partialDir(componentFolder), partialBaseName(file));
  if (!mayExist) return { filePath: `${base}${SUFFIX}`, heldBytes: 0, etag: undefined };
  const meta = await readMeta(`${base}.json`);
  const info = await stat(`${base}${SUFFIX}`).catch(() => undefined);
  const isUsable = meta?.sha256 === file.sha256 && meta.path === file.path && info !== undefined;
  return {
    filePath: `${base}${SUFFIX}`,
    heldBytes: isUsable && info.size <= file.sizeBytes ? info.size : 0,
    etag: isUsable ? meta.etag : undefined,
  };
}

/** Records who the partial's bytes belong to, before the first byte is written (large files only). */
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
  await writeFile(
    join(partialDir(componentFolder), `${partialBaseName(file)}.json`),
    JSON.stringify(meta),
  );
}

/** Deletes a partial's meta after the partial was placed (small files have none). */
export async function removePartial(componentFolder: string, file: RemoteFile): Promise<void> {
  if (file.sizeBytes < RESUMABLE_MIN_BYTES) return;
  // The .part itself was renamed into place; only its meta is left.
  await rm(join(partialDir(componentFolder), `${partialBaseName(file)}.json`), { force: true });
}

/** Deletes every partial not in `keep` (stale partials of older composes), after a clean run. */
export async function removeStalePartials(
  componentFolder: string,
  keep: readonly RemoteFile[],
): Promise<number> {
  const folder = partialDir(componentFolder);
  const names = await readdir(folder).catch(() => [] as string[]);
  // The usual case after a clean run: nothing left, so no need to name 20,000 partials to keep.
  if (names.length === 0) return 0;
  const wanted = new Set(keep.map((file) => partialBaseName(file)));
  let removed = 0;
  for (const name of names) {
    const base = name.replace(/\.(part|json)$/, "");
    if (wanted.has(base)) continue;
    await rm(join(folder, name), { force: true });
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

/** Bytes gathered before one write: network chunks are 16–64 KiB, one pwrite each cost CPU. */
const WRITE_BATCH_BYTES = 1024 * 1024;

/**
 * Opens a partial for writing from `fromByte` on; anything after that byte is dropped first, so the
 * file always holds exactly the bytes that were hashed.
 */
export async function openPartialWriter(
  filePath: string,
  fromByte: number,
): Promise<PartialWriter> {
  const handle = await open(filePath, fromByte > 0 ? "r+" : "w");
  if (fromByte > 0) await handle.truncate(fromByte);
  let position = fromByte;
  const queued: Uint8Array[] = [];
  let queuedBytes = 0;
  const flush = async (): Promise<void> => {
    // writev: one system call for the whole batch, and no copy into a bigger buffer.
    let pending = queued.splice(0, queued.length);
    queuedBytes = 0;
    while (pending.length > 0) {
      let { bytesWritten } = await handle.writev(pending, position);
      position += bytesWritten;
      const rest: Uint8Array[] = [];
      for (const buffer of pending) {
        if (bytesWritten >= buffer.length) {
          bytesWritten -= buffer.length;
          continue;
        }
        rest.push(buffer.subarray(bytesWritten));
        bytesWritten = 0;
      }
      pending = rest;
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

/** Empties a partial whose bytes cannot be continued (changed object, ignored Range, bad hash). */
export async function truncatePartial(filePath: string): Promise<void> {
  await writeFile(filePath, "");
}
