// Retries are bounded per file, whatever progress each attempt made: a store whose object is
// shorter than the files list says, or one that ignores Range and drops the connection after a
// few bytes, once kept a run retrying forever (holding the topic lock). Now such a file fails with
// its reason, the store sees a bounded number of requests for it, and the other files are mirrored.
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DciClient } from "../../src/api/client.js";
import { DEFAULT_FILTER_SPEC } from "../../src/filtering/compile.js";
import { DEFAULT_FILE_RETRY_BUDGET, type RetryPolicy } from "../../src/http/backoff.js";
import type { FilterSpec } from "../../src/model.js";
import { mirror } from "../../src/run/mirror.js";
import { randomFile } from "../../src/sandbox/catalog/component-builder.js";
import type { FaultRule } from "../../src/sandbox/faults/fault-types.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { addTestComponent } from "../helpers/sandbox-component.js";
import { readTree } from "../helpers/tree.js";

const KEEP_ALL: FilterSpec = { ...DEFAULT_FILTER_SPEC, all: true, arches: [] };
const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 4 };
const BIG = "payload/big.bin";
const BIG_BYTES = 1024 * 1024;

let sandbox: Sandbox;
let client: DciClient;
let componentId: string;

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
  const component = addTestComponent(sandbox, {
    seed: "retry-bounds",
    name: "bounds-1.0",
    type: "tools",
    files: [
      randomFile(BIG, "big", BIG_BYTES),
      randomFile("payload/one.bin", "one", 70_000),
      randomFile("payload/two.bin", "two", 90_000),
    ],
  });
  componentId = component.id;
  client = new DciClient({ csUrl: sandbox.csUrl, ...sandbox.credentials, retry: FAST_RETRY });
});
afterAll(async () => {
  await client.close();
  await sandbox.close();
});
beforeEach(() => {
  sandbox.setFaults([]);
  sandbox.requestLog.clear();
});

async function run(faults: FaultRule[], dest?: string, retry: Partial<RetryPolicy> = FAST_RETRY) {
  sandbox.setFaults(faults);
  dest ??= await mkdtemp(join(tmpdir(), "dci-mirror-bounds-"));
  const summary = await mirror({
    client,
    dest,
    topics: [{ name: "RHEL-9.4", componentId, filter: KEEP_ALL }],
    jobs: 3,
    retry,
    stallTimeoutMs: 5_000,
  });
  const failures = summary.topics.flatMap((topic) =>
    topic.components.flatMap((component) =>
      component.outcomes.filter((outcome) => outcome.kind === "failed"),
    ),
  );
  return { summary, failures, tree: await readTree(join(dest, "RHEL-9.4", "tools")) };
}

function storeRequestsFor(path: string) {
  return sandbox.requestLog.entries.filter(
    (entry) => entry.server === "store" && entry.path === `/${componentId}/${path}`,
  );
}

describe("retry bounds", () => {
  it("fails a file whose object is shorter than listed at once, naming both sizes, and mirrors the others", async () => {
    const { summary, failures, tree } = await run([{ match: BIG, storedBytes: 1000 }]);
    expect(summary.exitCode).toBe(6);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ path: BIG, code: "SIZE_MISMATCH", exitCode: 6 });
    expect(failures[0]?.message).toContain("holds 1,000 bytes");
    expect(failures[0]?.message).toContain("says 1,048,576");
    expect(storeRequestsFor(BIG)).toHaveLength(1);
    expect([...tree.files.keys()].sort()).toEqual(["payload/one.bin", "payload/two.bin"]);
  }, 30_000);

  it("diagnoses a short object from the 416 answer to a resume, without looping", async () => {
    // A partial of 600,000 bytes from an earlier run, with its meta: the plan resumes it, and the
    // store, now holding 1,000 bytes, answers the Range request 416 with "bytes */1000".
    const dest = await mkdtemp(join(tmpdir(), "dci-mirror-bounds-"));
    const sha256 = (await client.filesList(componentId)).files.find(
      (file) => `${file.path}/${file.name}`.replace(/^\//, "") === BIG,
    )?.sha256;
    const partialDir = join(dest, "RHEL-9.4", "tools", ".dci-mirror", "partial");
    const base = `${sha256}-${createHash("sha256").update(BIG).digest("hex").slice(0, 16)}`;
    await mkdir(partialDir, { recursive: true });
    await writeFile(join(partialDir, `${base}.part`), Buffer.alloc(600_000));
    await writeFile(join(partialDir, `${base}.json`), JSON.stringify({ path: BIG, sha256 }));
    const { summary, failures } = await run([{ match: BIG, storedBytes: 1000 }], dest);
    expect(summary.exitCode).toBe(6);
    expect(failures.map((failure) => failure.code)).toEqual(["SIZE_MISMATCH"]);
    expect(storeRequestsFor(BIG).map((entry) => entry.range)).toEqual(["bytes=600000-"]);
  }, 30_000);

  it("gives up on a store that ignores Range and drops every connection, after a bounded number of requests", async () => {
    const { summary, failures, tree } = await run([
      { match: BIG, ignoreRange: true, cutAfterBytes: 200_000 },
    ]);
    expect(summary.exitCode).toBe(5);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ path: BIG, code: "DOWNLOAD_FAILED", exitCode: 5 });
    expect(failures[0]?.message).toContain(
      `after ${DEFAULT_FILE_RETRY_BUDGET.maxAttempts} attempts`,
    );
    expect(storeRequestsFor(BIG)).toHaveLength(DEFAULT_FILE_RETRY_BUDGET.maxAttempts);
    expect([...tree.files.keys()].sort()).toEqual(["payload/one.bin", "payload/two.bin"]);
  }, 60_000);

  it("stops retrying a file once its time budget for retrying is spent, with attempts left", async () => {
    const { summary, failures, tree } = await run(
      [{ match: BIG, storeStatus: { status: 503 } }],
      undefined,
      {
        maxAttempts: 100,
        baseDelayMs: 40,
        maxDelayMs: 40,
        fileBudget: { maxAttempts: 100, maxRetryingMs: 300 },
      },
    );
    expect(summary.exitCode).toBe(5);
    expect(failures[0]).toMatchObject({ path: BIG, code: "DOWNLOAD_FAILED" });
    expect(failures[0]?.message).toContain("HTTP 503");
    // Waits of 20–40 ms within 300 ms: at most 16 requests, far from the 100 attempts allowed.
    const requests = storeRequestsFor(BIG).length;
    expect(requests).toBeGreaterThan(1);
    expect(requests).toBeLessThanOrEqual(16);
    expect([...tree.files.keys()].sort()).toEqual(["payload/one.bin", "payload/two.bin"]);
  }, 30_000);
});
