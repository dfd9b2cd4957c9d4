/**
 * The one place that sends DCI API requests: signs each attempt, retries idempotent calls with
 * backoff and Retry-After, recovers once from a drifting local clock, and maps failures to typed
 * errors. Object-store requests go through the store reader, which never sends DCI headers.
 */
import { type Dispatcher, request } from "undici";
import { errorCode, isMirrorError } from "../errors.js";
import { reachesBeyondFile } from "../failures.js";
import { isRetryableStatus, type RetryPolicy } from "../http/backoff.js";
import { firstHeader } from "../http/headers.js";
import { waitBeforeRetry } from "../http/retry.js";
import { SIGNATURE_WINDOW_MS } from "../signing/canonical.js";
import { signRequestAt } from "../signing/sign.js";
import { toLocalIoError } from "../tree/io-errors.js";
import { type CallBudget, callBudget } from "./call-budget.js";
import { type CallContext, errorFromResponse, safeUrl } from "./http-errors.js";
import { callTooLong, errorFromNetwork } from "./network-errors.js";
import { API_ANSWER_MAX_BYTES, readCappedText } from "./read-body.js";

/** Re-exported for importers that still read it here; its home is http/timeouts.ts. */
export { API_TIMEOUT_MS } from "../http/timeouts.js";

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

export interface HttpCall {
  readonly method: "GET" | "HEAD" | "POST" | "PUT" | "DELETE";
  readonly url: URL;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly context: CallContext;
  /** Statuses that are an answer, not a failure (2xx always are). */
  readonly acceptStatuses?: readonly number[];
  readonly signal?: AbortSignal | undefined;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Parsed JSON when the answer was JSON, otherwise the text; `undefined` for an empty body. */
  readonly body: unknown;
}

/** Only reads are retried: a POST or DELETE that failed on the wire may still have happened. */
function isIdempotentCall(call: HttpCall): boolean {
  return call.method === "GET" || call.method === "HEAD";
}

function serverMessage(body: unknown): string {
  if (
    typeof body === "object" &&
    body !== null &&
    typeof Reflect.get(body, "message") === "string"
  ) {
    return String(Reflect.get(body, "message"));
  }
  return "";
}

function formatOffset(offsetMs: number): string {
  const totalSeconds = Math.round(Math.abs(offsetMs) / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  return `${minutes} min ${totalSeconds % 60} s ${offsetMs > 0 ? "behind" : "ahead of"}`;
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
    const signed = signRequestAt(
      {
        method: call.method,
        url: call.url,
        body: call.body ?? "",
        accessKey: this.#options.clientId,
        secretKey: this.#options.apiSecret,
      },
      new Date(this.#options.now() + this.#clockOffsetMs),
    );
    const headers: Record<string, string> = {
      "user-agent": this.#options.userAgent,
      accept: "application/json",
      ...call.headers,
      ...signed,
    };
    if (call.body !== undefined) headers["content-type"] = "application/json";
    try {
      return await this.#exchange(call, headers, budget.signal);
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

  async #exchange(
    call: HttpCall,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<HttpAnswer> {
    const response = await request(call.url, {
      method: call.method,
      headers,
      body: call.body ?? null,
      dispatcher: this.#options.dispatcher,
      headersTimeout: this.#options.timeoutMs,
      bodyTimeout: this.#options.timeoutMs,
      signal,
    });
    const text = await readCappedText(
      response.body,
      firstHeader(response.headers, "content-length"),
      { maxBytes: API_ANSWER_MAX_BYTES, what: `the answer to ${call.method} ${safeUrl(call.url)}` },
    );
    const contentType = firstHeader(response.headers, "content-type") ?? "";
    let body: unknown = text === "" ? undefined : text;
    if (text !== "" && contentType.includes("json")) {
      try {
        body = JSON.parse(text);
      } catch {
        // A broken JSON body is kept as text; the endpoint reader reports the shape problem.
        body = text;
      }
    }
    return { status: response.statusCode, headers: response.headers, body };
  }

  /**
   * A lab host's clock may drift. When the server calls a signature expired and its own Date shows
   * the local clock off by more than the signature window, sign with the server's time from now on.
   */
  #learnClockOffset(answer: HttpAnswer): boolean {
    if (answer.status !== 400 || !serverMessage(answer.body).includes("signature is expired"))
      return false;
    const serverDateMs = Date.parse(firstHeader(answer.headers, "date") ?? "");
    if (Number.isNaN(serverDateMs)) return false;
    const offsetMs = serverDateMs - this.#options.now();
    if (Math.abs(offsetMs) <= SIGNATURE_WINDOW_MS) return false;
    this.#clockOffsetMs = offsetMs;
    this.#options.onWarning({
      code: "CLOCK_SKEW",
      offsetMs,
      message: `The system clock is ${formatOffset(offsetMs)} the DCI server's; requests are now signed with the server's time. Fix the clock (timedatectl; chronyd or ntpd).`,
    });
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
