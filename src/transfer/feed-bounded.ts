/**
 * Hands tasks to p-limit a few at a time: at most `jobs` run, and at most 2 × jobs wait or run
 * at once. Queueing 20,000 at once held a promise, a closure and a queue node per file for the
 * whole run (10 MB of a 36 MB live heap on a 20,000-file compose).
 */
import pLimit from "p-limit";

/**
 * Runs `task` for every item, `jobs` at a time, and resolves once all have settled. `task` must
 * not reject: a rejection would go unhandled.
 */
export async function feedBounded<T>(
  items: readonly T[],
  jobs: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  const limit = pLimit(jobs);
  let queued = 0;
  let wake: (() => void) | undefined;
  const waitForRoom = (most: number): Promise<void> | undefined =>
    queued > most
      ? new Promise((resolve) => {
          wake = resolve;
        })
      : undefined;
  for (const [index, item] of items.entries()) {
    // Keep p-limit's queue short: a task is added when fewer than 2 × jobs wait or run.
    while (queued >= jobs * 2) await waitForRoom(jobs * 2 - 1);
    queued++;
    void limit(async () => {
      try {
        await task(item, index);
      } finally {
        queued--;
        wake?.();
        wake = undefined;
      }
    });
  }
  while (queued > 0) await waitForRoom(0);
}
