/**
 * Puts a file the pool already holds at its place in a new folder: a hard link (no byte copied, no
 * space used) or, where the file system refuses one, a copy made with copyFile's FICLONE (a reflink
 * where the file system has them). Like place.ts, it goes to a temporary name beside the final one
 * and is renamed into place, so the final name only ever holds the complete file.
 */
import { randomUUID } from "node:crypto";
import { constants } from "node:fs";
import { copyFile, link, lstat, open, rename, unlink } from "node:fs/promises";
import { dirname, join, posix } from "node:path";
import { hasErrno, throwLocalIo } from "./io-errors.js";
import { type LinkSource, matchesEntry } from "./link-pool.js";
import { type PlacedStats, syncDirectory, TEMP_PREFIX } from "./place.js";
import { ensureDirectoryInside, safeJoin } from "./safe-join.js";

/** What `link` says when this file system cannot link here (another device, no support, too many links). */
export const LINK_REFUSED_CODES = ["EXDEV", "EPERM", "ENOTSUP", "EOPNOTSUPP", "EMLINK"] as const;
export type LinkRefusedCode = (typeof LINK_REFUSED_CODES)[number];

export interface LinkIntoOptions {
  readonly source: LinkSource;
  /** The folder being assembled; the file goes to `root/relPath`. */
  readonly root: string;
  readonly relPath: string;
  readonly signal: AbortSignal;
  /** Told each time a link was refused and the file copied instead (the caller says it once). */
  readonly onFallback: (code: LinkRefusedCode) => void;
}

export interface LinkIntoResult {
  readonly how: "linked" | "copied";
  /** The placed file's lstat, for its verified record entry. */
  readonly stats: PlacedStats;
}

/**
 * Places `source` at `root/relPath` (parent folders made real inside root, a symlink on the way
 * replaced, never followed). Returns undefined when the source no longer matches its record (it
 * changed since the pool found it: download it instead). Throws LocalIOError naming the path.
 */
export async function linkInto(options: LinkIntoOptions): Promise<LinkIntoResult | undefined> {
  const { source, root, relPath, signal } = options;
  signal.throwIfAborted();
  const finalPath = safeJoin(root, relPath);
  await ensureDirectoryInside(root, posix.dirname(relPath), signal);
  const tempPath = join(dirname(finalPath), `${TEMP_PREFIX}${randomUUID()}`);
  try {
    const how = await linkOrCopy(source.path, tempPath, options.onFallback);
    const placed = await lstat(tempPath);
    // A link shares the source's inode: the source it reached must still be the recorded file. A
    // copy has its own: the source must still match after it, and the copy be of its size.
    const sound =
      how === "linked"
        ? matchesEntry(placed, source.entry)
        : placed.size === source.entry.sizeBytes && (await sourceStillMatches(source));
    if (!sound) {
      await unlink(tempPath);
      return undefined;
    }
    await rename(tempPath, finalPath);
    await syncDirectory(dirname(finalPath));
    return { how, stats: { sizeBytes: placed.size, mtimeMs: placed.mtimeMs, ino: placed.ino } };
  } catch (error) {
    await unlink(tempPath).catch(() => undefined); // Best effort: a leftover temp is pruned next run.
    if (hasErrno(error, "ENOENT") && !(await sourceStillMatches(source))) return undefined;
    throwLocalIo(error, signal, "link or copy the file into place at", finalPath);
  }
}

/** Hard-links `from` at `to` (never following a link at `from`), or copies it where links are refused. */
async function linkOrCopy(
  from: string,
  to: string,
  onFallback: (code: LinkRefusedCode) => void,
): Promise<"linked" | "copied"> {
  try {
    await link(from, to);
    return "linked";
  } catch (error) {
    const code = LINK_REFUSED_CODES.find((refused) => hasErrno(error, refused));
    if (code === undefined) throw error;
    // EXCL: the temp name is fresh, and nothing standing there may be written through.
    await copyFile(from, to, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
    await syncFile(to);
    onFallback(code);
    return "copied";
  }
}

/** fsyncs a copied file before its rename, as place.ts does for downloads. */
async function syncFile(path: string): Promise<void> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function sourceStillMatches(source: LinkSource): Promise<boolean> {
  const stats = await lstat(source.path).catch(() => undefined);
  return stats !== undefined && matchesEntry(stats, source.entry);
}
