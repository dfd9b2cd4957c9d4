// The URL look-ahead against the real sandbox: presigned URLs are asked while earlier files
// stream, and none is used past the part of its lifetime the client trusts, even when the store
// is slow and the gateway's URLs are short-lived.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DciClient } from "../../src/api/client.js";
import { DEFAULT_FILTER_SPEC } from "../../src/filtering/compile.js";
import type { FilterSpec } from "../../src/model.js";
import { mirror } from "../../src/run/mirror.js";
import { randomFile } from "../../src/sandbox/catalog/component-builder.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import type { RequestLogEntry } from "../../src/sandbox/traffic/request-log.js";
import { addTestComponent } from "../helpers/sandbox-component.js";
import { readTree } from "../helpers/tree.js";

const KEEP_ALL: FilterSpec = { ...DEFAULT_FILTER_SPEC, all: true, arches: [] };
const FILE_BYTES = 20_000;
const NAMES = ["p1", "p2", "p3", "p4", "p5"];

let sandbox: Sandbox;
let client: DciClient;
let componentId: string;

beforeAll(async () => {
  // URLs live 1 s: the client hands one out only in its first 0.8 s. The API answers after 40 ms,
  // far enough for the look-ahead to start (a loopback API needs none).
  sandbox = await startSandbox({ size: "tiny", urlExpirySeconds: 1, apiLatencyMs: 40 });
  const component = addTestComponent(sandbox, {
    seed: "lookahead",
    name: "lookahead-1.0",
    type: "tools",
    files: NAMES.map((name) => randomFile(`payload/${name}.bin`, name, FILE_BYTES)),
  });
  componentId = component.id;
  client = new DciClient({ csUrl: sandbox.csUrl, ...sandbox.credentials });
});

afterAll(async () => {
  await client.close();
  await sandbox.close();
});

const isFileCall = (entry: RequestLogEntry): boolean =>
  entry.server === "api" && entry.path.includes("/files/payload/");
const isObject = (entry: RequestLogEntry): boolean =>
  entry.server === "store" && entry.path.includes("/payload/");

async function mirrorOneByOne(prefetch: boolean) {
  const dest = await mkdtemp(join(tmpdir(), "dci-mirror-lookahead-"));
  sandbox.requestLog.clear();
  const summary = await mirror({
    client,
    dest,
    topics: [{ name: "RHEL-9.4", componentId, filter: KEEP_ALL }],
    jobs: 1,
    prefetch,
  });
  const tree = await readTree(join(dest, "RHEL-9.4", "tools"));
  return { summary, tree, entries: [...sandbox.requestLog.entries] };
}

describe("the URL look-ahead", () => {
  it("asks for the next files' URLs while a file streams (one transfer at a time)", async () => {
    sandbox.setFaults([]);
    const { entries, tree } = await mirrorOneByOne(true);
    expect([...tree.files.keys()].filter((path) => path.startsWith("payload/"))).toHaveLength(5);
    const traffic = entries.filter((entry) => isFileCall(entry) || isObject(entry));
    // The URL of the second file was asked before the first file's object was requested.
    const secondCall = traffic.findIndex(
      (entry) => isFileCall(entry) && entry.path.endsWith("p2.bin"),
    );
    const firstObject = traffic.findIndex(
      (entry) => isObject(entry) && entry.path.endsWith("p1.bin"),
    );
    expect(secondCall).toBeGreaterThanOrEqual(0);
    expect(secondCall).toBeLessThan(firstObject);
  });

  it("with --no-prefetch, asks each URL only when its transfer starts", async () => {
    sandbox.setFaults([]);
    const { entries } = await mirrorOneByOne(false);
    const kinds = entries
      .filter((entry) => isFileCall(entry) || isObject(entry))
      .map((entry) => (isFileCall(entry) ? "url" : "object"));
    expect(kinds).toEqual(NAMES.flatMap(() => ["url", "object"]));
  });

  it("never hands out a URL near its expiry: a slow store makes it ask again, and the store refuses none", async () => {
    // Each object takes about a second: URLs asked ahead age past 0.8 s while they wait.
    sandbox.setFaults([{ match: "payload/*", bytesPerSecond: FILE_BYTES }]);
    const { entries, tree, summary } = await mirrorOneByOne(true);
    sandbox.setFaults([]);
    expect([...tree.files.keys()].filter((path) => path.startsWith("payload/"))).toHaveLength(5);
    const outcomes = summary.topics.flatMap((topic) =>
      topic.components.flatMap((component) => component.outcomes),
    );
    expect(outcomes.filter((outcome) => outcome.kind === "downloaded")).toHaveLength(5);
    // No object request came with an expired URL.
    expect(entries.filter(isObject).map((entry) => entry.status)).toEqual([
      200, 200, 200, 200, 200,
    ]);
    // And the stale URLs were asked again rather than used: more URL calls than files.
    expect(entries.filter(isFileCall).length).toBeGreaterThan(5);
  });
});
