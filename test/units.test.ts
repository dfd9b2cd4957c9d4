import { describe, expect, it } from "vitest";
import { formatBytes, formatRate, formatSeconds, parseByteRate } from "../src/units.js";

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [1023, "1023 B"],
    [1024, "1.0 KiB"],
    [1536, "1.5 KiB"],
    [1024 * 1024 - 1, "1.0 MiB"],
    [4 * 1024 ** 3, "4.0 GiB"],
    [Math.round(12.3 * 1024 ** 3), "12.3 GiB"],
    [2 ** 62, "4.0 EiB"],
    [2 ** 70, "1024.0 EiB"],
    [-2048, "-2.0 KiB"],
  ])("shows %d bytes as %s", (sizeBytes, expected) => {
    expect(formatBytes(sizeBytes)).toBe(expected);
  });
});

describe("formatRate and formatSeconds", () => {
  it("gives bytes per second and seconds with one decimal", () => {
    expect(formatRate(3 * 1024 * 1024, 2000)).toBe("1.5 MiB/s");
    expect(formatSeconds(4249)).toBe("4.2 s");
    expect(formatSeconds(0)).toBe("0.0 s");
  });
});

describe("formatRate below and around 1 KiB/s", () => {
  it.each([
    [75.17112707077663, 1000, "75 B/s"],
    [1, 2000, "0.5 B/s"],
    [0, 1000, "0 B/s"],
    [9.96, 1000, "10 B/s"],
    [9.94, 1000, "9.9 B/s"],
    [1023.4, 1000, "1023 B/s"],
    [1023.6, 1000, "1.0 KiB/s"],
    [1536, 1000, "1.5 KiB/s"],
    [1, 3000, "0.3 B/s"],
  ])("shows %d bytes in %d ms as %s, rounded", (bytes, durationMs, expected) => {
    expect(formatRate(bytes, durationMs)).toBe(expected);
  });
});

describe("parseByteRate", () => {
  it.each([
    ["50M", 50_000_000],
    ["500k", 500_000],
    ["500K", 500_000],
    ["1.5G", 1_500_000_000],
    ["10Mi", 10 * 1024 * 1024],
    ["2Ki", 2048],
    ["12345", 12_345],
    [" 3 M ", 3_000_000],
    ["0", 0],
  ])("reads %j as %d bytes per second", (text, bytesPerSecond) => {
    expect(parseByteRate(text)).toBe(bytesPerSecond);
  });

  it.each(["", "fast", "-5M", "5MB", "5 MB/s", "1e6", "5T", "M"])("refuses %j", (text) => {
    expect(parseByteRate(text)).toBeUndefined();
  });
});
