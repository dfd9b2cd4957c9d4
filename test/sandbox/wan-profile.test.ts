// The far-away (WAN) profile on real sockets: every answer of both servers is held before its head,
// and store bodies are paced to the cap, ranges included. Timings have lower bounds only: a loaded
// machine may be slower, never faster than the profile.
import { createHash } from "node:crypto";
import { Agent, request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomFile } from "../../src/sandbox/catalog/component-builder.js";
import { contentSha256, readContent } from "../../src/sandbox/catalog/content.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { wanProfile } from "../../src/sandbox/traffic/wan-profile.js";
import { signRequestAt } from "../../src/signing/sign.js";
import { addTestComponent } from "../helpers/sandbox-component.js";

const LATENCY_MS = 150;
const RATE_BYTES_PER_SECOND = 300_000;
const BODY_BYTES = 600_000;
const RANGE_START = 450_000;
const bigFile = randomFile("big.bin", "wan-big", BODY_BYTES);

let sandbox: Sandbox;
let componentId: string;
// A private agent so no pooled socket outlives the suite.
const agent = new Agent();

beforeAll(async () => {
  sandbox = await startSandbox({
    size: "tiny",
    apiLatencyMs: LATENCY_MS,
    storeLatencyMs: LATENCY_MS,
    storeBytesPerSecond: RATE_BYTES_PER_SECOND,
  });
  componentId = addTestComponent(sandbox, {
    seed: "wan",
    name: "wan-1",
    type: "wan",
    files: [bigFile],
  }).id;
});
afterAll(async () => {
  await agent.close();
  await sandbox.close();
});

/** Sends a GET and reads the whole answer; `elapsedMs` runs from the send to the last byte. */
async function timedGet(url: string, headers: Record<string, string> = {}) {
  const startedMs = performance.now();
  const response = await request(url, { dispatcher: agent, headers });
  const bytes = Buffer.from(await response.body.arrayBuffer());
  return {
    status: response.statusCode,
    headers: response.headers,
    bytes,
    elapsedMs: performance.now() - startedMs,
  };
}

/** The presigned store URL of big.bin, from the files gateway. */
async function presignedUrl(): Promise<string> {
  const url = new URL(`${sandbox.csUrl}/api/v1/components/${componentId}/files/big.bin`);
  const { clientId, apiSecret } = sandbox.credentials;
  const headers = signRequestAt(
    { method: "GET", url, accessKey: clientId, secretKey: apiSecret },
    new Date(),
  );
  const reply = await timedGet(url.href, { ...headers });
  expect(reply.status).toBe(302);
  expect(reply.elapsedMs).toBeGreaterThanOrEqual(0.9 * LATENCY_MS);
  const location = reply.headers["location"];
  if (typeof location !== "string") throw new Error("the gateway sent no Location");
  return location;
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

describe("the far-away profile", () => {
  it("holds every API answer, an unsigned health check as much as the gateway's 302", async () => {
    const health = await timedGet(`${sandbox.csUrl}/api/v1/`);
    expect(health.status).toBe(200);
    expect(health.elapsedMs).toBeGreaterThanOrEqual(0.9 * LATENCY_MS);
    await presignedUrl();
  });

  it("holds every store answer, a refused one too", async () => {
    const refused = await timedGet(`${sandbox.storeUrl}/${componentId}/big.bin`);
    expect(refused.status).toBe(403);
    expect(refused.elapsedMs).toBeGreaterThanOrEqual(0.9 * LATENCY_MS);
  });

  it("paces each store body to the cap, a resumed range as much as a whole file", async () => {
    const url = await presignedUrl();
    const [whole, tail] = await Promise.all([
      timedGet(url),
      timedGet(url, { Range: `bytes=${RANGE_START}-` }),
    ]);
    expect(whole.status).toBe(200);
    expect(sha256(whole.bytes)).toBe(await contentSha256(bigFile.content));
    // 600 kB at 300 kB/s: the last 1/20 s slice is due at 1.95 s, after the held head.
    expect(whole.elapsedMs).toBeGreaterThanOrEqual(1800);
    expect(tail.status).toBe(206);
    expect(tail.headers["content-range"]).toBe(
      `bytes ${RANGE_START}-${BODY_BYTES - 1}/${BODY_BYTES}`,
    );
    const expectedTail = readContent(bigFile.content, RANGE_START, BODY_BYTES - 1);
    expect(tail.bytes.equals(Buffer.concat(await expectedTail.toArray()))).toBe(true);
    // 150 kB at 300 kB/s, each response paced on its own.
    expect(tail.elapsedMs).toBeGreaterThanOrEqual(0.9 * ((BODY_BYTES - RANGE_START) / 300));
  });
});

describe("wanProfile", () => {
  it("is loopback as it is when nothing is set, and takes a 0 rate for no cap", () => {
    const loopback = { apiLatencyMs: 0, storeLatencyMs: 0, storeBytesPerSecond: undefined };
    expect(wanProfile({})).toEqual(loopback);
    expect(wanProfile({ storeBytesPerSecond: 0 })).toEqual(loopback);
  });

  it.each([
    [{ apiLatencyMs: -1 }, /`apiLatencyMs`.*got -1/],
    [{ storeLatencyMs: Number.NaN }, /`storeLatencyMs`.*got NaN/],
    [{ storeLatencyMs: 2 ** 31 }, /`storeLatencyMs`.*from 0 to 2147483647/],
    [{ storeBytesPerSecond: -5 }, /`storeBytesPerSecond`.*got -5/],
    [{ storeBytesPerSecond: Number.POSITIVE_INFINITY }, /`storeBytesPerSecond`/],
  ])("refuses %j with a TypeError naming the option", (options, message) => {
    expect(() => wanProfile(options)).toThrow(TypeError);
    expect(() => wanProfile(options)).toThrow(message);
  });

  it("is checked before the sandbox starts", async () => {
    await expect(startSandbox({ size: "tiny", apiLatencyMs: -1 })).rejects.toThrow(TypeError);
  });
});
