import { describe, expect, it } from "vitest";
import { MAX_LIST_PAGES, newRecords, tooManyPages } from "../../src/api/paging.js";

const records = (...ids: string[]) => ids.map((id) => ({ id }));

describe("newRecords", () => {
  it.each([
    { seen: [], page: ["a", "b"], fresh: ["a", "b"] },
    { seen: ["a", "b"], page: ["a", "b"], fresh: [] },
    { seen: ["a"], page: ["a", "b"], fresh: ["b"] },
    { seen: [], page: ["a", "a"], fresh: ["a"] },
    { seen: ["a"], page: [], fresh: [] },
  ])("keeps only records not seen before: seen $seen, page $page", ({ seen, page, fresh }) => {
    const seenIds = new Set(seen);
    expect(newRecords(records(...page), seenIds).map((record) => record.id)).toEqual(fresh);
    expect([...seenIds].sort()).toEqual([...new Set([...seen, ...page])].sort());
  });
});

describe("tooManyPages", () => {
  it("is a shape error (exit 5) naming the listing and the page limit", () => {
    const error = tooManyPages("topic list", MAX_LIST_PAGES);
    expect(error.name).toBe("ApiShapeError");
    expect(error.exitCode).toBe(5);
    expect(error.message).toContain("topic list");
    expect(error.message).toContain("1000 pages");
    expect(error.hint).not.toBe("");
  });
});
