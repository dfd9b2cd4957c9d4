// The CLI's heap limits, measured in real Node processes running a downloader-like load
// (test/fixtures/heap-churn.mjs): without them V8 grows the young generation to 2 × 16 MiB and lets
// the old one pile up garbage; with them the young one stops at 2 × 4 MiB and the old one stays far
// smaller. A size the user chose for either wins.
import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import type { HeapLimits } from "../../src/cli/heap-limits.js";
import { SEMI_SPACE_CAP_MIB } from "../../src/cli/heap-limits.js";

const CHURN = new URL("../fixtures/heap-churn.mjs", import.meta.url).pathname;

interface Churned {
  readonly limits?: HeapLimits;
  readonly newSpaceMiB: number;
  readonly oldSpaceMiB: number;
}

function churn(
  mode: "limit" | "none",
  { nodeArgs = [], nodeOptions }: { nodeArgs?: string[]; nodeOptions?: string } = {},
): Churned {
  const env: Record<string, string> = { PATH: process.env["PATH"] ?? "" };
  if (nodeOptions !== undefined) env["NODE_OPTIONS"] = nodeOptions;
  const result = spawnSync(process.execPath, [...nodeArgs, CHURN, mode], { env, encoding: "utf8" });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Churned;
}

describe("limitHeap", () => {
  let unlimited: Churned;
  let limited: Churned;
  beforeAll(() => {
    unlimited = churn("none");
    limited = churn("limit");
  });

  it("faces a load under which V8 alone grows the young generation past the cap", () => {
    expect(unlimited.limits).toBeUndefined();
    expect(unlimited.newSpaceMiB).toBeGreaterThan(2 * SEMI_SPACE_CAP_MIB);
  });

  it("stops the young generation at two semi-spaces of the cap", () => {
    expect(limited.limits).toEqual({ youngGeneration: true, oldGeneration: true });
    expect(limited.newSpaceMiB).toBeGreaterThan(0);
    expect(limited.newSpaceMiB).toBeLessThanOrEqual(2 * SEMI_SPACE_CAP_MIB);
  });

  it("keeps the old generation well below what V8 alone lets it reach", () => {
    expect(limited.oldSpaceMiB).toBeLessThan(0.6 * unlimited.oldSpaceMiB);
  });

  it("leaves a semi-space size given in NODE_OPTIONS alone", () => {
    const churned = churn("limit", { nodeOptions: "--max-semi-space-size=16" });
    expect(churned.limits).toEqual({ youngGeneration: false, oldGeneration: true });
    expect(churned.newSpaceMiB).toBeGreaterThan(2 * SEMI_SPACE_CAP_MIB);
  });

  it("leaves sizes given on the node command line alone", () => {
    const churned = churn("limit", {
      nodeArgs: ["--max-semi-space-size=1", "--heap-growing-percent=300"],
    });
    expect(churned.limits).toEqual({ youngGeneration: false, oldGeneration: false });
    expect(churned.newSpaceMiB).toBeLessThanOrEqual(2);
    expect(churned.oldSpaceMiB).toBeGreaterThan(limited.oldSpaceMiB);
  });
});
