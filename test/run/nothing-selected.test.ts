import { describe, expect, it } from "vitest";
import type { Component, Topic } from "../../src/model.js";
import { inventoryText, literalNote, noComponentSelected } from "../../src/run/nothing-selected.js";

const topic: Topic = {
  id: "t1",
  name: "RHEL-9.4",
  productId: "p1",
  componentTypes: ["compose", "compose-noinstall"],
  state: "active",
  data: {},
  nextTopicId: null,
  exportControl: true,
  createdAt: "2024-01-01T00:00:00",
  updatedAt: "2024-01-01T00:00:00",
  etag: "e",
} satisfies Record<keyof Topic, unknown>;

function component(type: string, tags: readonly string[]): Component {
  return {
    id: `${type}-${tags.join("-")}`,
    topicId: "t1",
    name: `${type}-${tags.join("-")}`,
    displayName: "",
    type,
    tags,
    state: "active",
    teamId: null,
    version: null,
    url: null,
    createdAt: "2024-01-01T00:00:00",
    releasedAt: null,
    etag: "e",
  };
}

describe("inventoryText", () => {
  it("lists each type with its tags, newest first, and the types without a component", () => {
    const listed = [
      component("compose", ["nightly"]),
      component("compose", ["milestone", "nightly"]),
    ];
    expect(inventoryText({ topic, listed, count: 2 })).toBe(
      "It has: compose (tags: nightly, milestone), compose-noinstall (no active component).",
    );
  });

  it("shows at most 10 tags per type, counts the rest, and says when the list is partial", () => {
    const listed = Array.from({ length: 14 }, (_, index) => component("compose", [`t${index}`]));
    expect(inventoryText({ topic, listed, count: 500 })).toBe(
      "It has (among its 14 newest active components): compose (tags: t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, and 4 more), compose-noinstall (no active component).",
    );
  });

  it("says when the topic has no active component at all", () => {
    expect(inventoryText({ topic, listed: [], count: 0 })).toBe(
      "Topic RHEL-9.4 has no active component at all.",
    );
  });
});

describe("literalNote", () => {
  it.each([
    ["kernel-[0-9]"],
    ["kernel*"],
    ["^kernel$"],
    ["a|b"],
    ["(x)"],
    ["x+"],
    ["x?"],
    ["a\\d"],
  ])("notes that %j looks like a pattern", (value) => {
    expect(literalNote([value, "glibc"], "Package filters", "")).toBe(
      ` Package filters are matched literally, not as regular expressions or globs: ${JSON.stringify(value)} looks like a pattern.`,
    );
  });

  it("says nothing for plain names: dots, dashes and a name's ++ included", () => {
    expect(literalNote(["gcc-c++", "libstdc++-static", "python3.9", "kernel-core"], "x", "")).toBe(
      "",
    );
  });
});

describe("noComponentSelected", () => {
  it("is a NotFoundError (exit 4) with code NOTHING_SELECTED naming the filters", () => {
    const error = noComponentSelected({ topic, listed: [], count: 0 }, [
      { type: "compose", tag: "nighty" },
    ]);
    expect(error).toMatchObject({ name: "NotFoundError", code: "NOTHING_SELECTED", exitCode: 4 });
    expect(error.message).toBe(
      "Topic RHEL-9.4 has no active component for filter compose:nighty. Topic RHEL-9.4 has no active component at all.",
    );
  });
});
