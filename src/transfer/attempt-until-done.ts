/**
 * The attempt loop of one file's download and its retry budget: attempts until the file is placed
 * or fails, bounded per file in count and in time spent retrying (DEFAULT_FILE_RETRY_BUDGET),
 * whatever progress each attempt made. Progress resets the backoff delay only, so a store that
 * drops every connection cannot keep a run going.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { MirrorEventListener } from "../events.js";
import {
  DEFAULT_FILE_RETRY_BUDGET,
  type FileRetryBudget,
  fileMayRetry,
  type RetryPolicy,
  retryDelayMs,
} from "../http/backoff.js";
import type { Outcome, RemoteFile } from "../model.js";
import { gaveUpError } from "./file-errors.js";
import type { BodyStep, RetryStep, SettledStep, Step } from "./step.js";

/** What the loop asks of one file's download. */
export interface Attempts {
  readonly file: RemoteFile;
  /** One request and its answer; a body is received into the partial before this resolves. */
  readonly attempt: () => Promise<Step>;
  /** Places a body that reached the listed size, or says whether to retry or fail. */
  readonly settleBody: (
    step: BodyStep,
    attemptsMade: number,
    budget: FileRetryBudget,
  ) => Promise<SettledStep>;
  /** The Outcome of a failed file; throws an error that reaches beyond the file. */
  readonly failed: (error: Error) => Outcome;
}

export interface AttemptOptions {
  readonly retryPolicy: RetryPolicy;
  readonly random: () => number;
  readonly emit: MirrorEventListener;
  readonly signal: AbortSignal;
}

/** Attempts until the file is placed or fails; each retry is announced (`file-retry`) before its wait. */
export async function attemptUntilDone(
  attempts: Attempts,
  options: AttemptOptions,
): Promise<Outcome> {
  const { signal, retryPolicy } = options;
  const budget = retryPolicy.fileBudget ?? DEFAULT_FILE_RETRY_BUDGET;
  let attemptsMade = 0;
  let backoffAttempt = 1;
  let retryingMs = 0;
  for (;;) {
    signal.throwIfAborted();
    const startedMs = performance.now();
    attemptsMade++;
    const answered = await attempts.attempt();
    const step =
      answered.kind === "complete" || answered.kind === "overflow"
        ? await attempts.settleBody(answered, attemptsMade, budget)
        : answered;
    if (step.kind === "placed") return step.outcome;
    if (step.kind === "fail") return attempts.failed(step.error);
    if (step.madeProgress === true) backoffAttempt = 1;
    else retryingMs += performance.now() - startedMs;
    const delayMs = retryDelay(step, backoffAttempt, options);
    if (delayMs === undefined || !fileMayRetry({ attemptsMade, retryingMs, delayMs, budget }))
      return attempts.failed(gaveUpError(attempts.file, attemptsMade, step.reason));
    const { path } = attempts.file;
    options.emit({ type: "file-retry", path, attempt: attemptsMade, delayMs, reason: step.reason });
    retryingMs += delayMs;
    if (delayMs > 0) await sleep(delayMs, undefined, { signal });
    backoffAttempt++;
  }
}

/** No wait for an immediate retry (while the backoff allows more); else the backoff delay. */
function retryDelay(
  step: RetryStep,
  backoffAttempt: number,
  options: AttemptOptions,
): number | undefined {
  const policy = options.retryPolicy;
  if (step.isImmediate === true && backoffAttempt < policy.maxAttempts) return 0;
  return retryDelayMs({
    attempt: backoffAttempt,
    policy,
    retryAfterMs: step.retryAfterMs,
    random: options.random(),
  });
}
