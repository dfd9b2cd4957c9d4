// The CLI's young-generation cap, measured in real Node processes running a downloader-like load
// (test/fixtures/young-generation-churn.mjs): without it V8 grows the space to 2 × 16 MiB; with it
// the space stops at 2 × 4 MiB. A size the user chose wins.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { SEMI_SPACE_CAP_MIB } from "../../src/cli/young-generation.js";

const CHURN = new URL("../fixtures/young-generation-churn.mjs", import.meta.url).pathname;

function churn(
  mode: "cap" | "none",
  { nodeArgs = [], nodeOptions }: { nodeArgs?: string[]; nodeOptions?: string } = {},
): { installed: boolean; newSpaceMiB: number } {
  const env: Record<string, string> = { PATH: process.env["PATH"] ?? "" };
  if (nodeOptions !== undefined) env["NODE_OPTIONS"] = nodeOptions;
  const result = spawnSync(process.execPath, [...nodeArgs, CHURN, mode], { env, encoding: "utf8" });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { installed: boolean; newSpaceMiB: number };
}

describe("limitYoungGeneration", () => {
  it("faces a load under which V8 alone grows the young generation past the cap", () => {
    const { installed, newSpaceMiB } = churn("none");
    expect(installed).toBe(false);
    expect(newSpaceMiB).toBeGreaterThan(2 * SEMI_SPACE_CAP_MIB);
  });

  it("stops the young generation at two semi-spaces of the cap", () => {
    const { installed, newSpaceMiB } = churn("cap");
    expect(installed).toBe(true);
    expect(newSpaceMiB).toBeGreaterThan(0);
    expect(newSpaceMiB).toBeLessThanOrEqual(2 * SEMI_SPACE_CAP_MIB);
  });

  it("leaves a semi-space size given in NODE_OPTIONS alone", () => {
    const { installed, newSpaceMiB } = churn("cap", { nodeOptions: "--max-semi-space-size=16" });
    expect(installed).toBe(false);
    expect(newSpaceMiB).toBeGreaterThan(2 * SEMI_SPACE_CAP_MIB);
  });

  it("leaves a semi-space size given on the node command line alone", () => {
    const { installed, newSpaceMiB } = churn("cap", { nodeArgs: ["--max-semi-space-size=1"] });
    expect(installed).toBe(false);
    expect(newSpaceMiB).toBeLessThanOrEqual(2);
  });
});
