/**
 * Pacing a response body at a byte rate: the sandbox store's bandwidth cap (a far-away store) and
 * its slow-body fault share it. The body goes out in slices of 1/20 s, each sent when the bytes
 * before it would have left at that rate, so the rate is smooth at any size and only one slice
 * waits in memory.
 */
import { setTimeout as delay } from "node:timers/promises";

const SLICES_PER_SECOND = 20;

/** The slower of the rates that are set (bytes per second); undefined when none caps the body. */
export function slowerRate(...bytesPerSecond: readonly (number | undefined)[]): number | undefined {
  const caps = bytesPerSecond.filter((rate): rate is number => rate !== undefined && rate > 0);
  return caps.length === 0 ? undefined : Math.min(...caps);
}

/** The schedule of one body at `bytesPerSecond`, timed from its creation. */
export class Pacer {
  /** Bytes written at once: 1/20 s worth, at least 1. */
  readonly sliceBytes: number;
  readonly #bytesPerSecond: number;
  readonly #startedMs = performance.now();

  constructor(bytesPerSecond: number) {
    this.#bytesPerSecond = bytesPerSecond;
    this.sliceBytes = Math.max(1, Math.floor(bytesPerSecond / SLICES_PER_SECOND));
  }

  /**
   * Waits until the body may go on after `sentBytes`; rejects with an AbortError when `signal`
   * aborts (the response closed) during the wait.
   */
  async waitFor(sentBytes: number, signal: AbortSignal): Promise<void> {
    const dueMs = this.#startedMs + (sentBytes * 1000) / this.#bytesPerSecond;
    await delay(Math.max(0, dueMs - performance.now()), undefined, { signal });
  }
}
