// Pruning is visible and bounded: the summary always counts removals, --verbose names them,
// --json lists them; --max-delete (a count or a percentage) stops a component before its first
// removal with exit 9; --no-prune keeps everything. The real CLI against the sandbox.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomFile } from "../../src/sandbox/catalog/component-builder.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { runCli, sandboxEnv } from "../helpers/run-cli.js";
import { addTestComponent } from "../helpers/sandbox-component.js";
import { readTree } from "../helpers/tree.js";

let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
  env = sandboxEnv(sandbox);
});
afterAll(async () => {
  await sandbox.close();
});

const KEPT = ["keep/a.bin", "keep/b.bin"];
const DROPPED = [
  "drop/1.bin",
  "drop/2.bin",
  "drop/3.bin",
  "drop/4.bin",
  "drop/5.bin",
  "drop/6.bin",
];

/** A component of 8 files mirrored whole; `--include 'keep/**'` then drops 6 of them (75%). */
async function mirrored(seed: string) {
  const component = addTestComponent(sandbox, {
    seed,
    name: `${seed}-1.0`,
    type: seed,
    files: [...KEPT, ...DROPPED].map((path) => randomFile(path, `${seed}-${path}`, 1_000)),
  });
  const dest = await mkdtemp(join(tmpdir(), "dci-mirror-prune-"));
  const args = ["RHEL-9.4", dest, "--component-id", component.id];
  expect((await runCli(args, env)).exitCode).toBe(0);
  const folder = join(dest, "RHEL-9.4", seed);
  return { args: [...args, "--include", "keep/**"], folder };
}

async function filesIn(folder: string): Promise<string[]> {
  return [...(await readTree(folder)).files.keys()].sort();
}

describe("--max-delete", () => {
  it.each([
    ["5", "more than --max-delete 5 allows"],
    ["74%", "more than --max-delete 74% allows (5 of the 8 it holds)"],
  ])("--max-delete %s refuses 6 removals: exit 9, nothing removed", async (limit, says) => {
    const { args, folder } = await mirrored(`limit-${limit.replace("%", "pc")}`);
    const result = await runCli([...args, "--max-delete", limit, "--json"], env);
    expect(result.exitCode).toBe(9);
    expect(result.stderr).toContain(`would remove 6 entries from ${folder}, ${says}`);
    expect(result.stderr).toContain("nothing was removed");
    const component = JSON.parse(result.stdout).topics[0].components[0];
    expect(component).toMatchObject({ removed: 0, notRemoved: 6, removedPaths: [] });
    expect(component.error).toMatchObject({ code: "PRUNE_LIMIT", exitCode: 9 });
    expect(await filesIn(folder)).toEqual([...DROPPED, ...KEPT].sort());
  });

  it("plan says the same before anything runs: exit 9", async () => {
    const { args } = await mirrored("limit-plan");
    const result = await runCli(["plan", ...args, "--max-delete", "5"], env);
    expect(result.exitCode).toBe(9);
    expect(result.stderr).toContain("would remove 6 entries");
  });

  it.each(["6", "75%"])(
    "--max-delete %s allows 6 removals: they happen, listed in --json",
    async (limit) => {
      const { args, folder } = await mirrored(`allow-${limit.replace("%", "pc")}`);
      const result = await runCli([...args, "--max-delete", limit, "--json"], env);
      expect(result.exitCode).toBe(0);
      const component = JSON.parse(result.stdout).topics[0].components[0];
      expect(component).toMatchObject({ removed: 6, notRemoved: 0, error: null });
      expect([...component.removedPaths].sort()).toEqual(DROPPED);
      expect(await filesIn(folder)).toEqual(KEPT);
    },
  );

  it.each(["abc", "-1", "150%", "1.5"])("refuses --max-delete %s as a usage error", async (bad) => {
    const result = await runCli(["RHEL-9.4", "/tmp/unused", "--max-delete", bad], env);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("--max-delete must be a whole number");
  });
});

describe("the count of removals", () => {
  it("is in the summary, and --verbose names each removed path", async () => {
    const { args, folder } = await mirrored("verbose-prune");
    const result = await runCli([...args, "--verbose"], env);
    expect(result.exitCode).toBe(0);
    expect(result.stdout + result.stderr).toContain("6 removed");
    for (const path of DROPPED) expect(result.stderr).toContain(`removed ${path}`);
    expect(await filesIn(folder)).toEqual(KEPT);
  });

  it("--no-prune keeps every file and counts them as not removed", async () => {
    const { args, folder } = await mirrored("no-prune");
    const result = await runCli([...args, "--no-prune"], env);
    expect(result.exitCode).toBe(0);
    expect(result.stdout + result.stderr).toContain("0 removed, 6 not removed");
    expect(await filesIn(folder)).toEqual([...DROPPED, ...KEPT].sort());
  });
});
