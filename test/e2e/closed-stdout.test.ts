// A reader that stops reading (`dci-mirror topics | head -1`): the real CLI writes into a pipe the
// test closes, at once or after the first chunk, and must end quietly with its own exit code.
// Racy by nature (the close can land before, between or after writes), so each case runs 4 times.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { access, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textFile } from "../../src/sandbox/catalog/component-builder.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { BIN, sandboxEnv } from "../helpers/run-cli.js";
import { addTestComponent } from "../helpers/sandbox-component.js";

const RUNS = 4;
let sandbox: Sandbox;
let env: Record<string, string>;
let componentId: string;

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
  env = sandboxEnv(sandbox);
  const files = Array.from({ length: 20 }, (_, index) => textFile(`f${index}.txt`, `${index}\n`));
  const component = addTestComponent(sandbox, {
    seed: "closed-stdout",
    name: "small-1.0",
    type: "small",
    files,
  });
  componentId = component.id;
});
afterAll(async () => {
  await sandbox.close();
});

/** Runs the CLI with stdout a pipe the test closes at once, or after the first chunk it reads. */
async function runWithClosedStdout(
  args: readonly string[],
  when: "at once" | "after the first chunk",
): Promise<{ exitCode: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  if (when === "at once") child.stdout.destroy();
  else child.stdout.once("data", () => child.stdout.destroy());
  const [exitCode] = await once(child, "close");
  return { exitCode, stderr };
}

function expectQuiet(stderr: string): void {
  expect(stderr).not.toMatch(/EPIPE|Error|at .*\.js:\d+/);
}

describe("a closed stdout", () => {
  it.each([
    [["identity"], "at once"],
    [["identity"], "after the first chunk"],
    [["topics"], "at once"],
    [["topics"], "after the first chunk"],
    [["components", "RHEL-9.4"], "at once"],
    [["components", "RHEL-9.4", "--json"], "after the first chunk"],
  ] as const)("ends `%s` quietly with exit 0 when the pipe closes %s", async (args, when) => {
    for (let run = 0; run < RUNS; run++) {
      const { exitCode, stderr } = await runWithClosedStdout(args, when);
      expectQuiet(stderr);
      expect(exitCode).toBe(0);
    }
  });

  it.each([
    [["--verbose"], "at once"],
    [["--json"], "after the first chunk"],
    [["--dry-run"], "at once"],
  ] as const)(
    "ends a sync with %s quietly with its own exit code and no lock left when the pipe closes %s",
    async (extra, when) => {
      for (let run = 0; run < RUNS; run++) {
        const dest = await mkdtemp(join(tmpdir(), "dci-mirror-epipe-"));
        const { exitCode, stderr } = await runWithClosedStdout(
          ["RHEL-9.4", dest, "--component-id", componentId, ...extra],
          when,
        );
        expectQuiet(stderr);
        expect(exitCode).toBe(0);
        await expect(access(join(dest, "RHEL-9.4", ".dci-mirror.lock"))).rejects.toThrow();
      }
    },
  );
});
