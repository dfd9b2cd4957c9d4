// Every sandbox fault, met by the real library over real sockets: each run ends in an exact tree,
// or in a clear per-file error when the fault never stops; never a wrong file at a final path.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DciClient } from "../../src/api/client.js";
import type { MirrorEvent } from "../../src/events.js";
import { DEFAULT_FILTER_SPEC } from "../../src/filtering/compile.js";
import type { FilterSpec } from "../../src/model.js";
import { mirror } from "../../src/run/mirror.js";
import type { MirrorSummary } from "../../src/run/types.js";
import {
  buildComponent,
  randomFile,
  textFile,
} from "../../src/sandbox/catalog/component-builder.js";
import type { FaultRule } from "../../src/sandbox/faults/fault-types.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { readTree } from "../helpers/tree.js";

const KEEP_ALL: FilterSpec = { ...DEFAULT_FILTER_SPEC, all: true, arches: [] };
const FAST_RETRY = { baseDelayMs: 10, maxDelayMs: 40, maxAttempts: 4 };
const BIG = "payload/big.bin";

let sandbox: Sandbox;
let client: DciClient;
let componentId: string;
let expected: Map<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
  const topic = sandbox.catalog.topics.find((candidate) => candidate.name === "RHEL-9.4");
  const component = buildComponent({
    seed: "faults",
    topicId: topic?.id ?? "",
    name: "faults-1.0",
    type: "tools",
    createdAt: "2020-01-01T00:00:00",
    files: [
      randomFile(BIG, "big", 1024 * 1024),
      randomFile("payload/one.bin", "one", 70_000),
      randomFile("payload/two.bin", "two", 90_000),
      textFile("README", "faults component\n"),
    ],
    symlinks: [{ path: "payload/latest.bin", destination: "big.bin" }],
  });
  sandbox.addComponent(component);
  componentId = component.id;
  client = new DciClient({ csUrl: sandbox.csUrl, ...sandbox.credentials, retry: FAST_RETRY });
  const list = await client.filesList(componentId);
  expected = new Map(
    list.files.map((file) => [`${file.path}/${file.name}`.replace(/^\//, ""), file.sha256]),
  );
});
afterAll(async () => {
  await client.close();
  await sandbox.close();
});
beforeEach(() => {
  sandbox.setFaults([]);
  sandbox.requestLog.clear();
});

async function run(faults: FaultRule[], options: { stallTimeoutMs?: number } = {}) {
  sandbox.setFaults(faults);
  const dest = await mkdtemp(join(tmpdir(), "dci-mirror-faults-"));
  const events: MirrorEvent[] = [];
  const summary: MirrorSummary = await mirror({
    client,
    dest,
    topics: [{ name: "RHEL-9.4", componentId, filter: KEEP_ALL }],
    jobs: 4,
    retry: FAST_RETRY,
    stallTimeoutMs: options.stallTimeoutMs ?? 5_000,
    onEvent: (event) => events.push(event),
  });
  return { summary, events, folder: join(dest, "RHEL-9.4", "tools") };
}

async function expectExact(folder: string): Promise<void> {
  const tree = await readTree(folder);
  expect(Object.fromEntries(tree.files)).toEqual(Object.fromEntries(expected));
  expect(tree.symlinks.get("payload/latest.bin")).toBe("big.bin");
}

function storeRequestsFor(path: string) {
  // By path, not objectKey: a refused presigned URL (403) is logged before its key is resolved.
  return sandbox.requestLog.entries.filter(
    (entry) => entry.server === "store" && entry.path === `/${componentId}/${path}`,
  );
}

/**
 * A cut connection may lose in-flight bytes, so offsets are not fixed; what must hold: every retry
 * resumes (Range from a growing offset > 0) and the last answer sends exactly the missing bytes.
 */
function expectResumedOnlyMissingBytes(
  path: string,
  sizeBytes: number,
  requestCount: number,
): void {
  const requests = storeRequestsFor(path);
  expect(requests).toHaveLength(requestCount);
  expect(requests[0]?.range).toBeUndefined();
  const starts = requests
    .slice(1)
    .map((entry) => Number(/^bytes=(\d+)-$/.exec(entry.range ?? "")?.[1] ?? Number.NaN));
  for (const [index, start] of starts.entries()) {
    expect(start).toBeGreaterThan(index === 0 ? 0 : (starts[index - 1] ?? 0));
  }
  const last = requests.at(-1);
  expect(last?.status).toBe(206);
  expect(last?.bytesSent).toBe(sizeBytes - (starts.at(-1) ?? 0));
}

describe("transfers under faults", () => {
  it("resumes a cut connection with a Range request and verifies the file", async () => {
    const { summary, folder } = await run([{ match: BIG, cutAfterBytes: 300_000, times: 2 }]);
    expect(summary.exitCode).toBe(0);
    await expectExact(folder);
    expectResumedOnlyMissingBytes(BIG, 1024 * 1024, 3);
    expect(
      storeRequestsFor(BIG)
        .slice(1)
        .every((entry) => entry.ifRange !== undefined),
    ).toBe(true);
  });

  it("resumes a body that ends early (truncated) until it is whole", async () => {
    const { summary, folder } = await run([{ match: BIG, truncateAfterBytes: 400_000, times: 2 }]);
    expect(summary.exitCode).toBe(0);
    await expectExact(folder);
    expectResumedOnlyMissingBytes(BIG, 1024 * 1024, 3);
  });

  it.each([503, 429])(
    "waits for Retry-After on HTTP %i from the object store, then succeeds",
    async (status) => {
      const { summary, events, folder } = await run([
        { match: "payload/one.bin", storeStatus: { status, retryAfterSeconds: 1 }, times: 1 },
      ]);
      expect(summary.exitCode).toBe(0);
      await expectExact(folder);
      const retries = events.flatMap((event) => (event.type === "file-retry" ? [event] : []));
      expect(retries.map((event) => [event.path, event.delayMs, event.reason])).toEqual([
        ["payload/one.bin", 1000, `HTTP ${status}`],
      ]);
    },
  );

  it("downloads a corrupted file once more and places only the verified bytes", async () => {
    const { summary, folder } = await run([{ match: "payload/two.bin", corrupt: true, times: 1 }]);
    expect(summary.exitCode).toBe(0);
    await expectExact(folder);
    expect(storeRequestsFor("payload/two.bin")).toHaveLength(2);
  });

  it("fails a file that is always corrupt with an integrity error, keeps the rest, and prunes nothing", async () => {
    const dest = await mkdtemp(join(tmpdir(), "dci-mirror-faults-"));
    const folder = join(dest, "RHEL-9.4", "tools");
    const first = await mirror({
      client,
      dest,
      topics: [{ name: "RHEL-9.4", componentId, filter: KEEP_ALL }],
      retry: FAST_RETRY,
    });
    expect(first.exitCode).toBe(0);
    await writeFile(join(folder, "extraneous.txt"), "not in the list");
    await writeFile(join(folder, "payload", "two.bin"), "damaged locally");
    sandbox.setFaults([{ match: "payload/two.bin", corrupt: true }]);
    const summary = await mirror({
      client,
      dest,
      topics: [{ name: "RHEL-9.4", componentId, filter: KEEP_ALL }],
      retry: FAST_RETRY,
    });
    expect(summary.exitCode).toBe(6);
    const outcomes = summary.topics[0]?.components[0]?.outcomes ?? [];
    expect(
      outcomes
        .filter((outcome) => outcome.kind === "failed")
        .map((outcome) => [outcome.path, outcome.kind === "failed" ? outcome.code : ""]),
    ).toEqual([["payload/two.bin", "SHA256_MISMATCH"]]);
    const tree = await readTree(folder);
    expect(tree.files.get("payload/two.bin")).not.toBe(expected.get("payload/two.bin"));
    expect(tree.files.has("extraneous.txt")).toBe(true);
    expect(tree.files.get(BIG)).toBe(expected.get(BIG));
  });

  it("retries a stalled transfer after the stall timeout, resuming where it stopped", async () => {
    const { summary, events, folder } = await run(
      [{ match: BIG, stallAfterBytes: 200_000, times: 1 }],
      { stallTimeoutMs: 400 },
    );
    expect(summary.exitCode).toBe(0);
    await expectExact(folder);
    expect(events.some((event) => event.type === "file-retry" && event.path === BIG)).toBe(true);
    expectResumedOnlyMissingBytes(BIG, 1024 * 1024, 2);
  });

  it("finishes a slow transfer", async () => {
    const { summary, folder } = await run([{ match: "payload/one.bin", bytesPerSecond: 200_000 }]);
    expect(summary.exitCode).toBe(0);
    await expectExact(folder);
  });

  it("asks the API again when a presigned URL has expired", async () => {
    const { summary, folder } = await run([
      { match: "payload/one.bin", expireUrls: true, times: 2 },
    ]);
    expect(summary.exitCode).toBe(0);
    await expectExact(folder);
    expect(storeRequestsFor("payload/one.bin").map((entry) => entry.status)).toEqual([
      403, 403, 200,
    ]);
    const gatewayCalls = sandbox.requestLog.entries.filter(
      (entry) => entry.server === "api" && entry.path.endsWith("/payload/one.bin"),
    );
    expect(gatewayCalls).toHaveLength(3);
  });

  it("restarts from zero when a resume is answered with the whole object (Range ignored)", async () => {
    const { summary, folder } = await run([
      { match: BIG, cutAfterBytes: 250_000, times: 1 },
      { match: BIG, ignoreRange: true },
    ]);
    expect(summary.exitCode).toBe(0);
    await expectExact(folder);
    const requests = storeRequestsFor(BIG);
    expect(requests.map((entry) => entry.status)).toEqual([200, 200]);
    expect(requests[1]?.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(requests[1]?.bytesSent).toBe(1024 * 1024);
  });

  it("fails one file clearly when its gateway keeps failing, and mirrors the others", async () => {
    const { summary, folder } = await run([
      { match: "payload/one.bin", gatewayStatus: { status: 503 } },
    ]);
    expect(summary.exitCode).toBe(5);
    const failed =
      summary.topics[0]?.components[0]?.outcomes.filter((outcome) => outcome.kind === "failed") ??
      [];
    expect(failed.map((outcome) => outcome.path)).toEqual(["payload/one.bin"]);
    expect(failed[0]?.kind === "failed" && failed[0].message).toContain("payload/one.bin");
    const tree = await readTree(folder);
    expect(tree.files.has("payload/one.bin")).toBe(false);
    expect(tree.files.get(BIG)).toBe(expected.get(BIG));
  });
});
