/**
 * Reads small objects of a component (its files list, its images list) from the object store:
 * asks the gateway for a presigned URL, fetches it with a clean request, asks again when the URL
 * expired, retries server errors with backoff.
 */
import { type Dispatcher, request } from "undici";
import { isMirrorError, NetworkError, NotFoundError } from "../errors.js";
import { reachesBeyondFile } from "../failures.js";
import { isRetryableStatus, type RetryPolicy } from "../http/backoff.js";
import { firstHeader } from "../http/headers.js";
import { type RetryTimer, waitBeforeRetry } from "../http/retry.js";
import type { FilesList } from "../model.js";
import { toLocalIoError } from "../tree/io-errors.js";
import { readFilesList } from "./endpoints.js";
import { API_CALL_BUDGET_TIMEOUTS } from "./http.js";
import { safeUrl } from "./http-errors.js";
import { errorFromNetwork } from "./network-errors.js";
import { type BodyLimit, FILES_LIST_MAX_BYTES, readCappedText } from "./read-body.js";

export interface StoreReaderOptions {
  readonly resolveUrl: (
    componentId: string,
    filePath: string,
    options: { rhdl?: boolean; signal?: AbortSignal },
  ) => Promise<string>;
  readonly dispatcher: Dispatcher;
  readonly timeoutMs: number;
  readonly userAgent: string;
  readonly retryPolicy: RetryPolicy;
  readonly random: () => number;
  readonly proxyUrl: string | undefined;
}

interface ReadOptions {
  readonly rhdl?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * GETs an object-store URL with a clean request: no DCI signature, no Authorization (S3 refuses a
 * presigned URL that comes with one).
 */
async function fetchUnsigned(
  url: string,
  options: StoreReaderOptions,
  limit: BodyLimit,
  signal?: AbortSignal,
) {
  const response = await request(url, {
    method: "GET",
    headers: { "user-agent": options.userAgent },
    dispatcher: options.dispatcher,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    signal: signal ?? null,
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    text: await readCappedText(
      response.body,
      firstHeader(response.headers, "content-length"),
      limit,
    ),
  };
}

export class StoreReader {
  readonly #options: StoreReaderOptions;
  /** Retry-After dates are read against the local clock. */
  readonly #timer: RetryTimer;

  constructor(options: StoreReaderOptions) {
    this.#options = options;
    this.#timer = { retryPolicy: options.retryPolicy, random: options.random, now: Date.now };
  }

  /** The component's files list, checked. */
  async filesList(componentId: string, options: ReadOptions): Promise<FilesList> {
    const name = options.rhdl === true ? "rhdl_files_list.json" : "dci_files_list.json";
    const text = await this.#read(
      componentId,
      name,
      options,
      `the files list of component ${componentId}`,
    );
    if (text === undefined) {
      throw new NotFoundError(`Component ${componentId} has no ${name} in the object store.`, {
        code: "FILES_LIST_MISSING",
        hint: "The component was published without a files list; ask your Red Hat contact, or pick another component with --filter or --component-id.",
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Reported as a shape error below with the endpoint named.
      parsed = undefined;
    }
    return readFilesList(parsed, `${name} of component ${componentId}`);
  }

  /** An optional text object; undefined when the store says 404. */
  async optionalText(
    componentId: string,
    filePath: string,
    options: ReadOptions,
  ): Promise<string | undefined> {
    return this.#read(
      componentId,
      filePath,
      options,
      `the object ${filePath} of component ${componentId}`,
    );
  }

  async #read(
    componentId: string,
    filePath: string,
    options: ReadOptions,
    what: string,
  ): Promise<string | undefined> {
    const { signal } = options;
    // Files lists and images lists share one ceiling: both grow with the compose.
    const limit = { maxBytes: FILES_LIST_MAX_BYTES, what };
    // Retries stop once another silent attempt could not end within the budget an API call gets
    // (4 × the timeout); an attempt whose body is still arriving is never cut for time.
    const deadlineMs = performance.now() + this.#options.timeoutMs * API_CALL_BUDGET_TIMEOUTS;
    const timeLeftMs = () => deadlineMs - performance.now() - this.#options.timeoutMs;
    for (let attempt = 1; ; attempt++) {
      const url = await this.#options.resolveUrl(componentId, filePath, options);
      let answer: Awaited<ReturnType<typeof fetchUnsigned>>;
      try {
        answer = await fetchUnsigned(url, this.#options, limit, signal);
      } catch (error) {
        // A body past its ceiling would be as large on the next attempt.
        if (isMirrorError(error)) throw error;
        // This machine's limits (EMFILE, …) are no network trouble: no other attempt fixes them.
        if (reachesBeyondFile(error))
          throw toLocalIoError(error, "read", `the ${filePath} of ${componentId}`);
        if (
          signal?.aborted ||
          !(await waitBeforeRetry(this.#timer, { attempt, signal, timeLeftMs: timeLeftMs() }))
        ) {
          throw errorFromNetwork(error, "GET", new URL(url), this.#options.proxyUrl, {
            timeoutMs: this.#options.timeoutMs,
            service: "object store",
          });
        }
        continue;
      }
      const { status } = answer;
      if (status === 200) return answer.text;
      if (status === 404) return undefined;
      // 403 is an expired (or refused) presigned URL: the next attempt asks the gateway again.
      const isWorthRetry = status === 403 || isRetryableStatus(status);
      const retryAfter = firstHeader(answer.headers, "retry-after");
      const isImmediate = status === 403;
      const wait = { attempt, retryAfter, isImmediate, signal, timeLeftMs: timeLeftMs() };
      if (!isWorthRetry || !(await waitBeforeRetry(this.#timer, wait))) {
        throw new NetworkError(
          `The object store answered HTTP ${status} for ${filePath} (${safeUrl(url)}).`,
          {
            code: "STORE_ERROR",
            hint: "Try again later; if it persists, report it to your Red Hat contact.",
          },
        );
      }
    }
  }
}
