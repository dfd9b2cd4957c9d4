import { describe, expect, it } from "vitest";
import { jsonPieces, jsonText } from "../../src/tree/json-file.js";

describe("jsonPieces", () => {
  it.each([
    ["a record", { schema: "s/1", files: { "a b": { sizeBytes: 1, sha256: "x" }, c: { n: 2 } } }],
    ["a selection", { files: [{ path: "a", sizeBytes: 0 }], symlinks: [] }],
    ["empty containers", { a: {}, b: [], c: [[]] }],
    ["what JSON leaves out or nulls", { a: undefined, b: [undefined, () => 1], c: 1, d: () => 2 }],
    ["a value with toJSON", { when: new Date(0), nested: { when: new Date(1) } }],
    ["quotes, controls and non-ASCII in keys", { 'k"\\n\u00e9': ["\u2028", "\u0000"] }],
    ["top-level scalars", 42],
    ["null", null],
    ["a deep value", { a: { b: { c: { d: [1, { e: 2 }] } } } }],
  ])("joins into JSON.stringify's text for %s", (_name, value) => {
    expect([...jsonPieces(value)].join("")).toBe(JSON.stringify(value));
  });

  it("opens up the first two levels, so no piece holds a whole files list", () => {
    const files = Object.fromEntries(
      Array.from({ length: 100 }, (_, index) => [`f${index}`, { n: index }]),
    );
    const pieces = [...jsonPieces({ files })];
    expect(pieces.length).toBeGreaterThan(200);
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(20);
  });
});

describe("jsonText", () => {
  it("gives the same newline-terminated text on every call", () => {
    const text = jsonText({ a: [1, 2] });
    expect([...text()].join("")).toBe('{"a":[1,2]}\n');
    expect([...text()].join("")).toBe('{"a":[1,2]}\n');
  });
});
