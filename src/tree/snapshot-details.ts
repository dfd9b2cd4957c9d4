/**
 * What the `snapshots` and `rollback` commands read of a topic folder: which types have a
 * snapshots area, and, for each snapshot, the component its verified-files record names, its
 * files and bytes, and the bytes only it holds (files whose link count is 1: a file hard-linked
 * between snapshots is shared, removing one snapshot frees nothing of it). Every look is an lstat.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { NotFoundError } from "../errors.js";
import { hasErrno, throwLocalIo } from "./io-errors.js";
import { readRecord } from "./record.js";
import { safeSegments } from "./safe-join.js";
import { listSnapshots, lstatIfPresent, type SnapshotInfo } from "./snapshot-list.js";
import { isSafeFolderName, SNAPSHOTS_REL_DIR, snapshotPath } from "./snapshot-paths.js";

export interface SnapshotDetail extends SnapshotInfo {
  /** The component name its record gives; undefined without a readable record. */
  readonly componentName: string | undefined;
  /** Files and bytes its record lists. */
  readonly files: number;
  readonly bytes: number;
  /** Bytes of the listed files that no other name on the file system links to (nlink 1). */
  readonly uniqueBytes: number;
}

/** Throws NotFoundError TOPIC_FOLDER_MISSING unless `topicFolder` is a folder (it may be reached through a link). */
export async function requireTopicFolder(topicFolder: string, signal: AbortSignal): Promise<void> {
  try {
    if ((await stat(topicFolder)).isDirectory()) return;
  } catch (error) {
    if (!hasErrno(error, "ENOENT", "ENOTDIR")) throwLocalIo(error, signal, "look at", topicFolder);
  }
  throw new NotFoundError(`${topicFolder} is not a folder: no mirrored topic there.`, {
    code: "TOPIC_FOLDER_MISSING",
    hint: "Give DEST/<topic>, the folder a sync made for the topic (e.g. /var/www/html/RHEL-9.4).",
  });
}

/** The type folders with a snapshots area (real folders only), by name. Throws LocalIOError. */
export async function snapshotTypeFolders(
  topicFolder: string,
  signal: AbortSignal,
): Promise<string[]> {
  let folder = topicFolder;
  for (const segment of SNAPSHOTS_REL_DIR.split("/")) {
    folder = join(folder, segment);
    if ((await lstatIfPresent(folder, signal))?.isDirectory() !== true) return [];
  }
  try {
    const dirents = await readdir(folder, { withFileTypes: true });
    return dirents
      .filter((dirent) => dirent.isDirectory() && isSafeFolderName(dirent.name))
      .map((dirent) => dirent.name)
      .sort();
  } catch (error) {
    throwLocalIo(error, signal, "list the snapshots in", folder);
  }
}

/** The snapshots of a type in publication order (listSnapshots), each with its record's figures. */
export async function describeSnapshots(
  topicFolder: string,
  typeFolder: string,
  signal: AbortSignal,
): Promise<SnapshotDetail[]> {
  const snapshots = await listSnapshots(topicFolder, typeFolder, signal);
  const details: SnapshotDetail[] = [];
  for (const snapshot of snapshots) {
    details.push(await describeSnapshot(topicFolder, typeFolder, snapshot, signal));
  }
  return details;
}

async function describeSnapshot(
  topicFolder: string,
  typeFolder: string,
  snapshot: SnapshotInfo,
  signal: AbortSignal,
): Promise<SnapshotDetail> {
  const folder = snapshotPath(topicFolder, typeFolder, snapshot.name);
  const record = await readRecord(folder, signal);
  const entries = Object.entries(record?.files ?? {});
  let bytes = 0;
  let uniqueBytes = 0;
  for (const [relPath, entry] of entries) {
    signal.throwIfAborted();
    bytes += entry.sizeBytes;
    const path = safePath(folder, relPath);
    if (path === undefined) continue;
    const stats = await lstatIfPresent(path, signal);
    if (stats?.isFile() === true && stats.nlink === 1) uniqueBytes += stats.size;
  }
  return {
    ...snapshot,
    componentName: record?.componentName,
    files: entries.length,
    bytes,
    uniqueBytes,
  };
}

/** `folder/relPath`, or undefined for a record path that would leave the folder. */
function safePath(folder: string, relPath: string): string | undefined {
  try {
    return join(folder, ...safeSegments(relPath));
  } catch {
    return undefined;
  }
}
