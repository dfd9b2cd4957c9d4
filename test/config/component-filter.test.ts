import { describe, expect, it } from "vitest";
import { parseComponentFilter } from "../../src/config/component-filter.js";
import { UsageError } from "../../src/errors.js";

describe("parseComponentFilter", () => {
  it.each([
    ["compose", { type: "compose" }],
    ["Compose", { type: "compose" }],
    [" compose ", { type: "compose" }],
    ["compose:nightly", { type: "compose", tag: "nightly" }],
    ["COMPOSE:Milestone", { type: "compose", tag: "Milestone" }],
    ["compose:build:RC", { type: "compose", tag: "build:RC" }],
    ["compose-noinstall:candidate", { type: "compose-noinstall", tag: "candidate" }],
  ])("reads %j", (text, expected) => {
    expect(parseComponentFilter(text)).toStrictEqual(expected);
  });

  it.each([[""], [":nightly"], ["  :x"], ["compose:"], ["compose:  "]])(
    "refuses %j with a usage error naming --filter",
    (text) => {
      const attempt = () => parseComponentFilter(text);
      expect(attempt).toThrow(UsageError);
      expect(attempt).toThrow(/--filter/);
      try {
        attempt();
      } catch (error) {
        expect(error).toMatchObject({ code: "USAGE_FILTER", exitCode: 2 });
      }
    },
  );
});
