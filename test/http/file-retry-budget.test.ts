import { describe, expect, it } from "vitest";
import { DEFAULT_FILE_RETRY_BUDGET, fileMayRetry } from "../../src/http/backoff.js";

const budget = { maxAttempts: 10, maxRetryingMs: 600_000 };

describe("fileMayRetry", () => {
  it.each([
    [1, 0, 500, true],
    [9, 0, 0, true],
    [10, 0, 0, false],
    [25, 0, 0, false],
    [3, 599_000, 1_000, true],
    [3, 599_000, 1_001, false],
    [3, 700_000, 0, false],
  ])(
    "after %i attempts and %i ms spent retrying, a wait of %i ms: may retry %s",
    (attemptsMade, retryingMs, delayMs, expected) => {
      expect(fileMayRetry({ attemptsMade, retryingMs, delayMs, budget })).toBe(expected);
    },
  );

  it("allows 10 requests per file and 10 minutes of retrying by default", () => {
    expect(DEFAULT_FILE_RETRY_BUDGET).toEqual({ maxAttempts: 10, maxRetryingMs: 600_000 });
  });
});
