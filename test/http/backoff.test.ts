import { describe, expect, it } from "vitest";
import {
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  parseRetryAfter,
  retryDelayMs,
} from "../../src/http/backoff.js";

const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };

describe("retry decisions", () => {
  it.each([
    [408, true],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [412, false],
    [413, false],
  ])("treats HTTP %i as retryable: %s", (status, expected) => {
    expect(isRetryableStatus(status)).toBe(expected);
  });

  it.each([
    [1, 0, 50],
    [1, 0.999, 100],
    [2, 0, 100],
    [3, 0.5, 300],
    [10, 1, undefined],
  ])("after attempt %i with random %f waits %s ms", (attempt, random, expected) => {
    const capped = { ...policy, maxAttempts: 5 };
    const delay = retryDelayMs({ attempt, policy: capped, retryAfterMs: undefined, random });
    if (expected === undefined) expect(delay).toBeUndefined();
    else expect(delay).toBeCloseTo(expected, -1);
  });

  it("never exceeds the maximum delay however many attempts were made", () => {
    const wide = { ...policy, maxAttempts: 100 };
    expect(
      retryDelayMs({ attempt: 40, policy: wide, retryAfterMs: undefined, random: 0.999 }),
    ).toBeLessThanOrEqual(1000);
  });

  it("waits exactly what Retry-After asks, even beyond the backoff ceiling", () => {
    expect(retryDelayMs({ attempt: 1, policy, retryAfterMs: 3000, random: 0 })).toBe(3000);
  });

  it("gives up when Retry-After asks for more than the policy accepts", () => {
    expect(retryDelayMs({ attempt: 1, policy, retryAfterMs: 60_000, random: 0 })).toBeUndefined();
  });

  it("gives up once the attempts are used up", () => {
    expect(retryDelayMs({ attempt: 4, policy, retryAfterMs: 10, random: 0 })).toBeUndefined();
  });

  it.each([
    ["2", 2000],
    [" 0 ", 0],
    ["Wed, 21 Oct 2015 07:28:10 GMT", 10_000],
    ["Wed, 21 Oct 2015 07:27:00 GMT", 0],
    ["soon", undefined],
    ["", undefined],
    [undefined, undefined],
  ])("reads Retry-After %j as %s ms", (value, expected) => {
    const nowMs = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
    expect(parseRetryAfter(value, nowMs)).toBe(expected);
  });

  it("has a default policy with several attempts and a bounded delay", () => {
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBeGreaterThan(1);
    expect(DEFAULT_RETRY_POLICY.maxDelayMs).toBeLessThanOrEqual(60_000);
  });
});
