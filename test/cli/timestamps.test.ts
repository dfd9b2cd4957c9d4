// Time stamps on plain stderr lines: every line of a text, the final newline kept as it was.
import { describe, expect, it } from "vitest";
import { stampLines } from "../../src/cli/timestamps.js";

const TIME = new Date("2026-05-01T02:00:03.123Z");

describe("stampLines", () => {
  it.each([
    ["one line\n", "2026-05-01T02:00:03.123Z one line\n"],
    ["no newline", "2026-05-01T02:00:03.123Z no newline"],
    [
      "dci-mirror: failed\n  hint: run again\n",
      "2026-05-01T02:00:03.123Z dci-mirror: failed\n2026-05-01T02:00:03.123Z   hint: run again\n",
    ],
  ])("stamps %j", (text, stamped) => {
    expect(stampLines(text, TIME)).toBe(stamped);
  });
});
