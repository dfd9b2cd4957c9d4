/**
 * Writing a partial: the writer that gathers received bytes into batched writes from the bytes
 * held on, reporting each piece once it is on disk, and the fsync of a partial completed earlier.
 * A partial is never padded: one holding fewer bytes than were hashed is a PartialChangedError.
 */
import type { FileHandle } from "node:fs/promises";
import { hasErrno } from "../tree/io-errors.js";
import { createFresh, openExisting } from "./partial-open.js";

/**
 * The partial on disk no longer holds the bytes hashed so far (shorter, or not a regular file):
 * something else changed it. The download starts that file again from zero; it never pads.
 */
export class PartialChangedError extends Error {
  override name = "PartialChangedError";
}

interface PartialWriter {
  /** Queues bytes; they reach the file in batches (`finish` and `close` write what is left). */
  write(chunk: Uint8Array): Promise<void>;
  /** Writes what is queued, fsyncs, and reads size, mtime and inode (rename keeps them). */
  finish(): Promise<{ sizeBytes: number; mtimeMs: number; ino: number }>;
  /** Writes what is queued (so the file holds every byte handed over), then closes. */
  close(): Promise<void>;
}

/** Called with the bytes a write really put on disk, in file order, once they are there. */
export type OnWritten = (written: Uint8Array) => void;

/** Bytes gathered before one write: network chunks are 16–64 KiB, one pwrite each cost CPU. */
const WRITE_BATCH_BYTES = 1024 * 1024;

/**
 * Opens a partial for writing from `fromByte` on, never through a symlink. From 0, whatever stood
 * at the name is removed and a fresh file created; from N, the file must hold at least N bytes
 * (anything after byte N is dropped), else PartialChangedError: a partial is never padded.
 * `onWritten` sees each written piece, so hashing and counting follow the disk, not the network.
 * Rejects with the raw errno error on I/O failure.
 */
export async function openPartialWriter(
  filePath: string,
  fromByte: number,
  onWritten: OnWritten,
): Promise<PartialWriter> {
  const handle = fromByte > 0 ? await openHeld(filePath, fromByte) : await createFresh(filePath);
  let position = fromByte;
  const queued: Uint8Array[] = [];
  let queuedBytes = 0;
  const flush = async (): Promise<void> => {
    // writev: one system call for the whole batch, and no copy into a bigger buffer.
    let pending = queued.splice(0, queued.length);
    queuedBytes = 0;
    while (pending.length > 0) {
      const { bytesWritten } = await handle.writev(pending, position);
      position += bytesWritten;
      pending = reportWritten(pending, bytesWritten, onWritten);
    }
  };
  return {
    write: async (chunk) => {
      queued.push(chunk);
      queuedBytes += chunk.length;
      if (queuedBytes >= WRITE_BATCH_BYTES) await flush();
    },
    finish: async () => {
      await flush();
      // fsync before the rename: otherwise a crash can leave the real name on unwritten blocks.
      await handle.sync();
      const stats = await handle.stat();
      return { sizeBytes: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino };
    },
    close: async () => {
      try {
        await flush();
      } finally {
        await handle.close();
      }
    },
  };
}

/** Hands the first `bytesWritten` bytes of `pending` to `onWritten`; returns what is left to write. */
function reportWritten(
  pending: readonly Uint8Array[],
  bytesWritten: number,
  onWritten: OnWritten,
): Uint8Array[] {
  let left = bytesWritten;
  const rest: Uint8Array[] = [];
  for (const buffer of pending) {
    if (left >= buffer.length) {
      onWritten(buffer);
      left -= buffer.length;
      continue;
    }
    // A short write (a disk filling up): only its head is on disk; the tail is written next.
    if (left > 0) onWritten(buffer.subarray(0, left));
    rest.push(buffer.subarray(left));
    left = 0;
  }
  return rest;
}

/** Opens a partial that must hold at least `heldBytes` regular-file bytes, cut to exactly that many. */
async function openHeld(filePath: string, heldBytes: number): Promise<FileHandle> {
  const handle = await openExisting(filePath).catch((error: unknown) => {
    if (hasErrno(error, "ENOENT")) throw new PartialChangedError(`${filePath} is gone.`);
    throw error;
  });
  try {
    const stats = await handle.stat();
    if (!stats.isFile() || stats.size < heldBytes) {
      throw new PartialChangedError(
        `${filePath} holds ${stats.size} bytes, fewer than the ${heldBytes} already hashed.`,
      );
    }
    // Shrinks only: bytes past `heldBytes` were never hashed (a torn earlier write).
    if (stats.size > heldBytes) await handle.truncate(heldBytes);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * fsyncs a partial completed earlier (a 416 answered its resume) and reads its stats; it must be a
 * regular file of exactly `sizeBytes`, else PartialChangedError. Rejects with raw errno errors.
 */
export async function finishHeldPartial(
  filePath: string,
  sizeBytes: number,
): Promise<{ sizeBytes: number; mtimeMs: number; ino: number }> {
  const handle = await openExisting(filePath);
  try {
    const stats = await handle.stat();
    if (!stats.isFile() || stats.size !== sizeBytes) {
      throw new PartialChangedError(`${filePath} holds ${stats.size} bytes, not ${sizeBytes}.`);
    }
    await handle.sync();
    return { sizeBytes: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino };
  } finally {
    await handle.close();
  }
}
