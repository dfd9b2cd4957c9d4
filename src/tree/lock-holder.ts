/**
 * Reading a topic lock and judging it: who holds it, and whether that holder is provably gone
 * (restic's rule: made on this host by a process that no longer exists), or the file is garbled
 * and a minute old (our own locks are written whole before they are linked, so garbled content
 * comes from a crash of something else and would otherwise block every run forever).
 */
import { randomUUID } from "node:crypto";
import { constants } from "node:fs";
import { type FileHandle, link, lstat, open, rename, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import type { LockOwner } from "../model.js";
import { hasErrno } from "./io-errors.js";

const GARBLED_STALE_AFTER_MS = 60_000;

/** What the lock file holds right now; `text` is compared byte for byte before any delete. */
export type Holder =
  | { readonly kind: "gone" }
  | { readonly kind: "owner"; readonly owner: LockOwner; readonly text: string }
  | { readonly kind: "garbled"; readonly text: string; readonly modifiedMs: number };

/**
 * Reads the lock file as it is now (a symlink there is removed and counts as gone); throws the raw
 * fs error for anything but a missing lock.
 */
export async function readHolder(lockPath: string): Promise<Holder> {
  let handle: FileHandle;
  try {
    // Never through a symlink: our locks are regular files, and a link could lead out of DEST.
    handle = await open(lockPath, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if (hasErrno(error, "ENOENT")) return { kind: "gone" };
    if (!hasErrno(error, "ELOOP")) throw error;
    await removeSymlink(lockPath);
    return { kind: "gone" };
  }
  try {
    // Text and mtime through one handle: both describe the same lock, even if it is replaced meanwhile.
    const text = await handle.readFile("utf8");
    const owner = parseOwner(text);
    if (owner !== undefined) return { kind: "owner", owner, text };
    return { kind: "garbled", text, modifiedMs: (await handle.stat()).mtimeMs };
  } finally {
    await handle.close();
  }
}

/**
 * Removes a symlink standing at the lock's name (the link itself, never its target). It is moved
 * aside first and checked: if another run linked a real lock there meanwhile, that one goes back.
 */
async function removeSymlink(lockPath: string): Promise<void> {
  const asidePath = `${lockPath}.link-${randomUUID()}`;
  try {
    await rename(lockPath, asidePath);
  } catch (error) {
    if (hasErrno(error, "ENOENT")) return;
    throw error;
  }
  if (!(await lstat(asidePath)).isSymbolicLink()) {
    await link(asidePath, lockPath).catch((error: unknown) => {
      if (!hasErrno(error, "EEXIST")) throw error;
    });
  }
  await unlink(asidePath);
}

function parseOwner(text: string): LockOwner | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: the caller treats the lock as garbled.
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const pid: unknown = Reflect.get(parsed, "pid");
  const host: unknown = Reflect.get(parsed, "host");
  const startedAt: unknown = Reflect.get(parsed, "startedAt");
  if (typeof pid !== "number" || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  if (typeof host !== "string" || typeof startedAt !== "string") return undefined;
  return { pid, host, startedAt };
}

/** True when the holder is provably gone (see the module comment); never throws. */
export function isStale(holder: Exclude<Holder, { kind: "gone" }>, nowMs: number): boolean {
  if (holder.kind === "garbled") return nowMs - holder.modifiedMs > GARBLED_STALE_AFTER_MS;
  // A pid means nothing on another host: only a lock made here can be proven stale.
  return holder.owner.host === hostname() && !isProcessAlive(holder.owner.pid);
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user, so it is alive.
    return !hasErrno(error, "ESRCH");
  }
}
