/**
 * Downloads one file into its partial and places it once size and sha256 match. Resume
 * rules, after undici's RetryHandler: only a 206 whose Content-Range starts at the
 * bytes held, for the expected total, and (when known) the same strong ETag may continue a partial;
 * anything else restarts the file from zero (RFC 9110 §14 and §13.1.5).
 */
import { createHash, type Hash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { type Dispatcher, request } from "undici";
import { errorCode, isMirrorError, NetworkError, NotFoundError } from "../errors.js";
import type { MirrorEventListener } from "../events.js";
import { reachesBeyondFile } from "../failures.js";
import {
  DEFAULT_FILE_RETRY_BUDGET,
  type FileRetryBudget,
  fileMayRetry,
  isRetryableStatus,
  parseRetryAfter,
  type RetryPolicy,
  retryDelayMs,
} from "../http/backoff.js";
import { firstHeader } from "../http/headers.js";
import type { Outcome, RemoteFile } from "../model.js";
import { throwLocalIo } from "../tree/io-errors.js";
import type { PlacedStats } from "../tree/place.js";
import { failedOutcome, gaveUpError, integrityError, sizeMismatchError } from "./file-errors.js";
import { discardPartial, openPartial } from "./partial.js";
import { removePartial, writePartialMeta } from "./partial-meta.js";
import { finishHeldPartial, openPartialWriter, PartialChangedError } from "./partial-writer.js";
import {
  continuesPartial,
  statedObjectBytes,
  strongEtag,
  unsatisfiedRangeTotal,
} from "./store-answer.js";
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

/**
 * Runs a local file-system call for `path`: its failure is a LocalIOError (exit 7) naming the
 * path and what the errno means, never a network error to retry. Failures are told apart by where
 * they are thrown (here, or the body stream), not guessed from the errno.
 */
async function onDisk<T>(
  action: string,
  path: string,
  signal: AbortSignal,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PartialChangedError) throw error;
    throwLocalIo(error, signal, action, path);
  }
}

/** One file's transfer; `run()` returns its Outcome, and throws only fatal errors or the abort reason. */
export class FileDownload {
  readonly #file: RemoteFile;
  readonly #options: DownloadOptions;
  #partialPath = "";
  /** sha256 of the bytes on disk in the partial: fed only with what a write really put there. */
  #hash: Hash = createHash("sha256");
  /** Bytes on disk in the partial, counted as writes complete (never as they are received). */
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
    await this.#open();
    const resumedFrom = this.#heldBytes;
    this.#options.emit({
      type: "file-start",
      path: this.#file.path,
      sizeBytes: this.#file.sizeBytes,
      offsetBytes: resumedFrom,
    });
    return this.#attemptUntilDone(resumedFrom);
  }

  async #open(): Promise<void> {
    const { componentFolder, signal } = this.#options;
    const partial = await onDisk("open the partial folder", componentFolder, signal, () =>
      openPartial(componentFolder, this.#file, { mayExist: this.#isResume }),
    );
    this.#partialPath = partial.filePath;
    this.#heldBytes = partial.heldBytes;
    this.#etag = partial.etag;
    this.#hash = await onDisk("read", this.#partialPath, signal, () =>
      hashFile(this.#partialPath, signal, this.#heldBytes),
    );
  }

  /**
   * Attempts until the file is placed or fails. Bounded per file in count and in time spent
   * retrying (DEFAULT_FILE_RETRY_BUDGET), whatever progress each attempt made: progress resets
   * the backoff delay only, so a store that drops every connection cannot keep a run going.
   */
  async #attemptUntilDone(resumedFrom: number): Promise<Outcome> {
    const { signal, retryPolicy } = this.#options;
    const budget = retryPolicy.fileBudget ?? DEFAULT_FILE_RETRY_BUDGET;
    let attemptsMade = 0;
    let backoffAttempt = 1;
    let retryingMs = 0;
    for (;;) {
      signal.throwIfAborted();
      const startedMs = performance.now();
      attemptsMade++;
      const answered = await this.#attempt();
      const step =
        answered.kind === "complete" || answered.kind === "overflow"
          ? await this.#settleBody(answered, { resumedFrom, attemptsMade, budget })
          : answered;
      if (step.kind === "placed") return step.outcome;
      if (step.kind === "fail") return this.#failed(step.error);
      if (step.madeProgress === true) backoffAttempt = 1;
      else retryingMs += performance.now() - startedMs;
      const delayMs = this.#delayMs(step, backoffAttempt);
      if (delayMs === undefined || !fileMayRetry({ attemptsMade, retryingMs, delayMs, budget }))
        return this.#failed(gaveUpError(this.#file, attemptsMade, step.reason));
      this.#options.emit({
        type: "file-retry",
        path: this.#file.path,
        attempt: attemptsMade,
        delayMs,
        reason: step.reason,
      });
      retryingMs += delayMs;
      if (delayMs > 0) await sleep(delayMs, undefined, { signal });
      backoffAttempt++;
    }
  }

  /**
   * A body that reached (or passed) the listed size: placed when its sha256 matches, else one
   * fresh download (at once, its backoff reset), else an integrity failure.
   */
  async #settleBody(
    step: Extract<Step, { kind: "complete" | "overflow" }>,
    attempts: { resumedFrom: number; attemptsMade: number; budget: FileRetryBudget },
  ): Promise<
    | Extract<Step, { kind: "retry" | "fail" }>
    | { readonly kind: "placed"; readonly outcome: Outcome }
  > {
    const digest = step.kind === "complete" ? this.#hash.digest("hex") : "";
    if (digest === this.#file.sha256) {
      const outcome = await this.#place(attempts.resumedFrom);
      if (outcome !== undefined) return { kind: "placed", outcome };
      await this.#restart();
      return { kind: "retry", reason: "the partial changed on disk", isImmediate: true };
    }
    await this.#restart();
    this.#freshDownloads++;
    const isSecond = this.#freshDownloads > 1;
    if (isSecond || attempts.attemptsMade >= attempts.budget.maxAttempts)
      return { kind: "fail", error: integrityError(this.#file, digest, { isSecond }) };
    const got = digest === "" ? "more bytes than listed" : "another sha256 than listed";
    return {
      kind: "retry",
      reason: `${got}; downloading it afresh`,
      isImmediate: true,
      madeProgress: true,
    };
  }

  #delayMs(step: Extract<Step, { kind: "retry" }>, backoffAttempt: number): number | undefined {
    const policy = this.#options.retryPolicy;
    if (step.isImmediate === true && backoffAttempt < policy.maxAttempts) return 0;
    return retryDelayMs({
      attempt: backoffAttempt,
      policy,
      retryAfterMs: step.retryAfterMs,
      random: this.#options.random(),
    });
  }

  /** Places a partial whose hash matched; undefined when the partial changed on disk (start again). */
  async #place(resumedFrom: number): Promise<Outcome | undefined> {
    const { componentFolder, signal } = this.#options;
    const path = this.#partialPath;
    let stats = this.#finished;
    try {
      stats ??= await onDisk("fsync", path, signal, () =>
        finishHeldPartial(path, this.#file.sizeBytes),
      );
    } catch (error) {
      if (error instanceof PartialChangedError) return undefined;
      throw error;
    }
    await this.#options.place(path, this.#file, stats);
    await onDisk("remove the meta file of", path, signal, () =>
      removePartial(componentFolder, this.#file),
    );
    const kind = resumedFrom > 0 && this.#freshDownloads === 0 ? "resumed" : "downloaded";
    return { kind, path: this.#file.path, bytesTransferred: this.#bytesTransferred };
  }

  #failed(error: Error): Outcome {
    if (reachesBeyondFile(error)) throw error;
    return failedOutcome(this.#file.path, error, { bytesTransferred: this.#bytesTransferred });
  }

  async #restart(): Promise<void> {
    const path = this.#partialPath;
    this.#finished = undefined;
    await onDisk("remove", path, this.#options.signal, () => discardPartial(path));
    this.#hash = createHash("sha256");
    this.#heldBytes = 0;
    this.#etag = undefined;
  }

  /** One request; a partial that changed on disk is dropped and retried at once. */
  async #attempt(): Promise<Step> {
    try {
      return await this.#request();
    } catch (error) {
      if (!(error instanceof PartialChangedError) || this.#options.signal.aborted) throw error;
      await this.#restart();
      return { kind: "retry", reason: "the partial changed on disk", isImmediate: true };
    }
  }

  async #request(): Promise<Step> {
    const { signal } = this.#options;
    let url: string;
    try {
      url = await this.#options.resolveUrl(this.#file.path, signal);
    } catch (error) {
      if (signal.aborted || reachesBeyondFile(error)) throw error;
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
      // EMFILE and the like are this machine's limits: no other request fixes them.
      if (reachesBeyondFile(error))
        throwLocalIo(error, signal, "open a connection for", this.#file.path);
      return { kind: "retry", reason: errorCode(error, "network error") };
    }
    return this.#answer(response);
  }

  async #answer(response: Dispatcher.ResponseData): Promise<Step> {
    const status = response.statusCode;
    if (status === 200 || status === 206) return this.#answerBody(response);
    await response.body.dump();
    if (status === 416) return this.#answerUnsatisfiable(response);
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

  async #answerBody(response: Dispatcher.ResponseData): Promise<Step> {
    const storedBytes = statedObjectBytes(response.statusCode, response.headers);
    if (storedBytes !== undefined && storedBytes !== this.#file.sizeBytes) {
      await response.body.dump();
      return { kind: "fail", error: sizeMismatchError(this.#file, storedBytes) };
    }
    if (
      response.statusCode === 206 &&
      !continuesPartial(response.headers, {
        heldBytes: this.#heldBytes,
        sizeBytes: this.#file.sizeBytes,
        ...(this.#etag === undefined ? {} : { etag: this.#etag }),
      })
    ) {
      await response.body.dump();
      await this.#restart();
      return {
        kind: "retry",
        reason: "the object changed or answered another range",
        isImmediate: true,
      };
    }
    if (response.statusCode === 200 && this.#heldBytes > 0) await this.#restart();
    if (this.#heldBytes === 0) {
      const { componentFolder, signal } = this.#options;
      this.#etag = strongEtag(firstHeader(response.headers, "etag"));
      await onDisk("write the meta file of", this.#partialPath, signal, () =>
        writePartialMeta(componentFolder, this.#file, this.#etag),
      );
    }
    return this.#receive(response.body);
  }

  /**
   * A 416 to `Range: bytes=<held>-`: "complete" only when the partial holds the full size (its
   * hash and its size on disk are checked before it is placed); a `bytes *\/N` naming another
   * size than the files list fails the file at once instead of restarting it forever.
   */
  async #answerUnsatisfiable(response: Dispatcher.ResponseData): Promise<Step> {
    const totalBytes = unsatisfiedRangeTotal(response.headers);
    if (totalBytes !== undefined && totalBytes !== this.#file.sizeBytes)
      return { kind: "fail", error: sizeMismatchError(this.#file, totalBytes) };
    if (this.#heldBytes === this.#file.sizeBytes) return { kind: "complete" };
    await this.#restart();
    return { kind: "retry", reason: "HTTP 416", isImmediate: true };
  }

  /** Bytes a write really put on disk: only now are they hashed and counted as held. */
  #onWritten(written: Uint8Array): void {
    this.#hash.update(written);
    this.#heldBytes += written.length;
  }

  async #receive(body: Dispatcher.ResponseData["body"]): Promise<Step> {
    const { signal } = this.#options;
    const path = this.#partialPath;
    const writer = await onDisk("open", path, signal, () =>
      openPartialWriter(path, this.#heldBytes, (written) => this.#onWritten(written)),
    );
    let step: Step | undefined;
    try {
      step = await this.#stream(body, writer);
      if (step.kind === "complete")
        this.#finished = await onDisk("write", path, signal, writer.finish);
    } finally {
      // close writes what is still queued, so the partial holds (and the hash covers) every byte
      // received. When something already failed, that first error is the one reported.
      const closing = onDisk("write", path, signal, writer.close);
      if (step === undefined) await closing.catch(() => undefined);
      else await closing;
    }
    return step;
  }

  /**
   * Hands the body to the writer. A failure of the body stream is a network error (retried); one
   * of the writer is a LocalIOError thrown by onDisk, which ends the file (and the run).
   */
  async #stream(
    body: Dispatcher.ResponseData["body"],
    writer: { write(chunk: Uint8Array): Promise<void> },
  ): Promise<Step> {
    const { signal } = this.#options;
    let offeredBytes = this.#heldBytes;
    let receivedBytes = 0;
    try {
      for await (const chunk of body) {
        const bytes: Uint8Array = chunk;
        if (offeredBytes + bytes.length > this.#file.sizeBytes) {
          body.destroy();
          return { kind: "overflow" };
        }
        offeredBytes += bytes.length;
        receivedBytes += bytes.length;
        this.#bytesTransferred += bytes.length;
        this.#options.emit({ type: "file-progress", path: this.#file.path, bytes: bytes.length });
        await onDisk("write", this.#partialPath, signal, () => writer.write(bytes));
      }
    } catch (error) {
      if (signal.aborted || isMirrorError(error) || error instanceof PartialChangedError)
        throw error;
      if (reachesBeyondFile(error)) throwLocalIo(error, signal, "receive", this.#file.path);
      return {
        kind: "retry",
        reason: errorCode(error, "network error"),
        madeProgress: receivedBytes > 0,
      };
    }
    if (offeredBytes === this.#file.sizeBytes) return { kind: "complete" };
    return { kind: "retry", reason: "the body ended early", madeProgress: receivedBytes > 0 };
  }
}
