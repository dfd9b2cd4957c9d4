// The object store under load: many throttled bodies at once, after 503 faults, must not pile
// listeners on a shared AbortSignal (Node's MaxListenersExceededWarning flagged that leak).
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildComponent, randomFile } from "../../src/sandbox/catalog/component-builder.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { runCli, sandboxEnv } from "../helpers/run-cli.js";

const FILE_COUNT = 24;
let sandbox: Sandbox;
let componentId: string;
const warnings: Error[] = [];
const onWarning = (warning: Error): void => {
  warnings.push(warning);
};

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
  const topicId = sandbox.catalog.topics.find((topic) => topic.name === "RHEL-9.4")?.id ?? "";
  const component = buildComponent({
    seed: "store-listeners",
    topicId,
    name: "many-1.0",
    type: "many",
    createdAt: "2020-01-01T00:00:00",
    files: Array.from({ length: FILE_COUNT }, (_, index) =>
      randomFile(`f${index}.bin`, `f${index}`, 64 * 1024),
    ),
  });
  sandbox.addComponent(component);
  componentId = component.id;
  process.on("warning", onWarning);
});
afterAll(async () => {
  process.off("warning", onWarning);
  await sandbox.close();
});

describe("the sandbox object store under load", () => {
  it("serves many throttled bodies at once after 503 faults without a MaxListenersExceededWarning", async () => {
    sandbox.setFaults([
      { match: "*.bin", times: FILE_COUNT, storeStatus: { status: 503, retryAfterSeconds: 0 } },
      { match: "*.bin", bytesPerSecond: 256 * 1024 },
    ]);
    const dest = await mkdtemp(join(tmpdir(), "dci-mirror-listeners-"));
    const result = await runCli(
      ["RHEL-9.4", dest, "--component-id", componentId, "--jobs", String(FILE_COUNT)],
      sandboxEnv(sandbox),
    );
    expect(result.exitCode).toBe(0);
    // Every file met a 503 first, then a throttled body: the load this test is about happened.
    const storeStatuses = sandbox.requestLog.entries
      .filter((entry) => entry.server === "store" && entry.path.endsWith(".bin"))
      .map((entry) => entry.status);
    expect(storeStatuses.filter((status) => status === 503)).toHaveLength(FILE_COUNT);
    expect(storeStatuses.filter((status) => status === 200)).toHaveLength(FILE_COUNT);
    expect(warnings.map((warning) => `${warning.name}: ${warning.message}`)).toEqual([]);
    expect(result.stderr).not.toContain("MaxListenersExceededWarning");
  });
});
