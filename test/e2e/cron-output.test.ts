// What a cron job sees: plain stderr lines that each start with the time they were written, and
// --quiet, which prints nothing at all on success and only the errors and the final line on
// failure (so cron mails only when something is wrong). Real CLI, sandbox on 127.0.0.1.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { randomFile, textFile } from "../../src/sandbox/catalog/component-builder.js";
import { runCli } from "../helpers/run-cli.js";
import { addTestComponent, TEST_TOPIC } from "../helpers/sandbox-component.js";
import { useSandbox } from "../helpers/use-sandbox.js";

const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /;

let componentId: string;

const box = useSandbox({
  setup: (sandbox) => {
    componentId = addTestComponent(sandbox, {
      seed: "cron",
      name: "cron-1.0",
      type: "cron",
      files: [textFile("README", "cron\n"), randomFile("payload/data.bin", "cron", 30_000)],
    }).id;
  },
  clearFaults: true,
});

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "dci-mirror-cron-"));
}

function lines(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}

describe("plain lines on stderr", () => {
  it("start each line with an ISO 8601 time in UTC with milliseconds; the summary on stdout keeps its shape", async () => {
    box.sandbox.setFaults([{ match: "payload/data.bin", corrupt: true }]);
    const before = new Date().toISOString();
    const result = await runCli(
      [TEST_TOPIC, await tempDir(), "--component-id", componentId],
      box.env,
    );
    expect(result.exitCode).toBe(6);
    const stderrLines = lines(result.stderr);
    // The plan line, the failed file's error and its hint line.
    expect(stderrLines.length).toBeGreaterThanOrEqual(2);
    for (const line of stderrLines) {
      expect(line).toMatch(STAMP);
      expect(line.slice(0, 24) >= before).toBe(true);
    }
    expect(result.stderr).toMatch(/Z dci-mirror: failed payload\/data\.bin: /);
    expect(lines(result.stdout).at(-1)).toMatch(
      /^dci-mirror: finished with errors \(exit code 6\)/,
    );
  });

  it("stamps the lines of an error that stops the command, and leaves JSON lines as they are", async () => {
    const plain = await runCli([TEST_TOPIC, await tempDir(), "--jobs", "0"], box.env);
    expect(plain.exitCode).toBe(2);
    expect(lines(plain.stderr).length).toBe(2);
    for (const line of lines(plain.stderr)) expect(line).toMatch(STAMP);
    const json = await runCli([TEST_TOPIC, await tempDir(), "--jobs", "0", "--json"], box.env);
    expect(JSON.parse(json.stderr)).toMatchObject({ type: "error", exitCode: 2 });
  });
});

describe("--quiet", () => {
  it("prints nothing at all when sync, plan and verify succeed", async () => {
    const dest = await tempDir();
    const args = [TEST_TOPIC, dest, "--component-id", componentId, "--quiet"];
    for (const command of [args, ["plan", ...args], ["verify", join(dest, TEST_TOPIC), "-q"]]) {
      const result = await runCli(command, box.env);
      expect({ command, ...result }).toMatchObject({ exitCode: 0, stdout: "", stderr: "" });
    }
  });

  it("prints only the errors and the final line when the run fails", async () => {
    box.sandbox.setFaults([{ match: "payload/data.bin", corrupt: true }]);
    const result = await runCli(
      [TEST_TOPIC, await tempDir(), "--component-id", componentId, "-q"],
      box.env,
    );
    expect(result.exitCode).toBe(6);
    expect(lines(result.stdout)).toEqual([
      expect.stringMatching(/^dci-mirror: finished with errors \(exit code 6\) in /),
    ]);
    const stderrLines = lines(result.stderr);
    expect(stderrLines[0]).toMatch(/Z dci-mirror: failed payload\/data\.bin: .*sha256/);
    expect(stderrLines.slice(1).every((line) => /Z {3}hint: /.test(line))).toBe(true);
  });

  it("prints only the failing files' lines when verify finds a problem", async () => {
    const dest = await tempDir();
    expect(
      (await runCli([TEST_TOPIC, dest, "--component-id", componentId, "-q"], box.env)).exitCode,
    ).toBe(0);
    await writeFile(join(dest, TEST_TOPIC, "cron", "README"), "changed\n");
    const result = await runCli(["verify", join(dest, TEST_TOPIC), "--quiet"], box.env);
    expect(result.exitCode).toBe(6);
    expect(result.stdout).toMatch(/cron-1\.0\): 2 files, .*: 1 problem\(s\)\n {2}\S+ README: /);
    expect(result.stderr).toMatch(/Z dci-mirror: 1 file\(s\) in .* do not match/);
  });

  it("still prints the --json document on stdout, and nothing on stderr on success", async () => {
    const args = [TEST_TOPIC, await tempDir(), "--component-id", componentId, "--quiet", "--json"];
    const result = await runCli(args, box.env);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toMatchObject({ exitCode: 0, totals: { downloaded: 2 } });
  });

  it("refuses --quiet with --verbose as a usage error", async () => {
    const result = await runCli([TEST_TOPIC, await tempDir(), "--quiet", "--verbose"], box.env);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("--quiet and --verbose cannot be used together");
    expect(result.stderr).not.toMatch(/ at .*\.js:\d+/);
  });
});
