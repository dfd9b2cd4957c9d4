import { describe, expect, it } from "vitest";
import { deleteLimit } from "../../src/config/checks.js";
import { EXIT_CODES } from "../../src/errors.js";
import type { Action } from "../../src/model.js";
import { allowedRemovals, deleteLimitRefusal } from "../../src/planning/delete-limit.js";

const prunes = (count: number): Action[] =>
  Array.from({ length: count }, (_, index) => ({
    kind: "prune",
    path: `old/${index}.rpm`,
    entryKind: "file",
  }));

describe("deleteLimit (the --max-delete value)", () => {
  it.each([
    ["0", { kind: "count", max: 0 }],
    ["500", { kind: "count", max: 500 }],
    [" 10% ", { kind: "percent", max: 10 }],
    ["100%", { kind: "percent", max: 100 }],
    [undefined, undefined],
  ])("reads %j", (text, expected) => {
    expect(deleteLimit(text)).toEqual(expected);
  });

  it.each(["", "x", "-1", "1.5", "101%", "10%%", "1e3"])(
    "refuses %j with a usage error",
    (text) => {
      expect(() => deleteLimit(text)).toThrow(/--max-delete must be a whole number/);
    },
  );
});

describe("deleteLimitRefusal", () => {
  const check = (removals: number, limit: ReturnType<typeof deleteLimit>, heldEntries = 100) =>
    deleteLimitRefusal({
      componentName: "RHEL-9.4.0-20240422.0",
      folder: "/srv/RHEL-9.4/compose",
      actions: prunes(removals),
      heldEntries,
      limit,
    });

  it("allows up to the limit, counted or as a share of what the folder holds", () => {
    expect(check(10, { kind: "count", max: 10 })).toBeUndefined();
    expect(check(10, { kind: "percent", max: 10 })).toBeUndefined();
    expect(check(4_579, undefined)).toBeUndefined();
    expect(allowedRemovals({ kind: "percent", max: 33 }, 10)).toBe(3);
  });

  it("refuses one removal more, naming the count, the folder and the limit (exit 9)", () => {
    const refusal = check(11, { kind: "count", max: 10 });
    expect(refusal?.exitCode).toBe(EXIT_CODES.pruneLimit);
    expect(refusal?.code).toBe("PRUNE_LIMIT");
    expect(refusal?.message).toBe(
      "RHEL-9.4.0-20240422.0 would remove 11 entries from /srv/RHEL-9.4/compose, more than --max-delete 10 allows; nothing was removed.",
    );
    expect(check(11, { kind: "percent", max: 10 })?.message).toContain(
      "--max-delete 10% allows (10 of the 100 it holds)",
    );
  });
});
