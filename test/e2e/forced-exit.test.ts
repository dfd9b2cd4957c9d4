// A second Ctrl-C (or a SIGTERM after a Ctrl-C) stops the real CLI at once: exit 130, one line
// saying so, and the topic lock removed, even while the graceful stop is still under way.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { access, mkdtemp, readdir, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomFile } from "../../src/sandbox/catalog/component-builder.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { BIN, sandboxEnv } from "../helpers/run-cli.js";
import { addTestComponent } from "../helpers/sandbox-component.js";

/** util-linux `script` gives the CLI a real terminal (a pty), so the progress bar is drawn. */
const SCRIPT_UNAVAILABLE = spawnSync("script", ["--version"]).status !== 0;

let sandbox: Sandbox;
let env: Record<string, string>;
let componentId: string;

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
  env = sandboxEnv(sandbox);
  const component = addTestComponent(sandbox, {
    seed: "forced-exit",
    name: "drip-1.0",
    type: "drip",
    files: [randomFile("images/disk.img", "disk", 4 * 1024 * 1024)],
  });
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
    // stderr is a pipe here: the line starts with the time it was written, as every plain line.
    expect(forcedLines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z dci-mirror: SIG(INT|TERM) again: stopped at once/,
    );
    expect(stderr).not.toMatch(/EPIPE|at .*\.js:\d+/);
    await expect(access(join(dest, "RHEL-9.4", ".dci-mirror.lock"))).rejects.toThrow();
    expect(await readdir(join(dest, "RHEL-9.4"))).not.toContainEqual(
      expect.stringMatching(/\.lock\./),
    );
  });

  it.skipIf(SCRIPT_UNAVAILABLE)(
    "gives the terminal its cursor back when it stops at once under the progress bar (skipped without util-linux script)",
    async () => {
      const dest = await mkdtemp(join(tmpdir(), "dci-mirror-force-"));
      // `exec`: the shell becomes the CLI, so the CLI is script's only child.
      const command = `exec '${process.execPath}' '${BIN}' RHEL-9.4 '${dest}' --component-id ${componentId}`;
      const terminal = spawn("script", ["-qefc", command, "/dev/null"], {
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let printed = "";
      terminal.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        printed += chunk;
      });
      await partialStarted(join(dest, "RHEL-9.4", "drip"));
      const children = await readFile(
        `/proc/${terminal.pid}/task/${terminal.pid}/children`,
        "utf8",
      );
      const cliPid = Number(children.trim().split(" ")[0]);
      expect(cliPid).toBeGreaterThan(0);
      for (const signal of ["SIGSTOP", "SIGINT", "SIGTERM", "SIGCONT"] as const)
        process.kill(cliPid, signal);
      // util-linux script stops itself when it sees its child stopped, and waits for a SIGCONT of
      // its own: on a busy machine it sees the SIGSTOP above before the SIGCONT, and would wait
      // for ever. Waking it until it ends changes nothing for the CLI.
      const wake = setInterval(() => terminal.kill("SIGCONT"), 100);
      const [exitCode] = await once(terminal, "close").finally(() => clearInterval(wake));
      expect(exitCode).toBe(130);
      expect(printed).toContain("stopped at once");
      // The bar hid the cursor ("ESC[?25l"); the last word on it must be "show" ("ESC[?25h").
      expect(printed.lastIndexOf("\u001b[?25h")).toBeGreaterThan(
        printed.lastIndexOf("\u001b[?25l"),
      );
      expect(printed.lastIndexOf("\u001b[?7h")).toBeGreaterThan(printed.lastIndexOf("\u001b[?7l"));
    },
  );
});
