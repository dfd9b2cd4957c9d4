import { describe, expect, it } from "vitest";
import { jsonText, visibleText } from "../../src/report/visible-text.js";

describe("visibleText", () => {
  it.each([
    ["plain text", "plain text"],
    ["a\nb", "a\\nb"],
    ["a\rb\tc", "a\\rb\\tc"],
    ["\u001b[2J", "\\x1b[2J"],
    ["\u0000\u0007\u007f", "\\x00\\x07\\x7f"],
    ["\u009b2J\u0085", "\\u009b2J\\u0085"],
    ["é ü — ✓", "é ü — ✓"],
    ["a\u2028b\u2029c", "a\\u2028b\\u2029c"],
    ["rpm\u202egpj.exe", "rpm\\u202egpj.exe"],
    ["\u2066x\u2069\u200f\u061c", "\\u2066x\\u2069\\u200f\\u061c"],
  ])("shows %j as %s", (text, expected) => {
    expect(visibleText(text)).toBe(expected);
  });

  it("leaves text it already escaped unchanged", () => {
    const once = visibleText("\u001b]0;title\u0007\r\n\u009b");
    expect(visibleText(once)).toBe(once);
  });
});

describe("jsonText", () => {
  it("escapes DEL and C1 characters and still parses back to the same value", () => {
    const value = { name: "a\u007fb\u009bc\u001bd" };
    const text = jsonText(value, 2);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these must not appear raw (the indent keeps its \\n).
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
