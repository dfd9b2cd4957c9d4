// Real sockets on 127.0.0.1: resume, cut and stall bugs only show up there.
import { createHash } from "node:crypto";
import { Agent, request } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SandboxCatalog } from "../../src/sandbox/catalog/catalog-types.js";
import {
  buildComponent,
  randomFile,
  textFile,
} from "../../src/sandbox/catalog/component-builder.js";
import { contentSha256 } from "../../src/sandbox/catalog/content.js";
import { FaultBook } from "../../src/sandbox/faults/faults.js";
import { type ObjectStore, startObjectStore } from "../../src/sandbox/store/object-store.js";
import { createObjectResolver } from "../../src/sandbox/store/objects.js";
import { presignUrl } from "../../src/sandbox/store/presign.js";
import { RequestLog } from "../../src/sandbox/traffic/request-log.js";

const SECRET = "store-secret";
const SIZE_BYTES = 200_000;
const component = buildComponent({
  seed: "store",
  topicId: "topic",
  name: "store-1",
  type: "custom",
  createdAt: "2024-04-19T05:12:33.512301",
  files: [
    randomFile("data.bin", "data", SIZE_BYTES),
    textFile("dir/what?.txt", "question\n"),
    textFile("100%41.txt", "percent\n"),
    textFile("empty.txt", ""),
  ],
});
const catalog: SandboxCatalog = {
  seed: "store",
  identities: [],
  teams: [],
  products: [],
  topics: [],
  components: [component],
};
const dataSpec = component.files[0]?.content ?? { kind: "text", text: "" };
const DATA_KEY = `${component.id}/data.bin`;

const log = new RequestLog();
const faults = new FaultBook();
const nowMs = 1_717_000_000_000;
const resolve = createObjectResolver(catalog);
let store: ObjectStore;
// A private agent so no pooled socket outlives the suite.
const agent = new Agent();

beforeAll(async () => {
  store = await startObjectStore({ resolve, secret: SECRET, faults, log, now: () => nowMs });
});
afterEach(() => {
  faults.clear();
  log.clear();
});
afterAll(async () => {
  await agent.close();
  await store.close();
});

function urlFor(objectKey: string, method: "GET" | "HEAD" = "GET", issuedAtMs = nowMs) {
  const input = { storeOrigin: store.origin, objectKey, method, issuedAtMs, secret: SECRET };
  return presignUrl({ ...input, expiresInSeconds: 600 });
}

async function fetchObject(
  objectKey: string,
  options: { method?: "GET" | "HEAD"; headers?: Record<string, string>; bodyTimeout?: number } = {},
) {
  const method = options.method ?? "GET";
  const response = await request(urlFor(objectKey, method), {
    method,
    headers: options.headers ?? {},
    dispatcher: agent,
    ...(options.bodyTimeout ? { bodyTimeout: options.bodyTimeout } : {}),
  });
  const chunks: Buffer[] = [];
  let error: unknown;
  try {
    for await (const chunk of response.body) chunks.push(chunk);
  } catch (caught) {
    error = caught;
  }
  return {
    status: response.statusCode,
    headers: response.headers,
    body: Buffer.concat(chunks),
    error,
  };
}

async function fullData(): Promise<Buffer> {
  return (await fetchObject(DATA_KEY)).body;
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("object store: reads", () => {
  it("serves a whole object with its metadata headers", async () => {
    const response = await fetchObject(DATA_KEY);
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({
      "content-length": String(SIZE_BYTES),
      "content-type": "application/octet-stream",
      "accept-ranges": "bytes",
      "last-modified": "Fri, 19 Apr 2024 05:12:33 GMT",
    });
    expect(response.headers["etag"]).toMatch(/^"[0-9a-f]{32}"$/);
    expect(sha256(response.body)).toBe(await contentSha256(dataSpec));
  });

  it("answers HEAD with the headers and no body", async () => {
    const response = await fetchObject(DATA_KEY, { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers["content-length"]).toBe(String(SIZE_BYTES));
    expect(response.body.length).toBe(0);
  });

  it.each([
    ["bytes=17-70000", 17, 70_000],
    ["bytes=199990-", 199_990, 199_999],
    ["bytes=-10", 199_990, 199_999],
    ["bytes=100-999999", 100, 199_999],
  ])("answers %s with 206 and the matching slice", async (range, start, end) => {
    const response = await fetchObject(DATA_KEY, { headers: { range } });
    expect(response.status).toBe(206);
    expect(response.headers["content-range"]).toBe(`bytes ${start}-${end}/${SIZE_BYTES}`);
    expect(response.body.equals((await fullData()).subarray(start, end + 1))).toBe(true);
  });

  it("answers an unsatisfiable range with 416 and the total size", async () => {
    const response = await fetchObject(DATA_KEY, { headers: { range: `bytes=${SIZE_BYTES}-` } });
    expect(response.status).toBe(416);
    expect(response.headers["content-range"]).toBe(`bytes */${SIZE_BYTES}`);
    expect(response.body.toString()).toContain("<Code>InvalidRange</Code>");
  });

  it("answers a multi-range request with the whole object", async () => {
    const response = await fetchObject(DATA_KEY, { headers: { range: "bytes=0-1,5-9" } });
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(SIZE_BYTES);
  });

  it("honours If-Range only when it equals the current strong ETag", async () => {
    const etag = String((await fetchObject(DATA_KEY, { method: "HEAD" })).headers["etag"]);
    const range = "bytes=1000-";
    const match = await fetchObject(DATA_KEY, { headers: { range, "if-range": etag } });
    const stale = await fetchObject(DATA_KEY, { headers: { range, "if-range": '"0000"' } });
    const weak = await fetchObject(DATA_KEY, { headers: { range, "if-range": `W/${etag}` } });
    expect([match.status, stale.status, weak.status]).toEqual([206, 200, 200]);
    expect(stale.body.length).toBe(SIZE_BYTES);
  });

  it.each([
    ["dir/what?.txt", "question\n"],
    ["100%41.txt", "percent\n"],
    ["empty.txt", ""],
  ])("serves %s, whose key needs percent-encoding or is empty", async (name, expected) => {
    const response = await fetchObject(`${component.id}/${name}`);
    expect(response.status).toBe(200);
    expect(response.body.toString("utf8")).toBe(expected);
  });
});

describe("object store: refusals", () => {
  it("refuses an expired URL with 403 AccessDenied", async () => {
    const response = await request(urlFor(DATA_KEY, "GET", nowMs - 600_000), { dispatcher: agent });
    expect(response.statusCode).toBe(403);
    expect(await response.body.text()).toContain(
      "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>",
    );
  });

  it("refuses a HEAD URL used for a GET with 403", async () => {
    const response = await request(urlFor(DATA_KEY, "HEAD"), { method: "GET", dispatcher: agent });
    expect(response.statusCode).toBe(403);
    expect(await response.body.text()).toContain("<Code>SignatureDoesNotMatch</Code>");
  });

  it("refuses a presigned URL that comes with an Authorization header with 400", async () => {
    const headers = { authorization: "DCI2-HMAC-SHA256 Credential=x" };
    const response = await fetchObject(DATA_KEY, { headers });
    expect(response.status).toBe(400);
    expect(response.body.toString()).toContain("<Code>InvalidArgument</Code>");
  });

  it("answers a missing object with 404, an XML body for GET and none for HEAD", async () => {
    const missing = `${component.id}/missing.txt`;
    const get = await fetchObject(missing);
    const head = await fetchObject(missing, { method: "HEAD" });
    expect([get.status, head.status]).toEqual([404, 404]);
    expect(get.body.toString()).toContain("<Code>NoSuchKey</Code>");
    expect(head.body.length).toBe(0);
  });
});

describe("object store: request log", () => {
  it("logs path, range and sizes but never the presigned query", async () => {
    await fetchObject(`${component.id}/dir/what?.txt`, { headers: { range: "bytes=2-" } });
    await fetchObject(DATA_KEY, { headers: { authorization: "x" } });
    expect(log.entries).toMatchObject([
      {
        server: "store",
        method: "GET",
        path: `/${component.id}/dir/what%3F.txt`,
        query: "",
        range: "bytes=2-",
        hasAuthorization: false,
        objectKey: `${component.id}/dir/what?.txt`,
        status: 206,
        bytesSent: 7,
      },
      { hasAuthorization: true, status: 400 },
    ]);
    expect(JSON.stringify(log.entries)).not.toContain("X-Amz");
  });
});

describe("object store: faults", () => {
  it("answers a storeStatus fault with its status and Retry-After, then recovers", async () => {
    faults.set([
      { match: "data.bin", times: 1, storeStatus: { status: 503, retryAfterSeconds: 7 } },
    ]);
    const failed = await fetchObject(DATA_KEY);
    expect(failed.status).toBe(503);
    expect(failed.headers["retry-after"]).toBe("7");
    expect((await fetchObject(DATA_KEY)).status).toBe(200);
  });

  it.each([
    ["cutAfterBytes", { cutAfterBytes: 1_000 }, 1_000],
    ["truncateAfterBytes", { truncateAfterBytes: 5_000 }, 5_000],
  ])("with %s, delivers exactly that many bytes then closes early", async (_name, rule, bytes) => {
    faults.set([{ match: "**", ...rule }]);
    const response = await fetchObject(DATA_KEY);
    expect(response.status).toBe(200);
    expect(response.headers["content-length"]).toBe(String(SIZE_BYTES));
    expect(response.error).toBeInstanceOf(Error);
    expect(response.body.length).toBe(bytes);
    expect(log.entries[0]).toMatchObject({ status: 200, bytesSent: bytes });
  });

  it("sends the status line before cutting at 0 body bytes", async () => {
    faults.set([{ match: "**", cutAfterBytes: 0 }]);
    const response = await fetchObject(DATA_KEY);
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(0);
    expect(response.error).toBeInstanceOf(Error);
  });

  it("corrupts bytes without changing the length", async () => {
    faults.set([{ match: "*.bin", corrupt: true, times: 1 }]);
    const corrupted = await fetchObject(DATA_KEY);
    expect(corrupted.body.length).toBe(SIZE_BYTES);
    expect(sha256(corrupted.body)).not.toBe(await contentSha256(dataSpec));
  });

  it("ignores Range when told to", async () => {
    faults.set([{ match: "**", ignoreRange: true }]);
    const response = await fetchObject(DATA_KEY, { headers: { range: "bytes=100-" } });
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(SIZE_BYTES);
  });

  it("stalls after N bytes until the client gives up", async () => {
    faults.set([{ match: "**", stallAfterBytes: 100 }]);
    const response = await fetchObject(DATA_KEY, { bodyTimeout: 300 });
    expect(response.body.length).toBe(100);
    expect(response.error).toMatchObject({ code: "UND_ERR_BODY_TIMEOUT" });
  });

  it("drips bytes at the configured rate", async () => {
    faults.set([{ match: "**", bytesPerSecond: 50_000 }]);
    const startedMs = performance.now();
    const response = await request(urlFor(DATA_KEY), {
      headers: { range: "bytes=0-19999" },
      dispatcher: agent,
    });
    const sentAtFirstChunk: number[] = [];
    let receivedBytes = 0;
    for await (const chunk of response.body) {
      if (receivedBytes === 0) sentAtFirstChunk.push(log.entries[0]?.bytesSent ?? -1);
      receivedBytes += chunk.length;
    }
    expect(receivedBytes).toBe(20_000);
    expect(sentAtFirstChunk[0]).toBeLessThan(20_000);
    expect(log.entries[0]?.bytesSent).toBe(20_000);
    expect(performance.now() - startedMs).toBeGreaterThan(300);
  });
});

describe("object store: shutdown", () => {
  it("closes promptly while a response is stalled", async () => {
    const own = await startObjectStore({ resolve, secret: SECRET, faults, log, now: () => nowMs });
    faults.set([{ match: "**", stallAfterBytes: 10 }]);
    const key = DATA_KEY;
    const url = presignUrl({
      storeOrigin: own.origin,
      objectKey: key,
      method: "GET",
      issuedAtMs: nowMs,
      expiresInSeconds: 600,
      secret: SECRET,
    });
    const response = await request(url, { dispatcher: agent, bodyTimeout: 60_000 });
    const iterator = response.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value).toHaveLength(10);
    await own.close();
    await expect(iterator.next()).rejects.toThrow();
  });
});
