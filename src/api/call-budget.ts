/**
 * The time budget of one API call, shared by its attempts: a deadline for retry decisions and a
 * signal that cuts the attempt in flight when the deadline passes.
 */

/** One call's attempts share a deadline; `signal` fires when it passes (or the caller aborts). */
export interface CallBudget {
  readonly deadlineMs: number;
  readonly budgetMs: number;
  readonly isExpired: () => boolean;
  readonly signal: AbortSignal;
  /** Clears the timer and the listener on the caller's signal. */
  readonly release: () => void;
}

/**
 * A signal that fires after `budgetMs` or when `parent` does. Built by hand rather than with
 * AbortSignal.any: on Node 20 that keeps a listener on the long-lived run signal per call.
 */
export function callBudget(budgetMs: number, parent: AbortSignal | undefined): CallBudget {
  const controller = new AbortController();
  let isExpired = false;
  const timer = setTimeout(() => {
    isExpired = true;
    controller.abort(new Error(`call budget of ${budgetMs} ms used up`));
  }, budgetMs);
  const onParentAbort = (): void => controller.abort(parent?.reason);
  if (parent?.aborted === true) onParentAbort();
  parent?.addEventListener("abort", onParentAbort, { once: true });
  return {
    deadlineMs: performance.now() + budgetMs,
    budgetMs,
    isExpired: () => isExpired,
    signal: controller.signal,
    release: () => {
      clearTimeout(timer);
      parent?.removeEventListener("abort", onParentAbort);
    },
  };
}
