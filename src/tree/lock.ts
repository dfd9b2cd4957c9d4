/**
 * The per-topic lock `DEST/<topic>/.dci-mirror.lock`. Taking it is one `link()` of a fully written
 * owner file onto the lock name: atomic, and it fails with EEXIST while another run holds it (this
 * fixes dci-downloader's delete-then-unlock race, and works on NFS). Stale
 * locks (lock-holder.ts says which) are moved aside, checked, and only then dropped.
 */
import { randomUUID } from "node:crypto";
import { readFileSync, unlinkSync } from "node:fs";
import { link, open, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { LockedError } from "../errors.js";
import type { LockOwner } from "../model.js";
import { BOOKKEEPING_PREFIX } from "./bookkeeping.js";
import { hasErrno, throwLocalIo, toLocalIoError } from "./io-errors.js";
import { type Holder, isStale, readHolder } from "./lock-holder.js";
import { makeTopicFolder } from "./make-directory.js";

export type { LockOwner } from "../model.js";

export const LOCK_FILE_NAME = `${BOOKKEEPING_PREFIX}.lock`;
const DEFAULT_POLL_MS = 1_000;

/**
 * Lock files (and lock candidates) this process has made and not yet released, with the text that
 * proves each is ours: a forced exit (a second Ctrl-C) cannot wait for the run to release them.
 */
const ownLockFiles = new Map<string, string>();

/**
 * Deletes, synchronously, every lock file this process holds or is about to link (each only if it
 * still holds our text), for a forced exit; returns the paths it removed. Never throws.
 */
export function releaseHeldLocksSync(): string[] {
  const removedPaths: string[] = [];
  for (const [path, text] of ownLockFiles) {
    try {
      if (readFileSync(path, "utf8") === text) {
        unlinkSync(path);
        removedPaths.push(path);
      }
    } catch {
      // Best effort on the way out: a lock already gone or unreadable has nothing of ours to remove.
    }
  }
  ownLockFiles.clear();
  return removedPaths;
}

export interface TopicLock {
  readonly path: string;
  /** Deletes the lock if it still holds our owner; idempotent. Throws LocalIOError. */
  release(): Promise<void>;
}

export interface AcquireLockOptions {
  /** undefined: wait forever; 0: fail at once when the lock is held. */
  readonly timeoutMs?: number;
  readonly pollMs?: number;
  readonly signal: AbortSignal;
  /** Called once, when a live owner first makes us wait. */
  readonly onWait?: (owner: LockOwner) => void;
  readonly now?: () => number;
}

/**
 * Takes the lock of a topic folder (creating the folder), waiting while a live run holds it and
 * taking over stale locks; throws LockedError on timeout, the signal's reason on abort, LocalIOError.
 */
export async function acquireTopicLock(
  topicFolder: string,
  options: AcquireLockOptions,
): Promise<TopicLock> {
  const now = options.now ?? Date.now;
  const lockPath = join(topicFolder, LOCK_FILE_NAME);
  const token = randomUUID();
  // The token makes our content unique, so release() never mistakes another lock of this pid for ours.
  const owner = { pid: process.pid, host: hostname(), startedAt: new Date(now()).toISOString() };
  const text = `${JSON.stringify({ ...owner, token })}\n`;
  const candidatePath = `${lockPath}.${token}.tmp`;
  ownLockFiles.set(candidatePath, text);
  try {
    await makeTopicFolder(topicFolder);
    await writeCandidate(candidatePath, text);
    await waitForLock(lockPath, candidatePath, options, now);
    // Registered before the next await, so a forced exit from here on still removes it.
    ownLockFiles.set(lockPath, text);
  } catch (error) {
    throwLocalIo(error, options.signal, "take the lock", lockPath);
  } finally {
    // The lock (if taken) is a second link to the same inode: dropping this name keeps it intact.
    await unlink(candidatePath).catch(() => undefined);
    ownLockFiles.delete(candidatePath);
  }
  return heldLock(lockPath, text);
}

async function writeCandidate(candidatePath: string, text: string): Promise<void> {
  const handle = await open(candidatePath, "wx");
  try {
    await handle.writeFile(text, "utf8");
    // fsync before linking: after a power loss the lock must not come back empty.
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function waitForLock(
  lockPath: string,
  candidatePath: string,
  options: AcquireLockOptions,
  now: () => number,
): Promise<void> {
  const deadlineMs = options.timeoutMs === undefined ? Infinity : now() + options.timeoutMs;
  let hasWaited = false;
  for (;;) {
    options.signal.throwIfAborted();
    if (await tryLink(candidatePath, lockPath)) return;
    const holder = await readHolder(lockPath);
    if (holder.kind === "gone") continue;
    if (isStale(holder, now())) {
      await takeOverStale(lockPath, holder.text);
      continue;
    }
    const remainingMs = deadlineMs - now();
    if (remainingMs <= 0) throw lockedError(lockPath, holder);
    if (holder.kind === "owner" && !hasWaited) {
      hasWaited = true;
      options.onWait?.(holder.owner);
    }
    await sleep(Math.min(options.pollMs ?? DEFAULT_POLL_MS, remainingMs), undefined, {
      signal: options.signal,
    });
  }
}

async function tryLink(candidatePath: string, lockPath: string): Promise<boolean> {
  try {
    await link(candidatePath, lockPath);
    return true;
  } catch (error) {
    if (hasErrno(error, "EEXIST")) return false;
    if (!hasErrno(error, "EPERM", "ENOTSUP", "EOPNOTSUPP")) throw error;
  }
  // No hard links on this file system (vfat, some FUSE): O_EXCL create is atomic too, but a reader
  // may briefly see it empty, which counts as garbled and young, so it waits.
  try {
    await writeFile(lockPath, await readFile(candidatePath, "utf8"), { flag: "wx" });
    return true;
  } catch (error) {
    if (hasErrno(error, "EEXIST")) return false;
    throw error;
  }
}

/**
 * Moves the stale lock aside, then checks it really was the stale one: if another run replaced it
 * with a live lock between our read and the rename, that lock is put back (link fails only if yet
 * another run took the free name meanwhile, and then the lock is held anyway).
 */
async function takeOverStale(lockPath: string, staleText: string): Promise<void> {
  const asidePath = `${lockPath}.stale-${randomUUID()}`;
  try {
    await rename(lockPath, asidePath);
  } catch (error) {
    if (hasErrno(error, "ENOENT")) return;
    throw error;
  }
  if ((await readFile(asidePath, "utf8")) !== staleText) {
    await link(asidePath, lockPath).catch((error: unknown) => {
      if (!hasErrno(error, "EEXIST")) throw error;
    });
  }
  await unlink(asidePath);
}

function lockedError(lockPath: string, holder: Exclude<Holder, { kind: "gone" }>): LockedError {
  const who =
    holder.kind === "owner"
      ? `Another run (pid ${holder.owner.pid} on ${holder.owner.host}, since ${holder.owner.startedAt})`
      : `An unreadable lock file (last changed ${new Date(holder.modifiedMs).toISOString()})`;
  return new LockedError(`${who} holds ${lockPath}.`, {
    code: "LOCKED",
    hint: `Wait for it, raise --lock-timeout, or remove ${lockPath} only if that process is gone.`,
  });
}

function heldLock(lockPath: string, text: string): TopicLock {
  let isReleased = false;
  return {
    path: lockPath,
    async release() {
      if (isReleased) return;
      try {
        const holder = await readHolder(lockPath);
        // Someone may have removed ours and taken the lock: theirs is not ours to delete.
        if (holder.kind !== "gone" && holder.text === text) await unlink(lockPath);
      } catch (error) {
        if (!hasErrno(error, "ENOENT")) throw toLocalIoError(error, "release the lock", lockPath);
      }
      isReleased = true;
      ownLockFiles.delete(lockPath);
    },
  };
}
