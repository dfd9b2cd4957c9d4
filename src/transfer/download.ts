/**
 * Downloads one file into its partial and places it once size and sha256 match (STYLE.md §2,
 * transfer). Resume rules, after undici's RetryHandler: only a 206 whose Content-Range starts at the
 * bytes held, for the expected total, and (when known) the same strong ETag may continue a partial;
 * anything else restarts the file from zero (RFC 9110 §14 and §13.1.5).
 */
import { createHash, type Hash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { type Dispatcher, request } from "undici";
import {
  isRetryableStatus,
  parseRetryAfter,
  type RetryPolicy,
  retryDelayMs,
} from "../api/backoff.js";
import { firstHeader } from "../api/headers.js";
import {
  AuthError,
  EXIT_CODES,
  errorCode,
  IntegrityError,
  isMirrorError,
  LocalIOError,
  NetworkError,
  NotFoundError,
} from "../errors.js";
import type { Outcome, RemoteFile } from "../model.js";
import type { PlacedStats } from "../tree/place.js";
import type { MirrorEventListener } from "./events.js";
import {
  openPartial,
  openPartialWriter,
  removePartial,
  truncatePartial,
  writePartialMeta,
} from "./partial.js";
import { hashFile } from "./verify.js";

export interface DownloadOptions {
  readonly componentFolder: string;
  /** A fresh presigned URL for the file (one signed gateway call). */
  readonly resolveUrl: (filePath: string, signal: AbortSignal) => Promise<string>;
  readonly dispatcher: Dispatcher;
  /** No byte for this long: the transfer is stalled and is retried (resuming). */
  readonly stallTimeoutMs: number;
  readonly retryPolicy: RetryPolicy;
  readonly random: () => number;
  readonly userAgent: string;
  /** Moves the verified, fsynced partial to its final path; `stats` are its size, mtime, inode. */
  readonly place: (partialPath: string, file: RemoteFile, stats: PlacedStats) => Promise<void>;
  readonly emit: MirrorEventListener;
  readonly signal: AbortSignal;
}

type Step =
  | { readonly kind: "complete" }
  | { readonly kind: "overflow" }
  | {
      readonly kind: "retry";
      readonly reason: string;
      readonly retryAfterMs?: number | undefined;
      readonly isImmediate?: boolean;
      readonly madeProgress?: boolean;
    }
  | { readonly kind: "fail"; readonly error: Error };

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+)$/;

/** Weak ETags promise no byte-for-byte equality, so they never guard a resume. */
function strongEtag(value: string | undefined): string | undefined {
  return value === undefined || value.startsWith("W/") ? undefined : value;
}

/** True for errors that stop the whole run, not just this file. */
export function isFatal(error: unknown): boolean {
  return (
    error instanceof AuthError ||
    error instanceof LocalIOError ||
    (isMirrorError(error) && error.exitCode === EXIT_CODES.interrupted)
  );
}

/**
 * The outcome of a file that failed: a known MirrorError keeps its code and exit code; anything else
 * is an interruption (`isAbort`) or an unexpected error, a bug.
 */
export function failedOutcome(
  path: string,
  error: unknown,
  { isAbort = false, bytesTransferred = 0 }: { isAbort?: boolean; bytesTransferred?: number } = {},
): Outcome {
  const known = isMirrorError(error);
  return {
    kind: "failed",
    path,
    code: known ? error.code : isAbort ? "ABORTED" : "UNEXPECTED",
    message: error instanceof Error ? error.message : String(error),
    exitCode: known ? error.exitCode : isAbort ? EXIT_CODES.interrupted : EXIT_CODES.unexpected,
    bytesTransferred,
  };
}

/** One file's transfer; `run()` returns its Outcome, and throws only fatal errors or the abort reason. */
export class FileDownload {
  readonly #file: RemoteFile;
  readonly #options: DownloadOptions;
  #partialPath = "";
  #hash: Hash = createHash("sha256");
  #heldBytes = 0;
  #etag: string | undefined;
  #bytesTransferred = 0;
  #freshDownloads = 0;
  #finished: PlacedStats | undefined;
  readonly #isResume: boolean;

  /** `isResume`: the planner saw a partial for this file; without it none is looked for. */
  constructor(file: RemoteFile, options: DownloadOptions, { isResume }: { isResume: boolean }) {
    this.#file = file;
    this.#options = options;
    this.#isResume = isResume;
  }

  async run(): Promise<Outcome> {
    const { signal } = this.#options;
    const partial = await openPartial(this.#options.componentFolder, this.#file, {
      mayExist: this.#isResume,
    });
    this.#partialPath = partial.filePath;
    this.#heldBytes = partial.heldBytes;
    this.#etag = partial.etag;
    this.#hash = await hashFile(this.#partialPath, signal, this.#heldBytes);
    const resumedFrom = this.#heldBytes;
    this.#options.emit({
      type: "file-start",
      path: this.#file.path,
      sizeBytes: this.#file.sizeBytes,
      offsetBytes: resumedFrom,
    });
    for (let attempt = 1; ; attempt++) {
      signal.throwIfAborted();
      const step = await this.#attempt();
      if (step.kind === "complete" || step.kind === "overflow") {
        const digest = step.kind === "complete" ? this.#hash.digest("hex") : "";
        if (digest === this.#file.sha256) {
          const stats = this.#finished ?? (await this.#finishHeld());
          await this.#options.place(this.#partialPath, this.#file, stats);
          await removePartial(this.#options.componentFolder, this.#file);
          const kind = resumedFrom > 0 && this.#freshDownloads === 0 ? "resumed" : "downloaded";
          return { kind, path: this.#file.path, bytesTransferred: this.#bytesTransferred };
        }
        await this.#restart();
        this.#freshDownloads++;
        if (this.#freshDownloads > 1) return this.#failed(this.#integrityError(digest));
        attempt = 0;
        continue;
      }
      if (step.kind === "fail") return this.#failed(step.error);
      if (step.madeProgress === true) attempt = 1;
      const delayMs =
        step.isImmediate === true && attempt < this.#options.retryPolicy.maxAttempts
          ? 0
          : retryDelayMs({
              attempt,
              policy: this.#options.retryPolicy,
              retryAfterMs: step.retryAfterMs,
              random: this.#options.random(),
            });
      if (delayMs === undefined) {
        return this.#failed(
          new NetworkError(
            `Gave up on ${this.#file.path} after ${attempt} attempts: ${step.reason}.`,
            {
              code: "DOWNLOAD_FAILED",
              hint: "The object store kept failing; run again later (partial files are kept and resumed).",
            },
          ),
        );
      }
      this.#options.emit({
        type: "file-retry",
        path: this.#file.path,
        attempt,
        delayMs,
        reason: step.reason,
      });
      if (delayMs > 0) await sleep(delayMs, undefined, { signal });
    }
  }

  #integrityError(digest: string): IntegrityError {
    const got = digest === "" ? "more bytes than listed" : `sha256 ${digest}`;
    return new IntegrityError(
      `${this.#file.path}: got ${got}, expected sha256 ${this.#file.sha256}, twice.`,
      {
        code: "SHA256_MISMATCH",
        hint: "The server keeps sending other bytes than its files list promises; report it to your Red Hat contact. Nothing was placed.",
      },
    );
  }

  #failed(error: Error): Outcome {
    if (isFatal(error)) throw error;
    return failedOutcome(this.#file.path, error, { bytesTransferred: this.#bytesTransferred });
  }

  /** fsync and stat of a partial completed by an earlier run (a 416 on resume). */
  async #finishHeld(): Promise<PlacedStats> {
    const writer = await openPartialWriter(this.#partialPath, this.#heldBytes);
    try {
      return await writer.finish();
    } finally {
      await writer.close();
    }
  }

  async #restart(): Promise<void> {
    this.#finished = undefined;
    await truncatePartial(this.#partialPath);
    this.#hash = createHash("sha256");
    this.#heldBytes = 0;
    this.#etag = undefined;
  }

  async #attempt(): Promise<Step> {
    const { signal } = this.#options;
    let url: string;
    try {
      url = await this.#options.resolveUrl(this.#file.path, signal);
    } catch (error) {
      if (signal.aborted || isFatal(error)) throw error;
      return { kind: "fail", error: error instanceof Error ? error : new Error(String(error)) };
    }
    const headers: Record<string, string> = { "user-agent": this.#options.userAgent };
    if (this.#heldBytes > 0) {
      headers["range"] = `bytes=${this.#heldBytes}-`;
      if (this.#etag !== undefined) headers["if-range"] = this.#etag;
    }
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: "GET",
        headers,
        dispatcher: this.#options.dispatcher,
        signal,
        headersTimeout: this.#options.stallTimeoutMs,
        bodyTimeout: this.#options.stallTimeoutMs,
      });
    } catch (error) {
      if (signal.aborted) throw error;
      return { kind: "retry", reason: errorCode(error, "network error") };
    }
    return this.#answer(response);
  }

  async #answer(response: Dispatcher.ResponseData): Promise<Step> {
    const status = response.statusCode;
    if (status === 200 || status === 206) {
      if (status === 206 && !this.#canContinue(response)) {
        await response.body.dump();
        await this.#restart();
        return {
          kind: "retry",
          reason: "the object changed or answered another range",
          isImmediate: true,
        };
      }
      if (status === 200 && this.#heldBytes > 0) await this.#restart();
      if (this.#heldBytes === 0) {
        this.#etag = strongEtag(firstHeader(response.headers, "etag"));
        await writePartialMeta(this.#options.componentFolder, this.#file, this.#etag);
      }
      return this.#receive(response.body);
    }
    await response.body.dump();
    if (status === 416) {
      if (this.#heldBytes === this.#file.sizeBytes) return { kind: "complete" };
      await this.#restart();
      return { kind: "retry", reason: "HTTP 416", isImmediate: true };
    }
    // 403 from the store is an expired (or refused) presigned URL: the next attempt asks the API again.
    if (status === 403)
      return { kind: "retry", reason: "presigned URL expired (HTTP 403)", isImmediate: true };
    if (status === 404) {
      return {
        kind: "fail",
        error: new NotFoundError(
          `${this.#file.path} is listed but missing from the object store (HTTP 404).`,
          {
            code: "FILE_NOT_FOUND",
            hint: "The component's files list and its objects disagree; report it to your Red Hat contact.",
          },
        ),
      };
    }
    if (isRetryableStatus(status)) {
      const retryAfterMs = parseRetryAfter(
        firstHeader(response.headers, "retry-after"),
        Date.now(),
      );
      return { kind: "retry", reason: `HTTP ${status}`, retryAfterMs };
    }
    return {
      kind: "fail",
      error: new NetworkError(`The object store answered HTTP ${status} for ${this.#file.path}.`, {
        code: "STORE_ERROR",
        hint: "Run again later; if it persists, report it to your Red Hat contact.",
      }),
    };
  }

  #canContinue(response: Dispatcher.ResponseData): boolean {
    const range = CONTENT_RANGE.exec(firstHeader(response.headers, "content-range") ?? "");
    const etag = strongEtag(firstHeader(response.headers, "etag"));
    return (
      this.#heldBytes > 0 &&
      range !== null &&
      Number(range[1]) === this.#heldBytes &&
      Number(range[3]) === this.#file.sizeBytes &&
      (this.#etag === undefined || etag === this.#etag)
    );
  }

  async #receive(body: Dispatcher.ResponseData["body"]): Promise<Step> {
    const writer = await openPartialWriter(this.#partialPath, this.#heldBytes);
    let receivedBytes = 0;
    try {
      for await (const chunk of body) {
        const bytes: Uint8Array = chunk;
        if (this.#heldBytes + bytes.length > this.#file.sizeBytes) {
          body.destroy();
          return { kind: "overflow" };
        }
        this.#hash.update(bytes);
        await writer.write(bytes);
        this.#heldBytes += bytes.length;
        receivedBytes += bytes.length;
        this.#bytesTransferred += bytes.length;
        this.#options.emit({ type: "file-progress", path: this.#file.path, bytes: bytes.length });
      }
      if (this.#heldBytes === this.#file.sizeBytes) this.#finished = await writer.finish();
    } catch (error) {
      if (this.#options.signal.aborted) throw error;
      return {
        kind: "retry",
        reason: errorCode(error, "network error"),
        madeProgress: receivedBytes > 0,
      };
    } finally {
      await writer.close();
    }
    if (this.#heldBytes === this.#file.sizeBytes) return { kind: "complete" };
    return { kind: "retry", reason: "the body ended early", madeProgress: receivedBytes > 0 };
  }
}
