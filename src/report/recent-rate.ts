/**
 * The rate of a phase over its last seconds, not since it began: while throughput climbs (the
 * connections warm up, a slow first file ends) the average since the start lags behind and an
 * ETA from it keeps jumping. Pure: every reading takes the time it is made at.
 */

/** The rate is taken over about this much recent time. */
export const RATE_WINDOW_MS = 15_000;
/** No rate before this much time has data: a first chunk alone says nothing. */
const MIN_RATE_SPAN_MS = 1000;
/** No ETA before the phase has this much data. */
export const MIN_ETA_SPAN_MS = 3000;
/** Samples are kept at most this often: a 15 s window then holds about 60 of them. */
const SAMPLE_EVERY_MS = 250;

interface Sample {
  readonly atMs: number;
  readonly bytes: number;
}

/** Bytes done over time for one phase; `bytesPerSecond` and `etaMs` read the recent window. */
export class RecentRate {
  readonly #samples: Sample[] = [];
  #latestBytes = 0;
  #startedMs: number | undefined;

  /** The phase begins (or goes on) at `nowMs` with `bytes` already done; later calls are ignored. */
  start(nowMs: number, bytes: number): void {
    if (this.#startedMs !== undefined) return;
    this.#startedMs = nowMs;
    this.#samples.push({ atMs: nowMs, bytes });
    this.#latestBytes = bytes;
  }

  /** `totalBytes` are done at `nowMs` (a running total, not an increment). */
  add(nowMs: number, totalBytes: number): void {
    this.start(nowMs, 0);
    this.#latestBytes = totalBytes;
    const last = this.#samples[this.#samples.length - 1];
    if (last === undefined || nowMs - last.atMs >= SAMPLE_EVERY_MS)
      this.#samples.push({ atMs: nowMs, bytes: totalBytes });
    this.#dropBefore(nowMs - RATE_WINDOW_MS);
  }

  /** Bytes per second over the recent window; undefined until there is a second of data. */
  bytesPerSecond(nowMs: number): number | undefined {
    this.#dropBefore(nowMs - RATE_WINDOW_MS);
    const base = this.#samples[0];
    if (base === undefined || nowMs - base.atMs < MIN_RATE_SPAN_MS) return undefined;
    return ((this.#latestBytes - base.bytes) / (nowMs - base.atMs)) * 1000;
  }

  /** Time left for `remainingBytes` at the recent rate; undefined until 3 s of data or at rate 0. */
  etaMs(nowMs: number, remainingBytes: number): number | undefined {
    const startedMs = this.#startedMs;
    if (startedMs === undefined || nowMs - startedMs < MIN_ETA_SPAN_MS) return undefined;
    const rate = this.bytesPerSecond(nowMs);
    if (rate === undefined || rate <= 0) return undefined;
    return (Math.max(0, remainingBytes) / rate) * 1000;
  }

  /** Keeps the newest sample at or before `cutoffMs` as the window's base, and what follows it. */
  #dropBefore(cutoffMs: number): void {
    while (
      this.#samples.length > 1 &&
      (this.#samples[1]?.atMs ?? Number.POSITIVE_INFINITY) <= cutoffMs
    )
      this.#samples.shift();
  }
}
