/**
 * Carries out the transfer actions of a plan with bounded concurrency (feed-bounded.ts): fetch,
 * resume, and check (hash a present file, download it if it differs). One Outcome per file; a
 * fatal error (credentials, local disk, interruption) aborts the rest through a shared
 * AbortController.
 */
import { setMaxListeners } from "node:events";
import { reachesBeyondFile } from "../failures.js";
import type { Action, Outcome, RemoteFile } from "../model.js";
import { throwLocalIo } from "../tree/io-errors.js";
import { type DownloadOptions, FileDownload } from "./download.js";
import { feedBounded } from "./feed-bounded.js";
import { failedOutcome } from "./file-errors.js";
import { UrlLookahead } from "./url-lookahead.js";
import { sha256OfFile } from "./verify.js";

export interface RunOptions extends Omit<DownloadOptions, "signal"> {
  readonly jobs: number;
  /**
   * Presigned URLs asked ahead of the transfers, at most (url-lookahead.ts); 0: none. The
   * look-ahead grows to it only while transfers wait for their URLs.
   */
  readonly lookahead: number;
  /** Absolute path of a present file, for `check` actions. */
  readonly localPath: (file: RemoteFile) => string;
  /** Called for each present file whose hash was checked and found right (`check` actions). */
  readonly onVerified: (file: RemoteFile) => Promise<void>;
  readonly signal: AbortSignal;
}

export interface RunResult {
  readonly outcomes: readonly Outcome[];
  /** The error that stopped the run early, if one did. */
  readonly fatal: unknown;
}

type TransferAction = Extract<Action, { kind: "fetch" | "resume" | "check" }>;

function isTransfer(action: Action): action is TransferAction {
  return action.kind === "fetch" || action.kind === "resume" || action.kind === "check";
}

async function transferOne(
  action: TransferAction,
  options: RunOptions,
  run: RunState,
): Promise<Outcome> {
  const { signal } = run.controller;
  const { file } = action;
  if (action.kind === "check") {
    const localPath = options.localPath(file);
    const { path, sizeBytes } = file;
    options.emit({ type: "check-start", path, sizeBytes });
    const onBytes = (bytes: number) => options.emit({ type: "check-progress", path, bytes });
    // A present file that cannot be read is a local-disk fault (exit 7), not a bug or a download.
    const digest = await sha256OfFile(localPath, signal, { onBytes }).catch((error: unknown) =>
      throwLocalIo(error, signal, "read", localPath),
    );
    if (digest === file.sha256) {
      await options.onVerified(file);
      return { kind: "verified", path: file.path, bytesTransferred: 0 };
    }
  }
  const resolveUrl = run.lookahead.resolverFor(file.path);
  return new FileDownload(
    file,
    { ...options, resolveUrl, signal },
    { isResume: action.kind === "resume" },
  ).run();
}

/** The run's shared stop: the AbortController every transfer listens to, and the first fatal error. */
interface RunState {
  readonly controller: AbortController;
  readonly lookahead: UrlLookahead;
  fatal: unknown;
}

/** Stops every transfer; the first fatal error is the one the run reports. */
function stopRun(run: RunState, reason: unknown): void {
  run.fatal ??= reason;
  run.controller.abort(reason);
}

/**
 * One transfer's Outcome, announced with `file-done` unless it stopped the run. An error that
 * reaches beyond the file (or comes while the run is stopping) stops the run.
 */
async function settleTransfer(
  action: TransferAction,
  options: RunOptions,
  run: RunState,
): Promise<Outcome> {
  const { signal } = run.controller;
  if (signal.aborted) return failedOutcome(action.file.path, signal.reason, { isAbort: true });
  try {
    const outcome = await transferOne(action, options, run);
    options.emit({ type: "file-done", outcome });
    return outcome;
  } catch (error) {
    const reason = signal.aborted ? signal.reason : error;
    const stopsRun = signal.aborted || reachesBeyondFile(reason);
    if (stopsRun) stopRun(run, reason);
    // Anything else (an odd errno, a bug) fails this file only, as rclone counts per file.
    const outcome = failedOutcome(action.file.path, reason, { isAbort: stopsRun });
    if (!stopsRun) options.emit({ type: "file-done", outcome });
    return outcome;
  } finally {
    run.lookahead.release(action.file.path);
  }
}

/**
 * Runs every transfer action of `actions`, `jobs` at a time (feedBounded keeps p-limit's queue
 * short); never rejects (a fatal error is returned in `fatal`).
 */
export async function runTransfers(
  actions: readonly Action[],
  options: RunOptions,
): Promise<RunResult> {
  const controller = new AbortController();
  // Every in-flight request and file handle listens to this one signal; that is by design.
  setMaxListeners((options.jobs + options.lookahead) * 8 + 16, controller.signal);
  const stop = (): void => controller.abort(options.signal.reason);
  options.signal.addEventListener("abort", stop, { once: true });
  const transfers = actions.filter(isTransfer);
  // `check` files rarely need a URL (their hash usually matches): only downloads are looked ahead.
  const lookahead = new UrlLookahead({
    paths: transfers.filter((action) => action.kind !== "check").map((action) => action.file.path),
    resolve: options.resolveUrl,
    window: options.lookahead,
    warmupTakes: options.jobs,
    signal: controller.signal,
  });
  const run: RunState = { controller, lookahead, fatal: undefined };
  const outcomes = new Array<Outcome>(transfers.length);
  try {
    await feedBounded(transfers, options.jobs, async (action, index) => {
      try {
        outcomes[index] = await settleTransfer(action, options, run);
      } catch (error) {
        // Only a throwing event listener gets here: stop the run as for any fatal error.
        stopRun(run, error);
        outcomes[index] = failedOutcome(action.file.path, error, { isAbort: true });
      }
    });
    return { outcomes, fatal: run.fatal };
  } finally {
    options.signal.removeEventListener("abort", stop);
  }
}
