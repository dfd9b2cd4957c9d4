import { describe, expect, it } from "vitest";
import { pickLatest, timestampKey } from "../../src/api/latest.js";
import { parseComponentFilter } from "../../src/config/component-filter.js";
import type { Component } from "../../src/model.js";

function component(id: string, overrides: Partial<Component> = {}): Component {
  return {
    id,
    topicId: "t",
    name: `RHEL-${id}`,
    displayName: `RHEL-${id}`,
    type: "compose",
    tags: [],
    state: "active",
    teamId: null,
    version: null,
    url: null,
    createdAt: "2024-04-19T05:12:33.512301",
    releasedAt: null,
    etag: "e",
    ...overrides,
  };
}

describe("timestampKey", () => {
  it.each([
    ["2024-04-19T05:12:33", "2024-04-19T05:12:33.5", -1],
    ["2024-04-19T05:12:33.5", "2024-04-19T05:12:33.500000", 0],
    ["2024-04-19T05:12:33.5", "2024-04-19T05:12:33.41", 1],
    ["2024-04-19T05:12:33.000001", "2024-04-19T05:12:33", 1],
    ["2024-04-19T05:12:33.999999", "2024-04-19T05:12:34", -1],
    ["2024-04-19 05:12:33", "2024-04-19T05:12:33", 0],
    ["2024-04-19T05:12:33Z", "2024-04-19T05:12:33", 0],
    ["2024-04-19T07:12:33+02:00", "2024-04-19T05:12:33", 0],
    ["2024-04-19T00:12:33-05:00", "2024-04-19T05:12:33", 0],
    ["2024-04-19T05:12:33.1+0000", "2024-04-19T05:12:33.1", 0],
    ["2023-12-31T23:59:59.9", "2024-01-01T00:00:00", -1],
  ])("orders %s against %s as %i", (left, right, order) => {
    const leftKey = timestampKey(left) ?? "";
    const rightKey = timestampKey(right) ?? "";
    expect(leftKey < rightKey ? -1 : leftKey > rightKey ? 1 : 0).toBe(order);
  });

  it.each([[""], ["yesterday"], ["2024-04-19"], ["2024-04-19T05:12"]])(
    "does not read %j",
    (text) => {
      expect(timestampKey(text)).toBeUndefined();
    },
  );
});

describe("pickLatest", () => {
  const older = component("a", { createdAt: "2024-04-18T10:00:00.000001" });
  const newer = component("b", { createdAt: "2024-04-19T05:12:33" });
  const newest = component("c", { createdAt: "2024-04-19T05:12:33.5" });

  it.each<[string, Component[], { type: string; tag?: string }, string | undefined]>([
    ["the newest created_at", [older, newest, newer], { type: "compose" }, "c"],
    ["missing microseconds as zero", [newest, newer], { type: "compose" }, "c"],
    [
      "created_at, not released_at",
      [
        component("x", { createdAt: "2024-01-01T00:00:00", releasedAt: "2025-01-01T00:00:00" }),
        older,
      ],
      { type: "compose" },
      "a",
    ],
    [
      "the greater id on a tie",
      [component("id-1"), component("id-3"), component("id-2")],
      { type: "compose" },
      "id-3",
    ],
    [
      "only active components",
      [older, component("z", { state: "inactive", createdAt: "2030-01-01T00:00:00" })],
      { type: "compose" },
      "a",
    ],
    [
      "only the type asked",
      [older, component("o", { type: "ocp", createdAt: "2030-01-01T00:00:00" })],
      { type: "compose" },
      "a",
    ],
    ["the type whatever its case", [component("u", { type: "Compose" })], { type: "COMPOSE" }, "u"],
    [
      "only components with the tag",
      [component("t", { tags: ["nightly"] }), newest],
      { type: "compose", tag: "nightly" },
      "t",
    ],
    [
      "tags case-sensitively",
      [component("t", { tags: ["Nightly"] })],
      { type: "compose", tag: "nightly" },
      undefined,
    ],
    [
      "tags holding a colon",
      [component("t", { tags: ["build:RC"] })],
      { type: "compose", tag: "build:RC" },
      "t",
    ],
    ["any tag when the tag is empty", [newest], { type: "compose", tag: "" }, "c"],
    [
      "readable timestamps over unreadable ones",
      [component("q", { createdAt: "garbage" }), older],
      { type: "compose" },
      "a",
    ],
    ["nothing from an empty list", [], { type: "compose" }, undefined],
  ])("picks %s", (_behaviour, components, selector, expectedId) => {
    expect(pickLatest(components, selector)?.id).toBe(expectedId);
  });

  it("gives the same pick whatever the order of the list", () => {
    const tied = [component("id-1"), component("id-3"), newest, component("id-2"), older];
    const picks = [tied, [...tied].reverse(), [...tied].sort((l, r) => (l.id < r.id ? 1 : -1))].map(
      (list) => pickLatest(list, { type: "compose" })?.id,
    );
    expect(picks).toEqual(["id-3", "id-3", "id-3"]);
  });

  it("takes the output of parseComponentFilter", () => {
    const selector = parseComponentFilter("COMPOSE:nightly");
    expect(pickLatest([component("t", { tags: ["nightly"] })], selector)?.id).toBe("t");
  });
});
