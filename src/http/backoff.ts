/**
 * Retry decisions for HTTP calls, kept pure: attempt number, status and Retry-After in, a delay
 * (or "give up") out. Randomness comes in as a number in [0, 1).
 */

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A server-sent Retry-After longer than this is not honoured: the call fails instead. */
  readonly maxRetryAfterMs: number;
  /** Bounds on one file download in all (DEFAULT_FILE_RETRY_BUDGET when absent). */
  readonly fileBudget?: FileRetryBudget;
}

/**
 * Bounds on one file's download, whatever progress each attempt made: progress resets the backoff
 * delay, never these (a store that drops every connection after a few bytes once kept a run going
 * forever). Time spent receiving bytes is not counted, so a slow multi-GB transfer that keeps
 * streaming is never cut: what is bounded is the retrying.
 */
export interface FileRetryBudget {
  /** Requests for one file in all, the first included. */
  readonly maxAttempts: number;
  /** Time spent waiting between attempts or in attempts that received no byte; no attempt after. */
  readonly maxRetryingMs: number;
}

export const DEFAULT_FILE_RETRY_BUDGET: FileRetryBudget = {
  maxAttempts: 10,
  maxRetryingMs: 10 * 60_000,
};

/**
 * True when one more attempt at a file fits its budget: `attemptsMade` requests so far,
 * `retryingMs` already spent retrying, and a wait of `delayMs` before the next one.
 */
export function fileMayRetry(input: {
  readonly attemptsMade: number;
  readonly retryingMs: number;
  readonly delayMs: number;
  readonly budget: FileRetryBudget;
}): boolean {
  const { attemptsMade, retryingMs, delayMs, budget } = input;
  return attemptsMade < budget.maxAttempts && retryingMs + delayMs <= budget.maxRetryingMs;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

/** Statuses worth another try: rate limits, timeouts and server-side failures (never other 4xx). */
export function isRetryableStatus(status: number): boolean {
  return (
    status === 408 ||
    status === 429 ||
    status === 500 ||
    status === 502 ||
    status === 503 ||
    status === 504
  );
}

/**
 * Parses Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Returns milliseconds from
 * `nowMs`, or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const dateMs = Date.parse(trimmed);
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, dateMs - nowMs);
}

export interface RetryDecisionInput {
  /** The attempt that just failed, counting from 1. */
  readonly attempt: number;
  readonly policy: RetryPolicy;
  /** Milliseconds the server asked us to wait, if it did. */
  readonly retryAfterMs: number | undefined;
  /** A number in [0, 1) used for jitter. */
  readonly random: number;
}

/**
 * The delay before the next attempt, or undefined when the call should give up: attempts used up,
 * or a Retry-After longer than the policy accepts. Exponential backoff with full jitter, and never
 * shorter than what Retry-After asks.
 */
export function retryDelayMs(input: RetryDecisionInput): number | undefined {
  const { attempt, policy, retryAfterMs, random } = input;
  if (attempt >= policy.maxAttempts) return undefined;
  if (retryAfterMs !== undefined) {
    return retryAfterMs > policy.maxRetryAfterMs ? undefined : retryAfterMs;
  }
  const ceilingMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // Full jitter (half fixed, half random) spreads retries of many concurrent callers apart.
  return Math.round(ceilingMs / 2 + (ceilingMs / 2) * random);
}
