/**
 * Keeps the CLI's V8 heap near what it holds. Left to its defaults, V8 sizes the heap for
 * throughput, not for a long-running downloader whose objects mostly live for one file:
 * - the young generation's two semi-spaces double up to 16 MiB each once objects keep surviving,
 *   which every long run reaches, and
 * - the old generation grows to about 4 × its live size before a full collection, so the objects
 *   promoted during a transfer pile up as garbage.
 * A 20,000-file sync peaked at about 175 MiB that way, against about 125 MiB with semi-spaces held
 * at 4 MiB and the old generation let grow by 60%, for no CPU cost that stood out of the noise
 * (BENCHMARKS.md). Smaller semi-spaces are worse: more short-lived objects then reach the old space.
 *
 * The matching start-up flags (`--max-semi-space-size`) only work on the node command line, which
 * `node bin/dci-mirror.js`, npm's bin link and a systemd unit do not share. V8 reads the two flags
 * set here each time it resizes a space, so they take effect at run time; were a Node release to
 * stop reading them, the limits would be lost and nothing else. A size the user chose on the
 * command line or in NODE_OPTIONS wins. Library users keep their own settings: only the CLI calls
 * this.
 */
import { PerformanceObserver } from "node:perf_hooks";
import v8 from "node:v8";

/** The semi-space size (MiB) at which the young generation stops growing. */
export const SEMI_SPACE_CAP_MIB = 4;
/** How much (percent) the old generation may grow past its live size before a full collection. */
export const HEAP_GROWING_PERCENT = 60;

const YOUNG_FLAGS =
  /--(max[-_]semi[-_]space[-_]size|semi[-_]space[-_]growth[-_]factor|max[-_]heap[-_]size)\b/;
const OLD_FLAGS = /--heap[-_]growing[-_]percent\b/;

/** Which of the two limits limitHeap set (false: the user's own flag was left in charge). */
export interface HeapLimits {
  readonly youngGeneration: boolean;
  readonly oldGeneration: boolean;
}

/** Sets both limits, each unless the node command line or `nodeOptions` sets it already. */
export function limitHeap(nodeOptions: string = process.env["NODE_OPTIONS"] ?? ""): HeapLimits {
  const given = [...process.execArgv, nodeOptions].join(" ");
  const limits = {
    youngGeneration: !YOUNG_FLAGS.test(given),
    oldGeneration: !OLD_FLAGS.test(given),
  };
  if (limits.oldGeneration) v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  if (limits.youngGeneration) capYoungGeneration(SEMI_SPACE_CAP_MIB);
  return limits;
}

/**
 * The space holds two semi-spaces, and grows only during a collection, after which this observer
 * runs: once it has reached the cap, it may grow by a factor of 1 from then on.
 */
function capYoungGeneration(semiSpaceMiB: number): void {
  const capBytes = 2 * semiSpaceMiB * 1024 * 1024;
  const observer = new PerformanceObserver(() => {
    if (spaceBytes("new_space") < capBytes) return;
    v8.setFlagsFromString("--semi-space-growth-factor=1");
    observer.disconnect();
  });
  observer.observe({ entryTypes: ["gc"] });
}

/** The bytes V8 holds for one heap space now. */
export function spaceBytes(name: "new_space" | "old_space"): number {
  return v8.getHeapSpaceStatistics().find((space) => space.space_name === name)?.space_size ?? 0;
}
