/**
 * Keeps V8's young generation small in the CLI process. By default its two semi-spaces double up
 * to 16 MiB each once objects keep surviving, which every long run reaches: 32 MiB of resident
 * memory for a nursery that a downloader, whose objects mostly live for one file, does not need.
 * Held at 4 MiB, a 20,000-file sync peaked at about 125 MiB instead of about 175 MiB, with no CPU
 * cost that stood out of the noise (BENCHMARKS.md). Smaller is worse: more short-lived objects then
 * reach the old space. Limiting the old generation's growth as well (`--heap-growing-percent` 60 to
 * 150) kept that sync's peak a little lower but started a full collection every ~50 ms while big
 * files streamed, 2 s more CPU on 3 GiB, so V8 keeps its own old-generation policy.
 *
 * `--max-semi-space-size` only works on the node command line, which `node bin/dci-mirror.js`,
 * npm's bin link and a systemd unit do not share. V8 reads `--semi-space-growth-factor` each time
 * it grows the space, so the cap is set at run time: once the space has reached it, the factor
 * becomes 1. The space grows during start-up (module loading), before any big synchronous parse
 * could grow it twice between two checks. Were a Node release to stop reading the flag, the cap
 * would be lost and nothing else. A size the user chose on the command line or in NODE_OPTIONS
 * wins. Library users keep their own settings: only the CLI calls this.
 */
import { PerformanceObserver } from "node:perf_hooks";
import v8 from "node:v8";

/** The semi-space size (MiB) at which the young generation stops growing. */
export const SEMI_SPACE_CAP_MIB = 4;

const USER_FLAGS =
  /--(max[-_]semi[-_]space[-_]size|semi[-_]space[-_]growth[-_]factor|max[-_]heap[-_]size)\b/;

/**
 * Stops the young generation at two semi-spaces of SEMI_SPACE_CAP_MIB, unless the node command
 * line or `nodeOptions` sets its size already. Returns whether the cap was installed.
 */
export function limitYoungGeneration(
  nodeOptions: string = process.env["NODE_OPTIONS"] ?? "",
): boolean {
  if (USER_FLAGS.test([...process.execArgv, nodeOptions].join(" "))) return false;
  // The space holds both semi-spaces, and grows only during a collection, after which this runs.
  const capBytes = 2 * SEMI_SPACE_CAP_MIB * 1024 * 1024;
  const observer = new PerformanceObserver(() => {
    if (newSpaceBytes() < capBytes) return;
    v8.setFlagsFromString("--semi-space-growth-factor=1");
    observer.disconnect();
  });
  observer.observe({ entryTypes: ["gc"] });
  return true;
}

/** The bytes V8 holds for the young generation now (both semi-spaces). */
export function newSpaceBytes(): number {
  return (
    v8.getHeapSpaceStatistics().find((space) => space.space_name === "new_space")?.space_size ?? 0
  );
}
