import { describe, expect, it } from "vitest";
import { errorLines, formatTable } from "../../src/cli/output.js";

describe("errorLines", () => {
  it("prints a server message with line breaks and escapes as one visible line", () => {
    expect(errorLines('HTTP 404 "gone\r\u001b[2K\ndci-mirror: done"', "")).toEqual([
      'dci-mirror: HTTP 404 "gone\\r\\x1b[2K\\ndci-mirror: done"',
    ]);
  });

  it("indents every further line of a hint under it, so none can pass for a line of ours", () => {
    expect(errorLines("bad settings", "For example:\n  topics:\ndci-mirror: done\u009b")).toEqual([
      "dci-mirror: bad settings",
      "  hint: For example:",
      "          topics:",
      "        dci-mirror: done\\u009b",
    ]);
  });
});

describe("formatTable", () => {
  it("lines up columns after escaping the control characters in a cell", () => {
    expect(
      formatTable([
        ["NAME", "ID"],
        ["a\u001bb", "1"],
        ["long-name", "2"],
      ]),
    ).toEqual(["NAME       ID", "a\\x1bb     1", "long-name  2"]);
  });
});
