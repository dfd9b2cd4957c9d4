/**
 * Opens, creates and removes partials and their meta files, never through a symlink: one planted
 * at a (predictable) partial name would otherwise have a download overwrite its target, outside
 * DEST. Rejects with the raw errno error on I/O failure.
 */
import { constants } from "node:fs";
import { type FileHandle, open, rm } from "node:fs/promises";
import { hasErrno } from "../tree/io-errors.js";

const { O_CREAT, O_EXCL, O_NOFOLLOW, O_RDONLY, O_RDWR, O_WRONLY } = constants;
const OPEN_EXISTING = O_RDWR | O_NOFOLLOW;
const OPEN_TO_READ = O_RDONLY | O_NOFOLLOW;
const CREATE_FRESH = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW;

/** Opens an existing file for reading and writing; a symlink at `path` is refused. */
export function openExisting(path: string): Promise<FileHandle> {
  return open(path, OPEN_EXISTING);
}

/** Opens an existing file for reading only; a symlink at `path` is refused. */
export function openToRead(path: string): Promise<FileHandle> {
  return open(path, OPEN_TO_READ);
}

/** Removes whatever stands at `path` (a symlink itself, never its target); absent is fine. */
export async function unlinkEntry(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** Creates `path` afresh (O_EXCL, no symlink followed), removing whatever stood there first. */
export async function createFresh(path: string): Promise<FileHandle> {
  try {
    // Usually nothing is there: trying first saves a removal per file on a 20,000-file compose.
    return await open(path, CREATE_FRESH, 0o644);
  } catch (error) {
    if (!hasErrno(error, "EEXIST")) throw error;
  }
  await unlinkEntry(path);
  return open(path, CREATE_FRESH, 0o644);
}
