/**
 * Streaming sha256 of a local file, read in 1 MiB chunks: never the whole file in memory, and no
 * line-based reads (dci-downloader's hashing read ISO images "by line").
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

export interface HashOptions {
  /** Hash only the first this many bytes (to go on hashing a resumed partial). */
  readonly byteCount?: number;
  /** Told each chunk's size once it is hashed (the check phase's progress). */
  readonly onBytes?: (byteCount: number) => void;
}

/** The lower-case hex sha256 of a file; rejects on I/O errors or abort. */
export async function sha256OfFile(
  filePath: string,
  signal: AbortSignal,
  options: HashOptions = {},
): Promise<string> {
  return (await hashFile(filePath, signal, options)).digest("hex");
}

/** A sha256 state fed with the file's bytes (or its first `byteCount`); rejects on I/O errors or abort. */
export async function hashFile(filePath: string, signal: AbortSignal, options: HashOptions = {}) {
  const { byteCount, onBytes } = options;
  const hash = createHash("sha256");
  if (byteCount === 0) return hash;
  const range = byteCount === undefined ? {} : { start: 0, end: byteCount - 1 };
  const stream = createReadStream(filePath, { highWaterMark: 1024 * 1024, signal, ...range });
  for await (const chunk of stream) {
    hash.update(chunk);
    onBytes?.(chunk.length);
  }
  return hash;
}
