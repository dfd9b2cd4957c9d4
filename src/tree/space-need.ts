/**
 * What a run will create on the local disk, worked out from the plan before any transfer: the
 * free-space check compares it with the file system's free blocks and inodes. Pure.
 */
import type { Action, LocalEntry, RemoteFile } from "../model.js";

/** One file the run writes: its full size, and what a partial of it already holds. */
export interface NewFile {
  readonly sizeBytes: number;
  readonly heldBytes: number;
}

export interface SpaceNeed {
  /** Files to download (new inodes) or resume (their partial exists). */
  readonly files: readonly NewFile[];
  /** Folders to create for them that the tree does not have yet. */
  readonly newDirectories: number;
  /** Bookkeeping written beside the files (state.json, selection.json), in bytes. */
  readonly bookkeepingBytes: number;
}

/**
 * Bytes of state.json and selection.json per listed file beyond its path (sha256, size, mtime,
 * inode and JSON punctuation come to about 150; rounded up).
 */
const BOOKKEEPING_BYTES_PER_FILE = 200;

/** What the plan's fetch and resume actions will create, given the tree as scanned. */
export function spaceNeedOf(
  actions: readonly Action[],
  local: readonly LocalEntry[],
  listed: readonly RemoteFile[],
): SpaceNeed {
  const localDirectories = new Set(
    local.flatMap((entry) => (entry.kind === "directory" ? [entry.path] : [])),
  );
  const newDirectories = new Set<string>();
  const files: NewFile[] = [];
  for (const action of actions) {
    if (action.kind !== "fetch" && action.kind !== "resume") continue;
    const heldBytes = action.kind === "resume" ? action.heldBytes : 0;
    files.push({ sizeBytes: action.file.sizeBytes, heldBytes });
    for (let dir = parentOf(action.file.path); dir !== ""; dir = parentOf(dir)) {
      if (localDirectories.has(dir) || newDirectories.has(dir)) break;
      newDirectories.add(dir);
    }
  }
  const listedBytes = listed.reduce(
    (sum, file) => sum + file.path.length + BOOKKEEPING_BYTES_PER_FILE,
    0,
  );
  // Each bookkeeping file is written beside its old copy before the rename replaces it.
  return { files, newDirectories: newDirectories.size, bookkeepingBytes: 2 * listedBytes };
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash === -1 ? "" : path.slice(0, slash);
}
