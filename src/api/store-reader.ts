/**
 * Reads small objects of a component (its files list, its images list) from the object store:
 * asks the gateway for a presigned URL, fetches it with a clean request, asks again when the URL
 * expired, retries server errors with backoff.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Dispatcher } from "undici";
import { NetworkError, NotFoundError } from "../errors.js";
import type { FilesList } from "../model.js";
import { isRetryableStatus, parseRetryAfter, type RetryPolicy, retryDelayMs } from "./backoff.js";
import { readFilesList } from "./endpoints.js";
import { fetchUnsigned, firstHeader } from "./http.js";
import { errorFromNetwork, safeUrl } from "./http-errors.js";

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

export class StoreReader {
  readonly #options: StoreReaderOptions;

  constructor(options: StoreReaderOptions) {
    this.#options = options;
  }

  /** The component's files list, checked. */
  async filesList(componentId: string, options: ReadOptions): Promise<FilesList> {
    const name = options.rhdl === true ? "rhdl_files_list.json" : "dci_files_list.json";
    const text = await this.#read(componentId, name, options);
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
    return this.#read(componentId, filePath, options);
  }

  async #read(
    componentId: string,
    filePath: string,
    options: ReadOptions,
  ): Promise<string | undefined> {
    const policy = this.#options.retryPolicy;
    for (let attempt = 1; ; attempt++) {
      const url = await this.#options.resolveUrl(componentId, filePath, options);
      let status: number;
      let retryAfter: string | undefined;
      try {
        const answer = await fetchUnsigned(url, { ...this.#options, signal: options.signal });
        if (answer.status === 200) return answer.text;
        if (answer.status === 404) return undefined;
        status = answer.status;
        retryAfter = firstHeader(answer.headers, "retry-after");
      } catch (error) {
        if (options.signal?.aborted || attempt >= policy.maxAttempts) {
          throw errorFromNetwork(error, "GET", new URL(url), this.#options.proxyUrl);
        }
        status = 0;
      }
      // 403 is an expired (or refused) presigned URL: the next attempt asks the gateway again.
      const isWorthRetry = status === 0 || status === 403 || isRetryableStatus(status);
      const delayMs = isWorthRetry
        ? retryDelayMs({
            attempt,
            policy,
            retryAfterMs: parseRetryAfter(retryAfter, Date.now()),
            random: this.#options.random(),
          })
        : undefined;
      if (delayMs === undefined) {
        throw new NetworkError(
          `The object store answered HTTP ${status} for ${filePath} (${safeUrl(url)}).`,
          {
            code: "STORE_ERROR",
            hint: "Try again later; if it persists, report it to your Red Hat contact.",
          },
        );
      }
      await sleep(
        status === 403 ? 0 : delayMs,
        undefined,
        options.signal === undefined ? {} : { signal: options.signal },
      );
    }
  }
}
