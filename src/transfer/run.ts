/**
 * Carries out the transfer actions of a plan with bounded concurrency (p-limit): fetch, resume, and
 * check (hash a present file, download it if it differs). One Outcome per file; a fatal error
 * (credentials, local disk, interruption) aborts the rest through a shared AbortController.
 */
import { setMaxListeners } from "node:events";
import pLimit from "p-limit";
import { reachesBeyondFile } from "../failures.js";
import type { Action, Outcome, RemoteFile } from "../model.js";
import { throwLocalIo } from "../tree/io-errors.js";
import { type DownloadOptions, FileDownload } from "./download.js";
import { failedOutcome } from "./file-errors.js";
import { sha256OfFile } from "./verify.js";

export interface RunOptions extends Omit<DownloadOptions, "signal"> {
  readonly jobs: number;
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
  signal: AbortSignal,
): Promise<Outcome> {
  const { file } = action;
  if (action.kind === "check") {
    const localPath = options.localPath(file);
    // A present file that cannot be read is a local-disk fault (exit 7), not a bug or a download.
    const digest = await sha256OfFile(localPath, signal).catch((error: unknown) =>
      throwLocalIo(error, signal, "read", localPath),
    );
    if (digest === file.sha256) {
      await options.onVerified(file);
      return { kind: "verified", path: file.path, bytesTransferred: 0 };
    }
  }
  return new FileDownload(
    file,
    { ...options, signal },
    { isResume: action.kind === "resume" },
  ).run();
}

/**
 * Runs every transfer action of `actions`; never rejects (a fatal error is returned in `fatal`).
 * Tasks reach p-limit a few at a time: queueing 20,000 at once held a promise, a closure and a
 * queue node per file for the whole run (10 MB of a 36 MB live heap on a 20,000-file compose).
 */
export async function runTransfers(
  actions: readonly Action[],
  options: RunOptions,
): Promise<RunResult> {
  const controller = new AbortController();
  // Every in-flight request and file handle listens to this one signal; that is by design.
  setMaxListeners(options.jobs * 8 + 16, controller.signal);
  const stop = (): void => controller.abort(options.signal.reason);
  options.signal.addEventListener("abort", stop, { once: true });
  const limit = pLimit(options.jobs);
  const transfers = actions.filter(isTransfer);
  const outcomes = new Array<Outcome>(transfers.length);
  let fatal: unknown;
  const settle = async (action: TransferAction): Promise<Outcome> => {
    if (controller.signal.aborted)
      return failedOutcome(action.file.path, controller.signal.reason, { isAbort: true });
    try {
      const outcome = await transferOne(action, options, controller.signal);
      options.emit({ type: "file-done", outcome });
      return outcome;
    } catch (error) {
      const reason = controller.signal.aborted ? controller.signal.reason : error;
      const stopsRun = controller.signal.aborted || reachesBeyondFile(reason);
      if (stopsRun) {
        fatal ??= reason;
        controller.abort(reason);
      }
      // Anything else (an odd errno, a bug) fails this file only, as rclone counts per file.
      const outcome = failedOutcome(action.file.path, reason, { isAbort: stopsRun });
      if (!stopsRun) options.emit({ type: "file-done", outcome });
      return outcome;
    }
  };
  let queued = 0;
  let wake: (() => void) | undefined;
  const waitForRoom = (most: number): Promise<void> | undefined =>
    queued > most
      ? new Promise((resolve) => {
          wake = resolve;
        })
      : undefined;
  try {
    for (const [index, action] of transfers.entries()) {
      // Keep p-limit's queue short: a task is added when fewer than 2 × jobs wait or run.
      while (queued >= options.jobs * 2) await waitForRoom(options.jobs * 2 - 1);
      queued++;
      void limit(async () => {
        try {
          outcomes[index] = await settle(action);
        } catch (error) {
          // Only a throwing event listener gets here: stop the run as for any fatal error.
          fatal ??= error;
          controller.abort(error);
          outcomes[index] = failedOutcome(action.file.path, error, { isAbort: true });
        } finally {
          queued--;
          wake?.();
          wake = undefined;
        }
      });
    }
    while (queued > 0) await waitForRoom(0);
    return { outcomes, fatal };
  } finally {
    options.signal.removeEventListener("abort", stop);
  }
}
