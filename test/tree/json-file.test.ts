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
    ["an own __proto__ key", JSON.parse('{"files":{"__proto__":{"a":1},"b":2}}')],
    [
      "runs across many entries",
      { files: Array.from({ length: 600 }, (_, i) => (i % 7 ? i : undefined)) },
    ],
    ["integer-like keys", { files: { b: 1, "10": 2, "2": 3, a: 4 } }],
    ["a deep value", { a: { b: { c: { d: [1, { e: 2 }] } } } }],
  ])("joins into JSON.stringify's text for %s", (_name, value) => {
    expect([...jsonPieces(value)].join("")).toBe(JSON.stringify(value));
  });

  it("hands a long files list out in runs of about 16 K characters, never as one piece", () => {
    const files = Object.fromEntries(
      Array.from({ length: 5000 }, (_, index) => [`Packages/p${index}.rpm`, { sizeBytes: index }]),
    );
    const pieces = [...jsonPieces({ files })];
    const total = pieces.join("").length;
    expect(total).toBeGreaterThan(150_000);
    expect(pieces.length).toBeGreaterThan(total / (17 * 1024));
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(17 * 1024);
  });
});

describe("jsonText", () => {
  it("gives the same newline-terminated text on every call", () => {
    const text = jsonText({ a: [1, 2] });
    expect([...text()].join("")).toBe('{"a":[1,2]}\n');
    expect([...text()].join("")).toBe('{"a":[1,2]}\n');
  });
});
