// --bwlimit on real sockets: one budget shared by every transfer of the run, holding the rate the
// user asked for (within 10%, measured over about 4 s), and never taken for a stalled transfer.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DciClient } from "../../src/api/client.js";
import { DEFAULT_FILTER_SPEC } from "../../src/filtering/compile.js";
import { mirror } from "../../src/run/mirror.js";
import { randomFile } from "../../src/sandbox/catalog/component-builder.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { runCli, sandboxEnv } from "../helpers/run-cli.js";
import { addTestComponent } from "../helpers/sandbox-component.js";

const FILE_BYTES = 125_000;
const LIMIT_BYTES_PER_SECOND = 1_000_000;

let sandbox: Sandbox;
let env: Record<string, string>;
let client: DciClient;

/** A component of `count` random files of FILE_BYTES under data/. */
function dataComponent(name: string, count: number): string {
  const files = Array.from({ length: count }, (_, index) =>
    randomFile(`data/part-${String(index).padStart(2, "0")}.bin`, `${name}-${index}`, FILE_BYTES),
  );
  return addTestComponent(sandbox, { seed: name, name, type: name, files }).id;
}

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
  env = sandboxEnv(sandbox);
  client = new DciClient({ csUrl: sandbox.csUrl, ...sandbox.credentials });
});
afterAll(async () => {
  await client.close();
  await sandbox.close();
});

async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `dci-mirror-${prefix}-`));
}

describe("a bandwidth limit", () => {
  it("holds 32 concurrent transfers together within 10% of the rate, and no wait for it counts as a stall", async () => {
    const fileCount = 32;
    const componentId = dataComponent("bw-shared", fileCount);
    sandbox.requestLog.clear();
    let firstStartMs: number | undefined;
    let lastDoneMs = 0;
    // 32 transfers take their first chunks together: the last of them waits about 2 s for its
    // share, twice the stall timeout.
    const summary = await mirror({
      client,
      dest: await tempDir("bwlimit"),
      topics: [{ name: "RHEL-9.4", componentId, filter: DEFAULT_FILTER_SPEC }],
      bwlimit: "1M",
      stallTimeoutMs: 1000,
      onEvent: (event) => {
        if (event.type === "file-start") firstStartMs ??= performance.now();
        if (event.type === "file-done") lastDoneMs = performance.now();
      },
    });
    expect(summary.exitCode).toBe(0);
    const outcomes = summary.topics[0]?.components[0]?.outcomes ?? [];
    expect(outcomes.filter((outcome) => outcome.kind === "downloaded")).toHaveLength(fileCount);
    const bytes = outcomes.reduce((sum, outcome) => sum + outcome.bytesTransferred, 0);
    expect(bytes).toBe(fileCount * FILE_BYTES);
    // 4 MB at 1 MB/s: the transfers take about 4 s, from the first start to the last placement.
    const bytesPerSecond = bytes / ((lastDoneMs - (firstStartMs ?? 0)) / 1000);
    expect(bytesPerSecond).toBeLessThanOrEqual(LIMIT_BYTES_PER_SECOND * 1.1);
    expect(bytesPerSecond).toBeGreaterThanOrEqual(LIMIT_BYTES_PER_SECOND * 0.9);
    // Not one transfer was retried for a stall: one whole request per file reached the store.
    const storeGets = sandbox.requestLog.entries.filter(
      (entry) => entry.server === "store" && entry.path.startsWith(`/${componentId}/data/`),
    );
    expect(storeGets).toHaveLength(fileCount);
    expect(storeGets.every((entry) => entry.range === undefined && entry.status === 200)).toBe(
      true,
    );
  });
});

describe("--bwlimit", () => {
  it("limits the CLI's transfers to RATE bytes per second", async () => {
    const componentId = dataComponent("bw-cli", 4);
    const dest = await tempDir("bwcli");
    const args = ["RHEL-9.4", dest, "--component-id", componentId, "--bwlimit", "1M", "--json"];
    const result = await runCli(args, env);
    expect(result.exitCode, result.stderr).toBe(0);
    const component = JSON.parse(result.stdout).topics[0].components[0];
    expect(component.bytesTransferred).toBe(4 * FILE_BYTES);
    // 500 kB at 1 MB/s cannot take less than half a second (the budget starts empty).
    expect(component.durationMs).toBeGreaterThanOrEqual(500);
  });

  it("refuses a RATE it cannot read with exit 2, before any request", async () => {
    sandbox.requestLog.clear();
    const result = await runCli(["RHEL-9.4", await tempDir("bwbad"), "--bwlimit", "50MB/s"], env);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--bwlimit must be bytes per second.*"50MB\/s"/);
    expect(sandbox.requestLog.entries).toEqual([]);
  });

  it("refuses a settings file's bwlimit it cannot read with exit 2, naming file, line and column", async () => {
    const folder = await tempDir("bwsettings");
    const settings = join(folder, "settings.yml");
    await writeFile(
      settings,
      `download_folder: ${folder}\nbwlimit: fast\ntopics: [{name: RHEL-9.4}]\n`,
    );
    const result = await runCli(["--settings", settings], env);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`${settings}:2:10: bwlimit must be bytes per second`);
  });
});
