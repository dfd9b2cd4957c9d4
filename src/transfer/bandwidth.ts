/**
 * One bandwidth budget for a whole run (`--bwlimit`): a token bucket that every transfer of every
 * topic draws from as it reads body chunks. A transfer over budget stops reading until its bytes
 * are paid for, so the socket fills and the sender slows down (backpressure), instead of bytes
 * piling up in memory. API calls never draw from it.
 */
import { setTimeout as sleep } from "node:timers/promises";

/** The bucket holds at most this many seconds of the rate (or MIN_BURST_BYTES, if more). */
const BURST_SECONDS = 0.25;
const MIN_BURST_BYTES = 256 * 1024;

/**
 * The bucket's arithmetic, with time passed in. Tokens may go below zero: a taker is served at
 * once and waits until its debt is paid, so takers that come together wait in turn, and over any
 * span the bytes taken are at most one burst plus the rate times the span. It starts empty, so a
 * run's first seconds hold the rate too.
 */
export class TokenBucket {
  readonly #bytesPerSecond: number;
  readonly #burstBytes: number;
  #tokens = 0;
  #updatedMs: number;

  constructor(options: { readonly bytesPerSecond: number; readonly nowMs: number }) {
    this.#bytesPerSecond = options.bytesPerSecond;
    this.#burstBytes = Math.max(options.bytesPerSecond * BURST_SECONDS, MIN_BURST_BYTES);
    this.#updatedMs = options.nowMs;
  }

  /** Takes `byteCount` bytes at `nowMs`: how many ms the taker waits before using them (0: none). */
  take(byteCount: number, nowMs: number): number {
    const elapsedMs = Math.max(0, nowMs - this.#updatedMs);
    this.#updatedMs = Math.max(nowMs, this.#updatedMs);
    const earned = (elapsedMs / 1000) * this.#bytesPerSecond;
    this.#tokens = Math.min(this.#burstBytes, this.#tokens + earned) - byteCount;
    return this.#tokens >= 0 ? 0 : (-this.#tokens / this.#bytesPerSecond) * 1000;
  }
}

/** The run's shared limit: `take` resolves once the bytes may be used. */
export class BandwidthLimit {
  readonly #bytesPerSecond: number;
  #bucket: TokenBucket | undefined;

  constructor(bytesPerSecond: number) {
    this.#bytesPerSecond = bytesPerSecond;
  }

  /** Waits until `byteCount` more bytes fit the rate; rejects (AbortError) once `signal` aborts. */
  async take(byteCount: number, signal: AbortSignal): Promise<void> {
    const nowMs = performance.now();
    // Started by the first bytes: the listings before them earn no burst.
    this.#bucket ??= new TokenBucket({ bytesPerSecond: this.#bytesPerSecond, nowMs });
    const waitMs = this.#bucket.take(byteCount, nowMs);
    if (waitMs > 0) await sleep(waitMs, undefined, { signal });
  }
}
