// `verify DEST` on the mirror root verifies every topic found there (it used to say "Nothing to
// verify"), reports per topic, and exits 6 when any topic has a damaged file; a folder that holds
// no mirrored topic exits 4 saying so. Real CLI, offline, after real syncs from the sandbox.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { runCli, sandboxEnv } from "../helpers/run-cli.js";

let sandbox: Sandbox;
let dest: string;

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
  dest = await mkdtemp(join(tmpdir(), "dci-mirror-verify-root-"));
  const env = sandboxEnv(sandbox);
  for (const topic of ["RHEL-9.4", "RHEL-8.10"]) {
    const result = await runCli([topic, dest, "--filter", "compose"], env);
    expect(result.exitCode, result.stderr).toBe(0);
  }
}, 60_000);
afterAll(async () => {
  await sandbox.close();
});

describe("verify DEST (the mirror root)", () => {
  it("verifies every topic found, reporting per topic", async () => {
    const result = await runCli(["verify", dest]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`${join(dest, "RHEL-8.10")}: 1 component(s): ok`);
    expect(result.stdout).toContain(`${join(dest, "RHEL-9.4")}: 1 component(s): ok`);
    expect(result.stdout).toMatch(/RHEL-8\.10\/compose \(.*\): \d+ files, .*: ok/);
    expect(result.stdout).not.toContain("Nothing to verify");
  });

  it("exits 6 when one topic has a damaged file, and says which topic in --json", async () => {
    const before = await runCli(["verify", dest, "--json"]);
    expect(JSON.parse(before.stdout).ok).toBe(true);
    await writeFile(join(dest, "RHEL-8.10", "compose", "COMPOSE_ID"), "tampered");
    const result = await runCli(["verify", dest, "--json"]);
    expect(result.exitCode).toBe(6);
    const document = JSON.parse(result.stdout);
    expect(document.ok).toBe(false);
    expect(
      document.topics.map((topic: { folder: string; ok: boolean }) => [topic.folder, topic.ok]),
    ).toEqual([
      [join(dest, "RHEL-8.10"), false],
      [join(dest, "RHEL-9.4"), true],
    ]);
    expect(document.components).toHaveLength(2);
    expect(JSON.stringify(document.topics[0].components[0].problems)).toContain("COMPOSE_ID");
    expect(JSON.parse(result.stderr.trim())).toMatchObject({
      code: "VERIFY_MISMATCH",
      exitCode: 6,
    });
  });

  it("exits 4 when the folder holds no mirrored topic, saying so", async () => {
    const empty = await mkdtemp(join(tmpdir(), "dci-mirror-verify-empty-"));
    const result = await runCli(["verify", empty]);
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain(
      `Nothing to verify in ${empty}: it holds no topic mirrored by dci-mirror.`,
    );
  });
});
