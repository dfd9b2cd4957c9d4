/**
 * Applies a compiled filter to a validated files list. Unlike dci-downloader, which drops every
 * symlink of a filtered compose, a symlink is kept when its own path is
 * kept and its target is not something the filter dropped (see symlinkKeeper).
 */

import type { RemoteFile, RemoteSymlink } from "../model.js";
import type { FileFilter } from "./compile.js";

export interface FilterInput {
  readonly files: readonly RemoteFile[];
  readonly symlinks: readonly RemoteSymlink[];
}

export interface FilterOutput {
  files: RemoteFile[];
  symlinks: RemoteSymlink[];
  /** Files and symlinks left out. */
  droppedCount: number;
}

/** As Linux's MAXSYMLINKS: a longer chain is treated as a loop. */
const MAX_LINK_HOPS = 40;

function byPath<T extends { readonly path: string }>(left: T, right: T): number {
  return left.path < right.path ? -1 : left.path > right.path ? 1 : 0;
}

/** Every folder holding at least one of `paths`, at any depth. */
function foldersOf(paths: readonly string[]): Set<string> {
  const folders = new Set<string>();
  for (const path of paths) {
    for (let slash = path.lastIndexOf("/"); slash > 0; slash = path.lastIndexOf("/", slash - 1)) {
      const folder = path.slice(0, slash);
      if (folders.has(folder)) break;
      folders.add(folder);
    }
  }
  return folders;
}

/** The listed symlink at `path` or at one of its folders, with the rest of the path. */
export function linkOnTheWay(
  path: string,
  linksByPath: ReadonlyMap<string, RemoteSymlink>,
): { readonly link: RemoteSymlink; readonly rest: string } | undefined {
  for (let end = path.length; end > 0; end = path.lastIndexOf("/", end - 1)) {
    const link = linksByPath.get(path.slice(0, end));
    if (link !== undefined) return { link, rest: path.slice(end) };
  }
  return undefined;
}

/**
 * Decides which symlinks to keep: a link is kept when the filter keeps its own path and its
 * target, followed through other links (at most MAX_LINK_HOPS), is kept content: a kept file, a
 * folder holding one, or a path the list does not hold that the filter would keep (the server
 * listed a dangling link; mirror it as listed). A target the filter dropped drops the link.
 */
export function symlinkKeeper(
  input: FilterInput,
  filter: FileFilter,
  keptFiles: ReadonlySet<string>,
): (link: RemoteSymlink) => boolean {
  const keptFolders = foldersOf([...keptFiles]);
  const listedFiles = new Set(input.files.map((file) => file.path));
  const listedFolders = foldersOf([...listedFiles]);
  const linksByPath = new Map(input.symlinks.map((link) => [link.path, link] as const));
  const isLandingKept = (target: string, hops: number): boolean => {
    if (keptFiles.has(target) || keptFolders.has(target)) return true;
    if (listedFiles.has(target) || listedFolders.has(target)) return false;
    const onTheWay = linkOnTheWay(target, linksByPath);
    if (onTheWay === undefined) return filter.keep(target);
    if (hops >= MAX_LINK_HOPS || !filter.keep(onTheWay.link.path)) return false;
    return isLandingKept(`${onTheWay.link.resolvedTarget}${onTheWay.rest}`, hops + 1);
  };
  return (link) => filter.keep(link.path) && isLandingKept(link.resolvedTarget, 0);
}

/** Keeps the files and symlinks `filter` selects, each list sorted by path; never throws. */
export function applyFilter(input: FilterInput, filter: FileFilter): FilterOutput {
  const files = input.files.filter((file) => filter.keep(file.path)).sort(byPath);
  const keptFiles = new Set(files.map((file) => file.path));
  const isKept = symlinkKeeper(input, filter, keptFiles);
  const symlinks = input.symlinks.filter(isKept).sort(byPath);
  const droppedCount =
    input.files.length - files.length + (input.symlinks.length - symlinks.length);
  return { files, symlinks, droppedCount };
}
