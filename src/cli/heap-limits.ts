/**
 * Keeps the CLI's V8 heap near what it holds. Left to its defaults, V8 sizes the heap for
 * throughput, not for a long-running downloader whose objects mostly live for one file:
 * - the young generation's two semi-spaces double up to 16 MiB each once objects keep surviving,
 *   which every long run reaches: 32 MiB of resident memory for a nursery a downloader does not
 *   need. Held at 4 MiB they cost no CPU that stood out of the noise; smaller is worse, as more
 *   short-lived objects then reach the old space;
 * - the old generation grows to up to 4 × its live size before a full collection, so the objects
 *   promoted during 20,000 transfers pile up. Let grow by 60% (`--heap-growing-percent`), it stays
 *   near its live size. But V8 counts the socket buffers of a streaming big file against that
 *   smaller limit and then collects every ~50 ms (40 full collections instead of 1 for 2 GB of
 *   64 KiB buffers; 2 s more CPU on 3 GiB of ISOs). So while full collections come that fast, the
 *   old generation may grow 4 × for a while. The bound starts 1.5 s into the run: start-up and
 *   planning gain nothing from it and would pay for its extra collections.
 * Together: a 20,000-file sync peaked at about 125 MiB, against 125-158 MiB with the cap alone
 * (162-179 MiB at --jobs 32 and 64) and about 175 MiB with neither (BENCHMARKS.md).
 *
 * The matching start-up flags only work on the node command line, which `node bin/dci-mirror.js`,
 * npm's bin link and a systemd unit do not share. V8 reads `--semi-space-growth-factor` each time
 * it grows the young space and `--heap-growing-percent` after each full collection, so both are
 * set at run time. The young space grows during start-up (module loading), before any big
 * synchronous parse could grow it twice between two checks. Were a Node release to stop reading
 * the flags, the limits would be lost and nothing else. A size the user chose on the command line
 * or in NODE_OPTIONS wins. Library users keep their own settings: only the CLI calls this.
 */
import { constants, PerformanceObserver } from "node:perf_hooks";
import v8 from "node:v8";

/** The semi-space size (MiB) at which the young generation stops growing. */
export const SEMI_SPACE_CAP_MIB = 4;
/** How much (percent) the old generation may grow past its live size before a full collection. */
const HEAP_GROWING_PERCENT = 60;
/** The old-generation bound starts this long after limitHeap. */
const BOUND_AFTER_MS = 1500;
/** This many full collections within THRASH_WINDOW_MS lift the old-generation bound... */
const THRASH_COLLECTIONS = 10;
const THRASH_WINDOW_MS = 1000;
/**
 * ...for this long (then it is tried again), at V8's largest growing factor, 4: V8's own choice
 * would follow the thrashing down to about 1.2 and keep it going.
 */
const RELAX_MS = 10_000;
const RELAXED_GROWING_PERCENT = 300;

const YOUNG_FLAGS =
  /--(max[-_]semi[-_]space[-_]size|semi[-_]space[-_]growth[-_]factor|max[-_]heap[-_]size)\b/;
const OLD_FLAGS = /--heap[-_]growing[-_]percent\b/;

/** Which of the two limits limitHeap set (false: the user's own flag was left in charge). */
export interface HeapLimits {
  readonly youngGeneration: boolean;
  readonly oldGeneration: boolean;
}

export interface HeapLimitOptions {
  /** NODE_OPTIONS as the process was started with. */
  readonly nodeOptions?: string;
  /** When the old-generation bound starts; default BOUND_AFTER_MS. */
  readonly boundAfterMs?: number;
}

/** Sets both limits, each unless the node command line or NODE_OPTIONS sets it already. */
export function limitHeap(options: HeapLimitOptions = {}): HeapLimits {
  const nodeOptions = options.nodeOptions ?? process.env["NODE_OPTIONS"] ?? "";
  const given = [...process.execArgv, nodeOptions].join(" ");
  const limits = {
    youngGeneration: !YOUNG_FLAGS.test(given),
    oldGeneration: !OLD_FLAGS.test(given),
  };
  if (limits.youngGeneration) capYoungGeneration();
  if (limits.oldGeneration) boundOldGeneration(options.boundAfterMs ?? BOUND_AFTER_MS);
  return limits;
}

/** The young space grows only during a collection, after which this observer runs. */
function capYoungGeneration(): void {
  const capBytes = 2 * SEMI_SPACE_CAP_MIB * 1024 * 1024; // both semi-spaces
  const observer = new PerformanceObserver(() => {
    if (spaceBytes("new_space") < capBytes) return;
    v8.setFlagsFromString("--semi-space-growth-factor=1");
    observer.disconnect();
  });
  observer.observe({ entryTypes: ["gc"] });
}

function boundOldGeneration(afterMs: number): void {
  const setGrowingPercent = (percent: number): void =>
    v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
  const recent: number[] = [];
  let relaxedUntil: number | undefined;
  const observer = new PerformanceObserver((list) => {
    const now = performance.now();
    if (relaxedUntil !== undefined) {
      if (now < relaxedUntil) return;
      // Tried again: the big transfers may be over.
      setGrowingPercent(HEAP_GROWING_PERCENT);
      relaxedUntil = undefined;
    }
    for (const entry of list.getEntries()) {
      // `detail.kind` on a gc entry (Node's types do not list it).
      const detail: unknown = Reflect.get(entry, "detail");
      const kind: unknown =
        typeof detail === "object" && detail !== null ? Reflect.get(detail, "kind") : undefined;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) recent.push(entry.startTime);
    }
    while ((recent[0] ?? now) < now - THRASH_WINDOW_MS) recent.shift();
    if (recent.length < THRASH_COLLECTIONS) return;
    setGrowingPercent(RELAXED_GROWING_PERCENT);
    relaxedUntil = now + RELAX_MS;
    recent.length = 0;
  });
  // Start-up and planning build the files list, the record and the scan as fast as they can: a
  // bound then only adds full collections (a no-op sync of 20,000 files: 0.95 s instead of 0.85,
  // same peak). Garbage piles up during transfers, which come later.
  setTimeout(() => {
    setGrowingPercent(HEAP_GROWING_PERCENT);
    observer.observe({ entryTypes: ["gc"] });
  }, afterMs).unref();
}

/** The bytes V8 holds for one heap space now (the new space: both semi-spaces). */
export function spaceBytes(name: "new_space" | "old_space"): number {
  return v8.getHeapSpaceStatistics().find((space) => space.space_name === name)?.space_size ?? 0;
}
