/**
 * Free space before a run writes anything: the reference downloader compares bytes against 95 % of
 * the free space; we compare what the run will really take: each file rounded up to the file
 * system's blocks (600 one-byte files take 600 blocks, 2.3 MiB on a 4 KiB-block disk, not 600
 * bytes), a block per new folder, and one inode per new file and folder where the file system
 * counts inodes. Free means what an unprivileged user may use (`bavail`, not `bfree`, which also
 * counts the blocks reserved for root).
 */
import type { StatsFs } from "node:fs";
import { statfs } from "node:fs/promises";
import { LocalIOError } from "../errors.js";
import { formatBytes } from "../units.js";
import { askNearestExisting } from "./nearest-existing.js";
import type { SpaceNeed } from "./space-need.js";

/**
 * Inodes and blocks the run's own records may add: the `.dci-mirror` and partial folders, the
 * lock and its candidate, state.json and selection.json with their temp files.
 */
const BOOKKEEPING_INODES = 8;

/** statfs of the file system holding path (or its nearest existing ancestor, as DEST may not exist yet). Throws LocalIOError. */
function statfsNearest(path: string): Promise<StatsFs> {
  return askNearestExisting(path, "measure the free space of", (existing) => statfs(existing));
}

/** Bytes this user may still write on the file system holding path. Throws LocalIOError. */
export async function freeBytes(path: string): Promise<number> {
  const stats = await statfsNearest(path);
  return stats.bavail * stats.bsize;
}

/** Bytes the need takes on disk once every file is rounded up to whole blocks of blockBytes. */
export function neededBlockBytes(need: SpaceNeed, blockBytes: number): number {
  const block = Math.max(1, blockBytes);
  const roundUp = (bytes: number) => Math.ceil(bytes / block) * block;
  let total = roundUp(need.bookkeepingBytes) + need.newDirectories * block;
  for (const file of need.files) total += roundUp(file.sizeBytes) - roundUp(file.heldBytes);
  return total;
}

/** Inodes the need takes: one per new file (a resumed file's partial has its own) and folder. */
export function neededInodes(need: SpaceNeed): number {
  const newFiles = need.files.filter((file) => file.heldBytes === 0).length;
  return newFiles + need.newDirectories + BOOKKEEPING_INODES;
}

/**
 * Throws LocalIOError NO_SPACE when the file system holding path has fewer free blocks (counted
 * in its block size) or, when it counts inodes, fewer free inodes than the need takes.
 */
export async function checkFreeSpace(need: SpaceNeed, path: string): Promise<void> {
  const stats = await statfsNearest(path);
  const neededBytes = neededBlockBytes(need, stats.bsize);
  const availableBytes = stats.bavail * stats.bsize;
  if (neededBytes > availableBytes) {
    throw new LocalIOError(
      `Not enough space: the mirror needs ${formatBytes(neededBytes)} more, ${formatBytes(availableBytes)} free on ${path} (${need.files.length} files, each rounded up to the ${formatBytes(stats.bsize)} blocks of that file system).`,
      {
        code: "NO_SPACE",
        hint: `Free at least ${formatBytes(neededBytes - availableBytes)} on that device, or narrow the selection with --arch/--variant/--include.`,
      },
    );
  }
  // Some file systems (btrfs, many network ones) report no inode count: they are not limited.
  if (stats.files <= 0) return;
  const inodes = neededInodes(need);
  if (inodes <= stats.ffree) return;
  throw new LocalIOError(
    `Not enough inodes: the mirror creates ${inodes} files and folders, only ${stats.ffree} inodes free on ${path}.`,
    {
      code: "NO_SPACE",
      hint: `Free at least ${inodes - stats.ffree} inodes (delete files) on that device, use a file system with more inodes, or narrow the selection with --arch/--variant/--include.`,
    },
  );
}
