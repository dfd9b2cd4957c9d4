import { describe, expect, it } from "vitest";
import { waitBeforeRetry } from "../../src/http/retry.js";

const timer = {
  retryPolicy: { maxAttempts: 5, baseDelayMs: 20, maxDelayMs: 40, maxRetryAfterMs: 1_000 },
  random: () => 0.5,
  now: Date.now,
};

describe("waitBeforeRetry", () => {
  it("gives up without sleeping when the delay would not fit in the time left", async () => {
    const delays: number[] = [];
    const retried = await waitBeforeRetry(timer, {
      attempt: 1,
      timeLeftMs: 5,
      onDelay: (delayMs) => delays.push(delayMs),
    });
    expect(retried).toBe(false);
    expect(delays).toEqual([]);
  });

  it("gives up when a Retry-After would not fit in the time left", async () => {
    expect(await waitBeforeRetry(timer, { attempt: 1, retryAfter: "1", timeLeftMs: 900 })).toBe(
      false,
    );
  });

  it("waits and retries when the delay fits", async () => {
    const delays: number[] = [];
    const retried = await waitBeforeRetry(timer, {
      attempt: 1,
      timeLeftMs: 10_000,
      onDelay: (delayMs) => delays.push(delayMs),
    });
    expect(retried).toBe(true);
    expect(delays).toEqual([15]);
  });
});
