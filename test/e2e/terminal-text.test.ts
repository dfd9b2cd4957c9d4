// Server text that reaches the terminal: a hostile DCI server puts ESC, CR, LF and C1 controls in
// component names and error messages, and the real CLI must print them escaped, never act on them.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { randomFile, textFile } from "../../src/sandbox/catalog/component-builder.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { BIN, type CliResult, runCli, sandboxEnv } from "../helpers/run-cli.js";
import { addTestComponent } from "../helpers/sandbox-component.js";

/** util-linux `script` gives the CLI a real terminal (a pty), so the progress bar path runs. */
const SCRIPT_UNAVAILABLE = spawnSync("script", ["--version"]).status !== 0;

/** Clears the line, then forges our closing line on a line of its own; ends with a C1 CSI. */
const FORGERY =
  "\r\u001b[2Kdci-mirror: done in 0.1 s (forged)\n\u001b[31mdci-mirror: done (forged)\u009b2J";
const HOSTILE_NAME = `evil-1.0${FORGERY}`;
const HOSTILE_TOPIC = `RHEL-evil${FORGERY}`;

let sandbox: Sandbox;
let env: Record<string, string>;
let componentId: string;

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
  env = sandboxEnv(sandbox);
  const topicId = sandbox.catalog.topics.find((topic) => topic.name === "RHEL-9.4")?.id ?? "";
  const component = addTestComponent(sandbox, {
    seed: "terminal-text",
    name: HOSTILE_NAME,
    type: "evil",
    files: [
      textFile("good.txt", "good\n"),
      textFile("bad.txt", "bad\n"),
      randomFile("slow.bin", "slow", 64 * 1024),
    ],
  });
  componentId = component.id;
  const rhel = sandbox.catalog.topics.find((topic) => topic.id === topicId);
  if (rhel === undefined) throw new Error("the tiny sandbox has no RHEL-9.4 topic");
  // Same product as RHEL-9.4, so the sandbox credentials see it.
  sandbox.addTopic({ ...rhel, id: "00000000-0000-4000-8000-00000000e5c1", name: HOSTILE_TOPIC });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  sandbox.setFaults([]);
});

/** Runs the CLI on a pty; resolves with what the terminal received (stdout and stderr). */
async function runInTerminal(args: readonly string[]): Promise<string> {
  const command = [process.execPath, BIN, ...args].map((arg) => `'${arg}'`).join(" ");
  const child = spawn("script", ["-qefc", command, "/dev/null"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let printed = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    printed += chunk;
  });
  const [exitCode] = await once(child, "close");
  // Both runs have a failed file: exit 4 (not found).
  expect(exitCode).toBe(4);
  return printed;
}

/** What a terminal would act on: raw ESC, CR, DEL or a C1 character (any form it takes in UTF-8). */
function expectNoRawControls(result: CliResult): void {
  const printed = result.stdout + result.stderr;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the bytes that must not appear.
  expect(printed).not.toMatch(/[\u001b\r\u007f-\u009f]/);
  expect(printed).not.toMatch(/^dci-mirror: done.*\(forged\)/m);
  expect(printed).not.toMatch(/^\s*\S*\(forged\)/m);
}

describe("server text on the terminal", () => {
  it("prints a hostile component name and a hostile per-file server error escaped, in plain and verbose output", async () => {
    sandbox.setFaults([
      { match: "bad.txt", gatewayStatus: { status: 404, message: `gone${FORGERY}` } },
    ]);
    const dest = await mkdtemp(join(tmpdir(), "dci-mirror-escape-"));
    const result = await runCli(
      ["RHEL-9.4", dest, "--component-id", componentId, "--verbose"],
      env,
    );
    expect(result.exitCode).not.toBe(0);
    expectNoRawControls(result);
    // The name is still there, made visible rather than dropped.
    expect(result.stdout).toContain("evil-1.0\\r\\x1b[2Kdci-mirror: done in 0.1 s (forged)\\n");
    expect(result.stdout + result.stderr).toContain("gone\\r\\x1b[2K");
    expect(result.stdout + result.stderr).toContain("\\u009b2J");
  });

  it("prints a hostile run-level server error and its verbose cause chain escaped", async () => {
    sandbox.setFaults([
      { match: "**", gatewayStatus: { status: 403, message: `denied${FORGERY}` } },
    ]);
    const dest = await mkdtemp(join(tmpdir(), "dci-mirror-escape-"));
    const result = await runCli(
      ["RHEL-9.4", dest, "--component-id", componentId, "--verbose"],
      env,
    );
    expect(result.exitCode).toBe(3);
    expectNoRawControls(result);
    expect(result.stderr).toContain("denied\\r\\x1b[2K");
  });

  it.skipIf(SCRIPT_UNAVAILABLE)(
    "prints a hostile per-file server error escaped above the progress bar on a terminal (skipped without util-linux script)",
    async () => {
      sandbox.setFaults([
        { match: "bad.txt", gatewayStatus: { status: 404, message: `gone${FORGERY}` } },
        // Keeps the bar up after bad.txt failed, so its line is logged above the bar.
        { match: "slow.bin", bytesPerSecond: 64 * 1024 },
      ]);
      const dest = await mkdtemp(join(tmpdir(), "dci-mirror-escape-"));
      const printed = await runInTerminal(["RHEL-9.4", dest, "--component-id", componentId]);
      // The terminal turns our own \n into \r\n and the bar draws with ESC: look for the server's.
      expect(printed).toContain("gone\\r\\x1b[2Kdci-mirror: done in 0.1 s (forged)\\n");
      expect(printed).not.toContain("\u001b[2Kdci-mirror: done in 0.1 s (forged)");
      expect(printed).not.toContain("\u001b[31mdci-mirror: done (forged)");
      expect(printed).not.toMatch(/[\u0080-\u009f]/);
    },
  );

  it.skipIf(SCRIPT_UNAVAILABLE)(
    "keeps a failure logged above the progress bar when the run ends before the next redraw (skipped without util-linux script)",
    async () => {
      sandbox.setFaults([{ match: "bad.txt", gatewayStatus: { status: 404, message: "gone" } }]);
      const dest = await mkdtemp(join(tmpdir(), "dci-mirror-escape-"));
      const printed = await runInTerminal(["RHEL-9.4", dest, "--component-id", componentId]);
      // Once above the bar as it happened, once in the summary (which adds the code).
      // (the line above the bar ends at the message; the summary's goes on with the code)
      expect(printed).toContain('HTTP 404 "gone").\r\n');
      expect(printed).toMatch(/\n {2}failed bad\.txt: [^\n]*\[COMPONENT_NOT_FOUND\]/);
      // Lines on a terminal carry no time stamp: only logs (stderr not a terminal) get one.
      expect(printed).toContain("\ndci-mirror: ");
      expect(printed).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/);
    },
  );

  it("lists a hostile component name escaped in the components table", async () => {
    const result = await runCli(["components", "RHEL-9.4", "--type", "evil"], env);
    expect(result.exitCode).toBe(0);
    expectNoRawControls(result);
    expect(result.stdout).toContain("evil-1.0\\r\\x1b[2K");
  });

  it("lists a hostile topic name escaped in the topics table", async () => {
    const result = await runCli(["topics"], env);
    expect(result.exitCode).toBe(0);
    expectNoRawControls(result);
    expect(result.stdout).toContain("RHEL-evil\\r\\x1b[2K");
  });

  it("keeps --json output valid JSON with the name intact and no raw C1 byte", async () => {
    const result = await runCli(["components", "RHEL-9.4", "--type", "evil", "--json"], env);
    expect(result.exitCode).toBe(0);
    expectNoRawControls(result);
    const { components } = JSON.parse(result.stdout);
    expect(components[0].name).toBe(HOSTILE_NAME);
  });
});
