/**
 * The one way DCI API requests are sent: each attempt signed and sent once (signed-exchange.ts),
 * idempotent calls retried with backoff and Retry-After within the call's time budget, one
 * recovery from a drifting local clock (clock-skew.ts), and failures mapped to typed errors.
 * Object-store requests go through the store reader, which never sends DCI headers.
 */
import type { Dispatcher } from "undici";
import { errorCode, isMirrorError } from "../errors.js";
import { reachesBeyondFile } from "../failures.js";
import { isRetryableStatus, type RetryPolicy } from "../http/backoff.js";
import { firstHeader } from "../http/headers.js";
import { waitBeforeRetry } from "../http/retry.js";
import { toLocalIoError } from "../tree/io-errors.js";
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
        if (await this.#waitBeforeRetry(call, budget, { attempt, retryAfter, reason })) continue;
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
    const signedAt = new Date(this.#options.now() + this.#clockOffsetMs);
    const headers = signedHeaders(call, this.#options, signedAt);
    try {
      return await exchange(call, headers, this.#options, budget.signal);
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
        (await this.#waitBeforeRetry(call, budget, { attempt, retryAfter: undefined, reason }))
      ) {
        return "retry";
      }
      throw errorFromNetwork(error, call.method, call.url, this.#options.proxyUrl, {
        timeoutMs: this.#options.timeoutMs,
      });
    }
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

  /** Waits before the next attempt, unless the call's budget could not hold one more timeout. */
  #waitBeforeRetry(
    call: HttpCall,
    budget: CallBudget,
    failed: { attempt: number; retryAfter: string | undefined; reason: string },
  ): Promise<boolean> {
    const { attempt, retryAfter, reason } = failed;
    return waitBeforeRetry(this.#options, {
      attempt,
      retryAfter,
      signal: call.signal,
      timeLeftMs: budget.deadlineMs - performance.now() - this.#options.timeoutMs,
      onDelay: (delayMs) =>
        this.#options.onRetry({ url: safeUrl(call.url), attempt, delayMs, reason }),
    });
  }
}
