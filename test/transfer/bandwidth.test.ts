import { describe, expect, it } from "vitest";
import { BandwidthLimit, TokenBucket } from "../../src/transfer/bandwidth.js";

const MiB = 1024 * 1024;

describe("TokenBucket", () => {
  it("starts empty, so the first bytes already wait for their share of the rate", () => {
    const bucket = new TokenBucket({ bytesPerSecond: 1_000_000, nowMs: 0 });
    expect(bucket.take(500_000, 0)).toBe(500);
  });

  it("makes takers that come together wait in turn, each for the debt before it", () => {
    const bucket = new TokenBucket({ bytesPerSecond: 1_000_000, nowMs: 0 });
    expect(bucket.take(100_000, 0)).toBe(100);
    expect(bucket.take(100_000, 0)).toBe(200);
    expect(bucket.take(100_000, 50)).toBe(250);
  });

  it("never lets more than one burst plus the rate through over a span, however it is taken", () => {
    const bytesPerSecond = 2_000_000;
    const bucket = new TokenBucket({ bytesPerSecond, nowMs: 0 });
    // Idle for a minute: the bucket holds one burst (a quarter second of the rate), no more.
    let nowMs = 60_000;
    let takenBytes = 0;
    while (nowMs < 63_000) {
      const waitMs = bucket.take(64 * 1024, nowMs);
      takenBytes += 64 * 1024;
      nowMs += waitMs;
    }
    const spanBytes = ((nowMs - 60_000) / 1000) * bytesPerSecond;
    expect(takenBytes).toBeLessThanOrEqual(spanBytes + 0.25 * bytesPerSecond + 64 * 1024);
    expect(takenBytes).toBeGreaterThanOrEqual(spanBytes);
  });

  it("keeps at least 256 KiB of burst for low rates, so one chunk never waits longer than it must", () => {
    const bucket = new TokenBucket({ bytesPerSecond: 10_000, nowMs: 0 });
    expect(bucket.take(1, 3_600_000)).toBe(0);
    expect(bucket.take(256 * 1024 - 1, 3_600_000)).toBe(0);
    expect(bucket.take(10_000, 3_600_000)).toBe(1000);
  });

  it("does not count a clock that goes back as earned time", () => {
    const bucket = new TokenBucket({ bytesPerSecond: MiB, nowMs: 1000 });
    expect(bucket.take(MiB, 500)).toBe(1000);
  });
});

describe("BandwidthLimit", () => {
  it("rejects a waiting taker when the run stops, instead of waiting out its turn", async () => {
    const limit = new BandwidthLimit(1000);
    const controller = new AbortController();
    const waiting = limit.take(1_000_000, controller.signal);
    controller.abort(new Error("stopped"));
    await expect(waiting).rejects.toMatchObject({ name: "AbortError" });
  });
});
