/**
 * Reading a type's snapshots: which one the type path points at, which folders are there, in what
 * order they were published, and the one before the current (for rollback). Only real folders in
 * the snapshots area count; every look is an lstat, so no link is ever followed.
 */
import type { Stats } from "node:fs";
import { lstat, readdir, readlink } from "node:fs/promises";
import { join } from "node:path";
import { hasErrno, throwLocalIo } from "./io-errors.js";
import { readPublications } from "./snapshot-log.js";
import {
  checkFolderName,
  isSafeFolderName,
  snapshotOfLinkText,
  snapshotsRelRoot,
} from "./snapshot-paths.js";

export interface SnapshotInfo {
  readonly name: string;
  /** When the type path was last switched to it; undefined for one never published (in progress). */
  readonly publishedAt: string | undefined;
  /** True for the one the type path points at. */
  readonly isCurrent: boolean;
}

/** lstat of `path`, or undefined when nothing (or no folder on the way) is there; throws LocalIOError. */
export async function lstatIfPresent(
  path: string,
  signal: AbortSignal,
): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if (hasErrno(error, "ENOENT", "ENOTDIR")) return undefined;
    throwLocalIo(error, signal, "look at", path);
  }
}

/** True when `<topic>/.dci-mirror/snapshots/<type>` is real folders all the way (no link on the way). */
export async function snapshotsRootIsReal(
  topicFolder: string,
  typeFolder: string,
  signal: AbortSignal,
): Promise<boolean> {
  let folder = topicFolder;
  for (const segment of snapshotsRelRoot(typeFolder).split("/")) {
    folder = join(folder, segment);
    if ((await lstatIfPresent(folder, signal))?.isDirectory() !== true) return false;
  }
  return true;
}

/** The lstat of the snapshot folder `name`, when it is a real folder reached through real folders. */
export async function snapshotFolderStats(
  topicFolder: string,
  typeFolder: string,
  name: string,
  signal: AbortSignal,
): Promise<Stats | undefined> {
  checkFolderName(name, "snapshot name");
  if (!(await snapshotsRootIsReal(topicFolder, typeFolder, signal))) return undefined;
  const stats = await lstatIfPresent(join(topicFolder, snapshotsRelRoot(typeFolder), name), signal);
  return stats?.isDirectory() === true ? stats : undefined;
}

/** The names of the real folders in the snapshots area (links, files and `.dci-mirror*` left out). */
export async function snapshotFolderNames(
  topicFolder: string,
  typeFolder: string,
  signal: AbortSignal,
): Promise<string[]> {
  if (!(await snapshotsRootIsReal(topicFolder, typeFolder, signal))) return [];
  const root = join(topicFolder, snapshotsRelRoot(typeFolder));
  try {
    // A Dirent describes the entry itself: a link to a folder is not a folder here.
    const dirents = await readdir(root, { withFileTypes: true });
    return dirents
      .filter((dirent) => dirent.isDirectory() && isSafeFolderName(dirent.name))
      .map((dirent) => dirent.name)
      .sort();
  } catch (error) {
    throwLocalIo(error, signal, "list the snapshots in", root);
  }
}

/**
 * The snapshot the type path points at: its name when it is a symlink in our exact form into this
 * type's snapshots area, else undefined (a plain folder, nothing, or a foreign link). Throws LocalIOError.
 */
export async function currentSnapshot(
  topicFolder: string,
  typeFolder: string,
  signal: AbortSignal,
): Promise<string | undefined> {
  const typePath = join(topicFolder, checkFolderName(typeFolder, "component type folder"));
  if ((await lstatIfPresent(typePath, signal))?.isSymbolicLink() !== true) return undefined;
  try {
    return snapshotOfLinkText(typeFolder, await readlink(typePath));
  } catch (error) {
    if (hasErrno(error, "ENOENT", "EINVAL")) return undefined; // Gone or replaced meanwhile.
    throwLocalIo(error, signal, "read the link", typePath);
  }
}

/**
 * The snapshot folders present, in publication order (oldest first), then the unpublished ones
 * (an assembly in progress) by name. Throws LocalIOError.
 */
export async function listSnapshots(
  topicFolder: string,
  typeFolder: string,
  signal: AbortSignal,
): Promise<SnapshotInfo[]> {
  const names = await snapshotFolderNames(topicFolder, typeFolder, signal);
  const published = await readPublications(topicFolder, typeFolder, signal);
  const current = await currentSnapshot(topicFolder, typeFolder, signal);
  const present = new Set(names);
  const info = (name: string, publishedAt: string | undefined): SnapshotInfo => ({
    name,
    publishedAt,
    isCurrent: name === current,
  });
  const logged = published.filter((entry) => present.has(entry.name));
  const loggedNames = new Set(logged.map((entry) => entry.name));
  return [
    ...logged.map((entry) => info(entry.name, entry.publishedAt)),
    ...names.filter((name) => !loggedNames.has(name)).map((name) => info(name, undefined)),
  ];
}

/**
 * The published snapshot before the current one, for a rollback: the one published just before
 * it (or the newest published, when the current one is missing from the log); undefined when no
 * snapshot is current or none came before. Throws LocalIOError.
 */
export async function previousSnapshot(
  topicFolder: string,
  typeFolder: string,
  signal: AbortSignal,
): Promise<string | undefined> {
  const snapshots = await listSnapshots(topicFolder, typeFolder, signal);
  if (!snapshots.some((snapshot) => snapshot.isCurrent)) return undefined;
  const published = snapshots.filter((snapshot) => snapshot.publishedAt !== undefined);
  const index = published.findIndex((snapshot) => snapshot.isCurrent);
  const before = index === -1 ? published.at(-1) : published[index - 1];
  return before?.name;
}
