// The CLI's heap limits, measured in real Node processes running downloader-like loads
// (test/fixtures/heap-churn.mjs). Without them V8 grows the young generation to 2 × 16 MiB and lets
// garbage pile up in the old one; with them the young one stops at 2 × 4 MiB, the old one stays
// far smaller, and a stream of big buffers does not set off a full collection every few ms.
// A size the user chose for either wins.
import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { type HeapLimits, SEMI_SPACE_CAP_MIB } from "../../src/cli/heap-limits.js";

const CHURN = new URL("../fixtures/heap-churn.mjs", import.meta.url).pathname;

interface Churned {
  readonly limits?: HeapLimits;
  readonly newSpaceMiB: number;
  readonly oldSpaceMiB: number;
  readonly fullCollections: number;
}

function churn(
  load: "many" | "stream",
  mode: "limit" | "none",
  { nodeArgs = [], nodeOptions }: { nodeArgs?: string[]; nodeOptions?: string } = {},
): Churned {
  const env: Record<string, string> = { PATH: process.env["PATH"] ?? "" };
  if (nodeOptions !== undefined) env["NODE_OPTIONS"] = nodeOptions;
  const args = [...nodeArgs, CHURN, load, mode];
  const result = spawnSync(process.execPath, args, { env, encoding: "utf8" });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Churned;
}

describe("limitHeap", () => {
  let unlimited: Churned;
  let limited: Churned;
  beforeAll(() => {
    unlimited = churn("many", "none");
    limited = churn("many", "limit");
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
    expect(limited.oldSpaceMiB).toBeLessThan(0.7 * unlimited.oldSpaceMiB);
  });

  it("lifts the old-generation bound while big buffers stream, instead of collecting all the time", () => {
    const bounded = churn("stream", "limit", { nodeArgs: ["--heap-growing-percent=60"] });
    const adaptive = churn("stream", "limit");
    // The plain bound (the user's flag, so limitHeap leaves it alone) collects over and over.
    expect(bounded.limits).toEqual({ youngGeneration: true, oldGeneration: false });
    expect(bounded.fullCollections).toBeGreaterThan(25);
    expect(adaptive.fullCollections).toBeLessThan(bounded.fullCollections / 2);
  });

  it("leaves a semi-space size given in NODE_OPTIONS alone", () => {
    const churned = churn("many", "limit", { nodeOptions: "--max-semi-space-size=16" });
    expect(churned.limits).toEqual({ youngGeneration: false, oldGeneration: true });
    expect(churned.newSpaceMiB).toBeGreaterThan(2 * SEMI_SPACE_CAP_MIB);
  });

  it("leaves sizes given on the node command line alone", () => {
    const churned = churn("many", "limit", {
      nodeArgs: ["--max-semi-space-size=1", "--heap-growing-percent=300"],
    });
    expect(churned.limits).toEqual({ youngGeneration: false, oldGeneration: false });
    expect(churned.newSpaceMiB).toBeLessThanOrEqual(2);
    expect(churned.oldSpaceMiB).toBeGreaterThan(limited.oldSpaceMiB);
  });
});
