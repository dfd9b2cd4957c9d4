// A second Ctrl-C (or a SIGTERM after a Ctrl-C) stops the real CLI at once: exit 130, one line
// saying so, and the topic lock removed, even while the graceful stop is still under way.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { access, mkdtemp, readdir, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildComponent, randomFile } from "../../src/sandbox/component-builder.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { BIN, sandboxEnv } from "../helpers/run-cli.js";

let sandbox: Sandbox;
let env: Record<string, string>;
let componentId: string;

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
  env = sandboxEnv(sandbox);
  const topicId = sandbox.catalog.topics.find((topic) => topic.name === "RHEL-9.4")?.id ?? "";
  const component = buildComponent({
    seed: "forced-exit",
    topicId,
    name: "drip-1.0",
    type: "drip",
    createdAt: "2020-01-01T00:00:00",
    files: [randomFile("images/disk.img", "disk", 4 * 1024 * 1024)],
  });
  sandbox.addComponent(component);
  componentId = component.id;
  // The file drips, so the run is busy transferring when the signals come.
  sandbox.setFaults([{ match: "images/disk.img", bytesPerSecond: 16 * 1024 }]);
});
afterAll(async () => {
  await sandbox.close();
});

/** Resolves once the run has written its first bytes into a partial file. */
async function partialStarted(folder: string): Promise<void> {
  const partialDir = join(folder, ".dci-mirror", "partial");
  for (;;) {
    for (const name of await readdir(partialDir).catch(() => [] as string[]))
      if ((await stat(join(partialDir, name)).catch(() => undefined))?.size) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("a second stop signal", () => {
  it("exits 130 at once during the graceful stop, with one line saying so and the topic lock removed", async () => {
    const dest = await mkdtemp(join(tmpdir(), "dci-mirror-force-"));
    const child = spawn(process.execPath, [BIN, "RHEL-9.4", dest, "--component-id", componentId], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.resume();
    await partialStarted(join(dest, "RHEL-9.4", "drip"));
    await access(join(dest, "RHEL-9.4", ".dci-mirror.lock"));
    // Frozen, the child holds both signals pending and takes them together on SIGCONT: the
    // second lands while the graceful stop is under way, however fast that stop would be. Two
    // SIGINTs would merge into one while pending, hence a Ctrl-C and a SIGTERM (the kernel
    // delivers the lower number, SIGINT, first).
    child.kill("SIGSTOP");
    child.kill("SIGINT");
    child.kill("SIGTERM");
    child.kill("SIGCONT");
    const [exitCode] = await once(child, "close");
    expect(exitCode).toBe(130);
    const forcedLines = stderr.split("\n").filter((line) => line.includes("stopped at once"));
    expect(forcedLines).toHaveLength(1);
    expect(forcedLines[0]).toMatch(/^dci-mirror: SIG(INT|TERM) again: stopped at once/);
    expect(stderr).not.toMatch(/EPIPE|at .*\.js:\d+/);
    await expect(access(join(dest, "RHEL-9.4", ".dci-mirror.lock"))).rejects.toThrow();
    expect(await readdir(join(dest, "RHEL-9.4"))).not.toContainEqual(
      expect.stringMatching(/\.lock\./),
    );
  });
});
