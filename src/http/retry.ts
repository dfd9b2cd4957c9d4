/**
 * The wait between two attempts, shared by the signed API transport and the object-store reader:
 * the policy's delay (backoff with jitter, or what Retry-After asks), then a sleep that the
 * caller's signal cuts short. What is worth retrying stays with each caller.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { parseRetryAfter, type RetryPolicy, retryDelayMs } from "./backoff.js";

/** The clock, jitter source and policy a retrying caller runs on. */
export interface RetryTimer {
  readonly retryPolicy: RetryPolicy;
  readonly random: () => number;
  readonly now: () => number;
}

export interface RetryWait {
  /** The attempt that just failed, counting from 1. */
  readonly attempt: number;
  /** The failed answer's Retry-After header, when it had one. */
  readonly retryAfter?: string | undefined;
  /** Retry without sleeping (an expired presigned URL), within the policy's attempts. */
  readonly isImmediate?: boolean;
  readonly signal?: AbortSignal | undefined;
  /** What is left of the caller's time budget: give up (sleep nothing) when the delay exceeds it. */
  readonly timeLeftMs?: number;
  /** Told the policy's delay before the sleep starts. */
  readonly onDelay?: (delayMs: number) => void;
}

/** Sleeps before the next attempt; false when the policy says give up (nothing slept). */
export async function waitBeforeRetry(timer: RetryTimer, wait: RetryWait): Promise<boolean> {
  const delayMs = retryDelayMs({
    attempt: wait.attempt,
    policy: timer.retryPolicy,
    retryAfterMs: parseRetryAfter(wait.retryAfter, timer.now()),
    random: timer.random(),
  });
  if (delayMs === undefined) return false;
  if (wait.timeLeftMs !== undefined && delayMs > wait.timeLeftMs) return false;
  wait.onDelay?.(delayMs);
  const sleepOptions = wait.signal === undefined ? {} : { signal: wait.signal };
  await sleep(wait.isImmediate === true ? 0 : delayMs, undefined, sleepOptions);
  return true;
}
