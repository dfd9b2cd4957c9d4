import { describe, expect, it } from "vitest";
import { formatBytes, formatRate, formatSeconds } from "../../src/report/format-bytes.js";

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
