/**
 * The one way DCI API requests are sent: each attempt signed and sent once (signed-exchange.ts),
 * idempotent calls retried with backoff and Retry-After within the call's time budget, one
 * recovery from a drifting local clock (clock-skew.ts), and failures mapped to typed errors.
 * Object-store requests go through the store reader, which never sends DCI headers.
 */
import type { Dispatcher } from "undici";
import { errorCode, isMirrorError } from "../errors.js";
import { reachesBeyondFile } from "../failures.js";
import { isRetryableStatus, parseRetryAfter, type RetryPolicy } from "../http/backoff.js";
import { firstHeader } from "../http/headers.js";
import { waitBeforeRetry } from "../http/retry.js";
import { toLocalIoError } from "../tree/io-errors.js";
import type { ApiGate } from "./api-gate.js";
import { type CallBudget, callBudget } from "./call-budget.js";
import { clockSkewMessage, skewedClockOffsetMs } from "./clock-skew.js";
import { errorFromResponse, safeUrl } from "./http-errors.js";
import { callTooLong, errorFromNetwork } from "./network-errors.js";
import {
  exchange,
  type HttpAnswer,
  type HttpCall,
  serverMessage,
  signedHeaders,
} from "./signed-exchange.js";

/**
 * One API call, retries included, gets at most this many times the timeout (2 min by default):
 * enough for three attempts that each time out, never the 5 × 60 s a hanging server used to cost.
 */
export const API_CALL_BUDGET_TIMEOUTS = 4;

export interface HttpWarning {
  readonly code: "CLOCK_SKEW";
  readonly message: string;
  readonly offsetMs: number;
}

export interface HttpRetryEvent {
  /** Origin and path of the URL, never its query. */
  readonly url: string;
  readonly attempt: number;
  readonly delayMs: number;
  readonly reason: string;
}

export interface SignedHttpOptions {
  readonly clientId: string;
  readonly apiSecret: string;
  readonly dispatcher: Dispatcher;
  readonly proxyUrl: string | undefined;
  readonly retryPolicy: RetryPolicy;
  /** Headers within this, and no body gap longer; the whole call within 4 times this. */
  readonly timeoutMs: number;
  readonly userAgent: string;
  readonly now: () => number;
  readonly random: () => number;
  readonly onWarning: (warning: HttpWarning) => void;
  readonly onRetry: (event: HttpRetryEvent) => void;
  /** The cap on requests in flight and the pause shared after a 429 or 503. */
  readonly gate: ApiGate;
}

/** Answers that ask every caller to slow down, not just the one that got them. */
function isOverloaded(status: number): boolean {
  return status === 429 || status === 503;
}

/** Only reads are retried: a POST or DELETE that failed on the wire may still have happened. */
function isIdempotentCall(call: HttpCall): boolean {
  return call.method === "GET" || call.method === "HEAD";
}

/** Signed DCI transport; see the module comment. */
export class SignedHttp {
  readonly #options: SignedHttpOptions;
  /** Server time minus local time, learnt from a rejected signature; 0 until then. */
  #clockOffsetMs = 0;

  constructor(options: SignedHttpOptions) {
    this.#options = options;
  }

  get clockOffsetMs(): number {
    return this.#clockOffsetMs;
  }

  /** Sends a signed request, retrying as allowed; throws a typed MirrorError on failure. */
  async send(call: HttpCall): Promise<HttpAnswer> {
    const budget = callBudget(this.#options.timeoutMs * API_CALL_BUDGET_TIMEOUTS, call.signal);
    try {
      return await this.#sendWithin(call, budget);
    } finally {
      budget.release();
    }
  }

  async #sendWithin(call: HttpCall, budget: CallBudget): Promise<HttpAnswer> {
    const isIdempotent = isIdempotentCall(call);
    let hasResignedForClock = false;
    for (let attempt = 1; ; attempt++) {
      const answer = await this.#attempt(call, attempt, budget);
      if (answer === "retry") continue;
      const { status } = answer;
      if (status < 300 || call.acceptStatuses?.includes(status)) return answer;
      if (!hasResignedForClock && this.#learnClockOffset(answer)) {
        hasResignedForClock = true;
        attempt--;
        continue;
      }
      if (isIdempotent && isRetryableStatus(status)) {
        const retryAfter = firstHeader(answer.headers, "retry-after");
        const reason = `HTTP ${status}`;
        const isShared = isOverloaded(status);
        if (await this.#waitBeforeRetry(call, budget, { attempt, retryAfter, reason, isShared }))
          continue;
      }
      throw errorFromResponse(
        status,
        serverMessage(answer.body),
        call.method,
        call.url,
        call.context,
      );
    }
  }

  async #attempt(
    call: HttpCall,
    attempt: number,
    budget: CallBudget,
  ): Promise<HttpAnswer | "retry"> {
    try {
      // Signed once the gate lets it through: a request never leaves with an old date.
      return await this.#options.gate.run(async () => {
        const signedAt = new Date(this.#options.now() + this.#clockOffsetMs);
        const headers = signedHeaders(call, this.#options, signedAt);
        const answer = await exchange(call, headers, this.#options, budget.signal);
        // Held before this request's slot frees, so no queued request slips out meanwhile; the
        // retry's own wait (#waitBeforeRetry) then extends the pause to its exact delay.
        if (isOverloaded(answer.status)) this.#options.gate.pauseFor(this.#firstPauseMs(answer));
        return answer;
      }, budget.signal);
    } catch (error) {
      if (call.signal?.aborted) throw error;
      // A body past its size limit would come back as large on the next attempt.
      if (isMirrorError(error)) throw error;
      // This machine's limits (EMFILE, …) are no network trouble: no other attempt fixes them.
      if (reachesBeyondFile(error)) throw toLocalIoError(error, "call", safeUrl(call.url));
      if (budget.isExpired()) throw callTooLong(call.method, call.url, budget.budgetMs);
      const reason = errorCode(error, "network error");
      if (
        isIdempotentCall(call) &&
        (await this.#waitBeforeRetry(call, budget, {
          attempt,
          retryAfter: undefined,
          reason,
          isShared: false,
        }))
      ) {
        return "retry";
      }
      throw errorFromNetwork(error, call.method, call.url, this.#options.proxyUrl, {
        timeoutMs: this.#options.timeoutMs,
      });
    }
  }

  /** The least an overloaded server's answer holds every request: its Retry-After, or half a backoff. */
  #firstPauseMs(answer: HttpAnswer): number {
    const policy = this.#options.retryPolicy;
    const retryAfterMs = parseRetryAfter(firstHeader(answer.headers, "retry-after"), Date.now());
    return Math.min(retryAfterMs ?? policy.baseDelayMs / 2, policy.maxRetryAfterMs);
  }

  /**
   * True when `answer` shows the local clock off (clock-skew.ts): requests are signed with the
   * server's time from now on, and a CLOCK_SKEW warning says so.
   */
  #learnClockOffset(answer: HttpAnswer): boolean {
    const offsetMs = skewedClockOffsetMs(answer, () => this.#options.now());
    if (offsetMs === undefined) return false;
    this.#clockOffsetMs = offsetMs;
    this.#options.onWarning({ code: "CLOCK_SKEW", offsetMs, message: clockSkewMessage(offsetMs) });
    return true;
  }

  /**
   * Waits before the next attempt, unless the call's budget could not hold one more timeout; a
   * shared wait (the server is overloaded) holds every other API request for as long.
   */
  #waitBeforeRetry(
    call: HttpCall,
    budget: CallBudget,
    failed: { attempt: number; retryAfter: string | undefined; reason: string; isShared: boolean },
  ): Promise<boolean> {
    const { attempt, retryAfter, reason, isShared } = failed;
    return waitBeforeRetry(this.#options, {
      attempt,
      retryAfter,
      signal: call.signal,
      timeLeftMs: budget.deadlineMs - performance.now() - this.#options.timeoutMs,
      onDelay: (delayMs) => {
        if (isShared) this.#options.gate.pauseFor(delayMs);
        this.#options.onRetry({ url: safeUrl(call.url), attempt, delayMs, reason });
      },
    });
  }
}
