import { describe, expect, it } from "vitest";
import {
  continuesPartial,
  statedObjectBytes,
  strongEtag,
  unsatisfiedRangeTotal,
} from "../../src/transfer/store-answer.js";

describe("statedObjectBytes", () => {
  it.each([
    [200, { "content-length": "1000" }, 1000],
    [200, {}, undefined],
    [200, { "content-length": "12abc" }, undefined],
    [206, { "content-range": "bytes 500-999/1000", "content-length": "500" }, 1000],
    [206, { "content-range": "bytes 500-999/*" }, undefined],
  ])("reads the object size of a %i with %o as %s", (status, headers, expected) => {
    expect(statedObjectBytes(status, headers)).toBe(expected);
  });
});

describe("unsatisfiedRangeTotal", () => {
  it.each([
    [{ "content-range": "bytes */1000" }, 1000],
    [{ "content-range": "bytes */0" }, 0],
    [{}, undefined],
    [{ "content-range": "bytes 0-1/2" }, undefined],
  ])("reads the size a 416 states from %o as %s", (headers, expected) => {
    expect(unsatisfiedRangeTotal(headers)).toBe(expected);
  });
});

describe("continuesPartial", () => {
  const held = { heldBytes: 500, sizeBytes: 1000, etag: '"a"' };
  it.each([
    [{ "content-range": "bytes 500-999/1000", etag: '"a"' }, held, true],
    [{ "content-range": "bytes 0-999/1000", etag: '"a"' }, held, false],
    [{ "content-range": "bytes 500-999/2000", etag: '"a"' }, held, false],
    [{ "content-range": "bytes 500-999/1000", etag: '"b"' }, held, false],
    [{ "content-range": "bytes 500-999/1000", etag: 'W/"a"' }, held, false],
    [{ "content-range": "bytes 500-999/1000" }, { heldBytes: 500, sizeBytes: 1000 }, true],
    [{ "content-range": "bytes 0-999/1000" }, { heldBytes: 0, sizeBytes: 1000 }, false],
  ])("lets %o continue %o: %s", (headers, partial, expected) => {
    expect(continuesPartial(headers, partial)).toBe(expected);
  });
});

describe("strongEtag", () => {
  it.each([
    ['"x"', '"x"'],
    ['W/"x"', undefined],
    [undefined, undefined],
  ])("keeps %s as %s", (value, expected) => {
    expect(strongEtag(value)).toBe(expected);
  });
});
