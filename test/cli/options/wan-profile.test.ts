import { describe, expect, it } from "vitest";
import { byteRate, wanProfileText } from "../../../src/cli/options/wan-profile.js";

describe("byteRate", () => {
  it.each([
    ["300000", 300_000],
    ["0", 0],
    ["10M", 10_000_000],
    ["1.5k", 1500],
    ["2K", 2000],
    ["1G", 1_000_000_000],
    ["64Ki", 65_536],
    ["10Mi", 10_485_760],
    [" 3 M ", 3_000_000],
  ])("reads %j as %d bytes per second (k/M/G are SI, Ki/Mi/Gi binary)", (text, bytesPerSecond) => {
    expect(byteRate(text)).toBe(bytesPerSecond);
  });

  it.each(["", "-3", "10X", "10MB", "1e6", "m", "10 M/s", "1.5.2"])(
    "refuses %j as a usage error naming --store-rate",
    (text) => {
      expect(() => byteRate(text)).toThrow(/--store-rate must be bytes per second/);
    },
  );

  it("leaves an absent flag absent", () => {
    expect(byteRate(undefined)).toBeUndefined();
  });
});

describe("wanProfileText", () => {
  it("says nothing on plain loopback", () => {
    expect(wanProfileText({})).toBeUndefined();
    expect(wanProfileText({ apiLatencyMs: 0, storeBytesPerSecond: 0 })).toBeUndefined();
  });

  it("names each setting that is on", () => {
    expect(wanProfileText({ apiLatencyMs: 150, storeBytesPerSecond: 10_000_000 })).toBe(
      "Far-away (WAN) profile: API answers held 150 ms, store bodies at most 10,000,000 bytes/s.",
    );
  });
});
