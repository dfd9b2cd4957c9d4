import { describe, expect, it } from "vitest";
import {
  decideRange,
  decideRequestRange,
  ifRangeAllows,
} from "../../src/sandbox/store/byte-range.js";

describe("decideRange", () => {
  it.each([
    [undefined, 100, { kind: "full" }],
    ["bytes=0-", 100, { kind: "partial", start: 0, endInclusive: 99 }],
    ["bytes=10-19", 100, { kind: "partial", start: 10, endInclusive: 19 }],
    ["bytes=90-500", 100, { kind: "partial", start: 90, endInclusive: 99 }],
    ["bytes=-30", 100, { kind: "partial", start: 70, endInclusive: 99 }],
    ["bytes=-500", 100, { kind: "partial", start: 0, endInclusive: 99 }],
    ["bytes=100-", 100, { kind: "unsatisfiable" }],
    ["bytes=-0", 100, { kind: "unsatisfiable" }],
    ["bytes=0-", 0, { kind: "unsatisfiable" }],
    ["bytes=20-10", 100, { kind: "full" }],
    ["bytes=0-1,5-9", 100, { kind: "full" }],
    ["items=0-1", 100, { kind: "full" }],
    ["bytes=-", 100, { kind: "full" }],
  ] as const)("answers %s on %i bytes with %o", (header, sizeBytes, expected) => {
    expect(decideRange(header, sizeBytes)).toEqual(expected);
  });
});

describe("ifRangeAllows", () => {
  const lastModified = new Date("2024-04-19T05:12:33.512Z");
  it.each([
    [undefined, true],
    ['"abc"', true],
    ['"abd"', false],
    ['W/"abc"', false],
    ["Fri, 19 Apr 2024 05:12:33 GMT", true],
    ["Fri, 19 Apr 2024 05:12:34 GMT", false],
    ["not a date", false],
  ])("with If-Range %s: %s", (ifRange, expected) => {
    expect(ifRangeAllows(ifRange, '"abc"', lastModified)).toBe(expected);
  });
});

describe("decideRequestRange", () => {
  const object = { sizeBytes: 100, etag: '"abc"', lastModified: new Date(0) };
  it("serves the whole object when a fault ignores Range", () => {
    const request = { range: "bytes=5-", ifRange: undefined, ignoreRange: true };
    expect(decideRequestRange(request, object)).toEqual({ kind: "full" });
  });

  it("serves the whole object when If-Range names another ETag", () => {
    const request = { range: "bytes=5-", ifRange: '"old"', ignoreRange: false };
    expect(decideRequestRange(request, object)).toEqual({ kind: "full" });
  });
});
