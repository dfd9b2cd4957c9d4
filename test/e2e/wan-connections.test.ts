// A far-away DCI (the sandbox's latency profile) seen from the sandbox's side: the CLI keeps its
// API requests in flight within --api-jobs, and opens about --jobs + --api-jobs connections in
// all, reused from file to file, however many files it mirrors.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomFile } from "../../src/sandbox/catalog/component-builder.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { runCli, sandboxEnv } from "../helpers/run-cli.js";
import { addTestComponent, TEST_TOPIC } from "../helpers/sandbox-component.js";
import { readTree } from "../helpers/tree.js";

const FILE_COUNT = 60;

let sandbox: Sandbox;
let componentId: string;

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny", apiLatencyMs: 40, storeLatencyMs: 10 });
  const component = addTestComponent(sandbox, {
    seed: "wan-connections",
    name: "wan-1.0",
    type: "tools",
    files: Array.from({ length: FILE_COUNT }, (_, index) =>
      randomFile(`packages/p${index}.rpm`, `p${index}`, 2_000 + index),
    ),
  });
  componentId = component.id;
});

afterAll(async () => {
  await sandbox.close();
});

async function sync(extra: readonly string[]) {
  const dest = await mkdtemp(join(tmpdir(), "dci-mirror-wan-"));
  sandbox.traffic.reset();
  const result = await runCli(
    [TEST_TOPIC, dest, "--component-id", componentId, "--quiet", ...extra],
    sandboxEnv(sandbox),
  );
  const tree = await readTree(join(dest, TEST_TOPIC, "tools"));
  return { result, files: [...tree.files.keys()].filter((path) => path.startsWith("packages/")) };
}

describe("far from DCI", () => {
  it("keeps API requests in flight within --api-jobs, and reaches it", async () => {
    const { result, files } = await sync(["--jobs", "4", "--api-jobs", "3"]);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(files).toHaveLength(FILE_COUNT);
    expect(sandbox.traffic.api.peakInFlight).toBe(3);
    expect(sandbox.traffic.store.peakInFlight).toBeLessThanOrEqual(4);
  });

  it("opens about --jobs + --api-jobs connections for 60 files, not one per file", async () => {
    const { result, files } = await sync(["--jobs", "4", "--api-jobs", "3"]);
    expect(result.exitCode).toBe(0);
    expect(files).toHaveLength(FILE_COUNT);
    expect(sandbox.traffic.api.connections).toBeLessThanOrEqual(3);
    // The transfers' 4, and one for the files list read before them.
    expect(sandbox.traffic.store.connections).toBeLessThanOrEqual(5);
  });

  it("with --no-prefetch, still within --api-jobs (one URL per transfer)", async () => {
    const { result, files } = await sync(["--jobs", "2", "--api-jobs", "8", "--no-prefetch"]);
    expect(result.exitCode).toBe(0);
    expect(files).toHaveLength(FILE_COUNT);
    // Two transfers ask one URL each at a time: the look-ahead is what fills the API cap.
    expect(sandbox.traffic.api.peakInFlight).toBeLessThanOrEqual(2);
  });
});
