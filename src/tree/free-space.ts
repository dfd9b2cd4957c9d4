/**
 * Free space before a run writes anything: the reference downloader compares against 95 % of the
 * free space; we compare against what an unprivileged user may really use (`bavail`, not `bfree`,
 * which also counts the blocks reserved for root).
 */
import { statfs } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { LocalIOError } from "../errors.js";
import { formatBytes } from "../report/format-bytes.js";
import { hasErrno, toLocalIoError } from "./io-errors.js";

/** Bytes this user may still write on the file system holding path (or its nearest existing ancestor, as DEST may not exist yet). Throws LocalIOError. */
export async function freeBytes(path: string): Promise<number> {
  let current = resolve(path);
  for (;;) {
    try {
      const stats = await statfs(current);
      return stats.bavail * stats.bsize;
    } catch (error) {
      const parent = dirname(current);
      if (!hasErrno(error, "ENOENT", "ENOTDIR") || parent === current) {
        throw toLocalIoError(error, "measure the free space of", path);
      }
      current = parent;
    }
  }
}

/** Throws LocalIOError NO_SPACE when fewer than neededBytes are free on the file system holding path. */
export async function checkFreeSpace(neededBytes: number, path: string): Promise<void> {
  const availableBytes = await freeBytes(path);
  if (neededBytes <= availableBytes) return;
  throw new LocalIOError(
    `Not enough space: the mirror needs ${formatBytes(neededBytes)} more, ${formatBytes(availableBytes)} free on ${path}.`,
    {
      code: "NO_SPACE",
      hint: `Free at least ${formatBytes(neededBytes - availableBytes)} on that device, or narrow the selection with --arch/--variant/--include.`,
    },
  );
}
