/**
 * Downloads one file into its partial and places it once size and sha256 match. Resume
 * rules, after undici's RetryHandler: only a 206 whose Content-Range starts at the
 * bytes held, for the expected total, and (when known) the same strong ETag may continue a partial;
 * anything else restarts the file from zero (RFC 9110 §14 and §13.1.5). The retry loop is in
 * attempt-until-done.ts, the answer's reading in answer-step.ts and receive-body.ts.
 */
import { type Dispatcher, request } from "undici";
import { errorCode } from "../errors.js";
import type { MirrorEventListener } from "../events.js";
import { reachesBeyondFile } from "../failures.js";
import type { FileRetryBudget, RetryPolicy } from "../http/backoff.js";
import type { Outcome, RemoteFile } from "../model.js";
import { throwLocalIo } from "../tree/io-errors.js";
import type { PlacedStats } from "../tree/place.js";
import { answerStep } from "./answer-step.js";
import { type Attempts, attemptUntilDone } from "./attempt-until-done.js";
import type { BandwidthLimit } from "./bandwidth.js";
import { failedOutcome, integrityError } from "./file-errors.js";
import { HeldPartial } from "./held-partial.js";
import { onDisk } from "./on-disk.js";
import { removePartial } from "./partial-meta.js";
import { PartialChangedError } from "./partial-writer.js";
import type { Receiver } from "./receive-body.js";
import type { BodyStep, SettledStep, Step } from "./step.js";

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
  /** `--bwlimit`: the budget every transfer of the run shares; absent: no limit. */
  readonly bandwidth?: BandwidthLimit | undefined;
}

/** One file's transfer; `run()` returns its Outcome, and throws only fatal errors or the abort reason. */
export class FileDownload {
  readonly #file: RemoteFile;
  readonly #options: DownloadOptions;
  readonly #partial: HeldPartial;
  readonly #receiver: Receiver;
  #bytesTransferred = 0;
  #freshDownloads = 0;
  readonly #isResume: boolean;

  /** `isResume`: the planner saw a partial for this file; without it none is looked for. */
  constructor(file: RemoteFile, options: DownloadOptions, { isResume }: { isResume: boolean }) {
    this.#file = file;
    this.#options = options;
    this.#isResume = isResume;
    this.#partial = new HeldPartial(file, options.componentFolder, options.signal);
    this.#receiver = {
      file,
      signal: options.signal,
      emit: options.emit,
      bandwidth: options.bandwidth,
      onReceived: (byteCount) => {
        this.#bytesTransferred += byteCount;
      },
    };
  }

  async run(): Promise<Outcome> {
    await this.#partial.open({ mayExist: this.#isResume });
    const resumedFrom = this.#partial.heldBytes;
    this.#options.emit({
      type: "file-start",
      path: this.#file.path,
      sizeBytes: this.#file.sizeBytes,
      offsetBytes: resumedFrom,
    });
    const attempts: Attempts = {
      file: this.#file,
      attempt: () => this.#attempt(),
      settleBody: (step, attemptsMade, budget) =>
        this.#settleBody(step, { resumedFrom, attemptsMade, budget }),
      failed: (error) => this.#failed(error),
    };
    return attemptUntilDone(attempts, this.#options);
  }

  /**
   * A body that reached (or passed) the listed size: placed when its sha256 matches, else one
   * fresh download (at once, its backoff reset), else an integrity failure.
   */
  async #settleBody(
    step: BodyStep,
    attempts: { resumedFrom: number; attemptsMade: number; budget: FileRetryBudget },
  ): Promise<SettledStep> {
    const digest = step.kind === "complete" ? this.#partial.digest() : "";
    if (digest === this.#file.sha256) {
      const outcome = await this.#place(attempts.resumedFrom);
      if (outcome !== undefined) return { kind: "placed", outcome };
      await this.#partial.restart();
      return { kind: "retry", reason: "the partial changed on disk", isImmediate: true };
    }
    await this.#partial.restart();
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

  /** Places a partial whose hash matched; undefined when the partial changed on disk (start again). */
  async #place(resumedFrom: number): Promise<Outcome | undefined> {
    const { componentFolder, signal } = this.#options;
    const path = this.#partial.filePath;
    const stats = await this.#partial.finish();
    if (stats === undefined) return undefined;
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

  /** One request; a partial that changed on disk is dropped and retried at once. */
  async #attempt(): Promise<Step> {
    try {
      return await this.#request();
    } catch (error) {
      if (!(error instanceof PartialChangedError) || this.#options.signal.aborted) throw error;
      await this.#partial.restart();
      return { kind: "retry", reason: "the partial changed on disk", isImmediate: true };
    }
  }

  /** Asks for a fresh presigned URL, then GETs the object from the bytes held on. */
  async #request(): Promise<Step> {
    const { signal } = this.#options;
    let url: string;
    try {
      url = await this.#options.resolveUrl(this.#file.path, signal);
    } catch (error) {
      if (signal.aborted || reachesBeyondFile(error)) throw error;
      return { kind: "fail", error: error instanceof Error ? error : new Error(String(error)) };
    }
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: "GET",
        headers: { "user-agent": this.#options.userAgent, ...this.#partial.rangeHeaders() },
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
    return answerStep(response, this.#partial, this.#receiver);
  }
}
