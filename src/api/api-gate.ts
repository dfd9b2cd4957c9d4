/**
 * The gate every API request passes: at most `maxInFlight` requests at the control server at once,
 * and one pause shared by all of them once the server says it is overloaded (429 or 503), so a
 * busy server sees the whole run back off, not one call while the others keep asking.
 */
import { setTimeout as sleep } from "node:timers/promises";
import pLimit, { type LimitFunction } from "p-limit";

export class ApiGate {
  readonly #limit: LimitFunction;
  readonly #now: () => number;
  /** performance.now() until which no request is sent. */
  #pausedUntilMs = 0;

  constructor(maxInFlight: number, now: () => number = () => performance.now()) {
    this.#limit = pLimit(maxInFlight);
    this.#now = now;
  }

  /** Runs `send` once a slot is free and no pause holds; `signal` cuts the wait short. */
  run<T>(send: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.#limit(async () => {
      for (;;) {
        signal?.throwIfAborted();
        const waitMs = this.#pausedUntilMs - this.#now();
        if (waitMs <= 0) break;
        await sleep(waitMs, undefined, signal === undefined ? {} : { signal });
      }
      return send();
    });
  }

  /** No request leaves for `delayMs` from now (a longer pause already set stays). */
  pauseFor(delayMs: number): void {
    this.#pausedUntilMs = Math.max(this.#pausedUntilMs, this.#now() + delayMs);
  }
}
