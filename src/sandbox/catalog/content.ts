/**
 * Deterministic file bytes for the sandbox. "random" content is an AES-128-CTR keystream: any byte
 * range is produced directly (the counter is positioned at the range start), it is incompressible,
 * and multi-GB files stream without ever being held in memory.
 */
import { createCipheriv, createHash } from "node:crypto";
import { Readable } from "node:stream";
import type { ContentSpec } from "./catalog-types.js";

const CHUNK_BYTES = 64 * 1024;
const AES_BLOCK_BYTES = 16;
// Encrypting zeros yields the raw keystream; the cipher never modifies its input.
const ZEROS = Buffer.alloc(CHUNK_BYTES + AES_BLOCK_BYTES);

const sha256Memo = new WeakMap<ContentSpec, Promise<string>>();

/** The size in bytes of the content a spec describes. */
export function contentSize(spec: ContentSpec): number {
  switch (spec.kind) {
    case "text":
      return Buffer.byteLength(spec.text, "utf8");
    case "bytes":
      return spec.bytes.byteLength;
    case "random":
      return spec.sizeBytes;
  }
}

/** Streams bytes `start..endInclusive` of the content (empty when end < start); throws RangeError outside it. */
export function readContent(spec: ContentSpec, start: number, endInclusive: number): Readable {
  const sizeBytes = contentSize(spec);
  const isEmpty = endInclusive < start;
  if (start < 0 || (!isEmpty && endInclusive >= sizeBytes)) {
    throw new RangeError(`range ${start}-${endInclusive} is outside 0..${sizeBytes - 1}`);
  }
  const lengthBytes = isEmpty ? 0 : endInclusive - start + 1;
  if (spec.kind === "random") return keystream(spec.key, start, lengthBytes);
  const all =
    spec.kind === "text"
      ? Buffer.from(spec.text, "utf8")
      : Buffer.from(spec.bytes.buffer, spec.bytes.byteOffset, spec.bytes.byteLength);
  return sliceStream(all.subarray(start, start + lengthBytes));
}

/** The lower-case hex sha256 of the content; streamed once per spec object, then memoized. */
export function contentSha256(spec: ContentSpec): Promise<string> {
  const known = sha256Memo.get(spec);
  if (known !== undefined) return known;
  const computed = hashStream(readContent(spec, 0, contentSize(spec) - 1));
  sha256Memo.set(spec, computed);
  // A failed hash must not stay cached; the caller still sees the rejection through `computed`.
  void computed.catch(() => sha256Memo.delete(spec));
  return computed;
}

async function hashStream(stream: Readable): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of stream) hash.update(chunk);
  return hash.digest("hex");
}

function sliceStream(bytes: Buffer): Readable {
  let offset = 0;
  return new Readable({
    highWaterMark: CHUNK_BYTES,
    read() {
      if (offset >= bytes.length) {
        this.push(null);
        return;
      }
      const chunk = bytes.subarray(offset, offset + CHUNK_BYTES);
      offset += chunk.length;
      this.push(chunk);
    },
  });
}

function keystream(key: string, start: number, lengthBytes: number): Readable {
  const aesKey = createHash("sha256").update(key).digest().subarray(0, 16);
  const counter = Buffer.alloc(AES_BLOCK_BYTES);
  // OpenSSL's CTR mode increments the whole 128-bit block big-endian, so block N starts at IV = N.
  counter.writeBigUInt64BE(BigInt(Math.floor(start / AES_BLOCK_BYTES)), 8);
  const cipher = createCipheriv("aes-128-ctr", aesKey, counter);
  let skipBytes = start % AES_BLOCK_BYTES;
  let remainingBytes = lengthBytes;
  return new Readable({
    highWaterMark: CHUNK_BYTES,
    read() {
      if (remainingBytes === 0) {
        this.push(null);
        return;
      }
      const chunkBytes = Math.min(CHUNK_BYTES, remainingBytes);
      const chunk = cipher.update(ZEROS.subarray(0, skipBytes + chunkBytes)).subarray(skipBytes);
      skipBytes = 0;
      remainingBytes -= chunkBytes;
      this.push(chunk);
    },
  });
}
