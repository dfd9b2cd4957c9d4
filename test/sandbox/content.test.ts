import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { ContentSpec } from "../../src/sandbox/catalog/catalog-types.js";
import { contentSha256, contentSize, readContent } from "../../src/sandbox/catalog/content.js";

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function readAll(spec: ContentSpec): Promise<Buffer> {
  return collect(readContent(spec, 0, contentSize(spec) - 1));
}

const sha256 = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");

describe("deterministic content", () => {
  it("gives the same bytes for the same key and different bytes for another key", async () => {
    const first = await readAll({ kind: "random", key: "k1", sizeBytes: 100_000 });
    const again = await readAll({ kind: "random", key: "k1", sizeBytes: 100_000 });
    const other = await readAll({ kind: "random", key: "k2", sizeBytes: 100_000 });
    expect(first.length).toBe(100_000);
    expect(again.equals(first)).toBe(true);
    expect(other.equals(first)).toBe(false);
  });

  it.each([
    [17, 70_000],
    [0, 0],
    [15, 16],
    [65_535, 65_537],
    [199_999, 199_999],
  ])("reads random bytes %i..%i exactly as the slice of a full read", async (start, end) => {
    const spec: ContentSpec = { kind: "random", key: "ranges", sizeBytes: 200_000 };
    const full = await readAll(spec);
    const part = await collect(readContent(spec, start, end));
    expect(part.equals(full.subarray(start, end + 1))).toBe(true);
  });

  it("emits random content in chunks of at most 64 KiB", async () => {
    const sizes: number[] = [];
    const stream = readContent({ kind: "random", key: "chunks", sizeBytes: 300_000 }, 0, 299_999);
    for await (const chunk of stream) sizes.push(chunk.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(64 * 1024);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(300_000);
  });

  it("produces incompressible-looking bytes (every byte value occurs)", async () => {
    const bytes = await readAll({ kind: "random", key: "spread", sizeBytes: 65_536 });
    expect(new Set(bytes).size).toBe(256);
  });

  it("hashes text content as its UTF-8 bytes", async () => {
    const spec: ContentSpec = { kind: "text", text: "café\n" };
    expect(contentSize(spec)).toBe(6);
    expect(await contentSha256(spec)).toBe(sha256("café\n"));
    expect((await collect(readContent(spec, 3, 4))).toString("utf8")).toBe("é");
  });

  it("hashes random content like a full read", async () => {
    const spec: ContentSpec = { kind: "random", key: "hash", sizeBytes: 150_001 };
    expect(await contentSha256(spec)).toBe(sha256(await readAll(spec)));
  });

  it("memoizes the sha256 per spec object", () => {
    const spec: ContentSpec = { kind: "random", key: "memo", sizeBytes: 10 };
    expect(contentSha256(spec)).toBe(contentSha256(spec));
  });

  it("serves a 0-byte file as an empty stream with the empty sha256", async () => {
    const spec: ContentSpec = { kind: "bytes", bytes: new Uint8Array(0) };
    expect(contentSize(spec)).toBe(0);
    expect((await readAll(spec)).length).toBe(0);
    expect(await contentSha256(spec)).toBe(sha256(""));
    expect(await contentSha256({ kind: "random", key: "none", sizeBytes: 0 })).toBe(sha256(""));
  });

  it("refuses a range past the end", () => {
    expect(() => readContent({ kind: "text", text: "abc" }, 0, 3)).toThrow(RangeError);
  });
});
