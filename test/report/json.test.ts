// The --json document built from a summary (pure): failed files listed up to a bound and counted
// beyond it, the previous component, and the run's facts as given.
import { describe, expect, it } from "vitest";
import type { Outcome } from "../../src/model.js";
import { MAX_LISTED_FAILURES, summaryDocument } from "../../src/report/json.js";
import { NO_PLAN } from "../../src/run/summarize.js";
import type { ComponentSummary, MirrorSummary } from "../../src/run/types.js";

function failed(index: number): Outcome {
  const path = `files/f${index}`;
  return {
    kind: "failed",
    path,
    code: "SHA256_MISMATCH",
    message: "bad",
    exitCode: 6,
    bytesTransferred: 1,
  };
}

function summaryWith(component: Partial<ComponentSummary>): MirrorSummary {
  const base: ComponentSummary = {
    id: "c2",
    name: "compose-2",
    type: "compose",
    version: "2",
    folder: "/srv/RHEL-9.4/compose",
    plan: NO_PLAN,
    outcomes: [],
    removed: [],
    notRemoved: 0,
    reused: 0,
    links: 0,
    durationMs: 1,
  };
  const topic = {
    name: "RHEL-9.4",
    folder: "/srv/RHEL-9.4",
    components: [{ ...base, ...component }],
  };
  return { topics: [topic], durationMs: 2, exitCode: 6 };
}

const FACTS = {
  dryRun: false,
  startedAt: new Date("2026-05-01T02:00:00.000Z"),
  finishedAt: new Date("2026-05-01T02:00:03.250Z"),
  host: "mirror-1",
  warnings: [{ code: "SNAPSHOT_MODE_LEFT", message: "left" }],
};

describe("summaryDocument", () => {
  it.each([
    [0, 0, 0],
    [MAX_LISTED_FAILURES, MAX_LISTED_FAILURES, 0],
    [MAX_LISTED_FAILURES + 7, MAX_LISTED_FAILURES, 7],
  ])("lists %i failed files as %i, counting %i more", (count, listed, omitted) => {
    const outcomes = Array.from({ length: count }, (_, index) => failed(index));
    const [component] =
      summaryDocument(summaryWith({ outcomes }), FACTS).topics[0]?.components ?? [];
    expect(component?.failures).toHaveLength(listed);
    expect(component?.failuresOmitted).toBe(omitted);
    expect(component?.failed).toBe(count);
    expect(component?.failures[0]).toEqual(
      count === 0
        ? undefined
        : { path: "files/f0", code: "SHA256_MISMATCH", message: "bad", exitCode: 6 },
    );
  });

  it("gives the previous component, or null, and the run's times, host and warnings", () => {
    const previous = { id: "c1", name: "compose-1", version: null };
    const changed = summaryDocument(summaryWith({ previous }), FACTS);
    expect(changed.topics[0]?.components[0]?.previous).toEqual(previous);
    expect(summaryDocument(summaryWith({}), FACTS).topics[0]?.components[0]?.previous).toBeNull();
    expect(changed).toMatchObject({
      startedAt: "2026-05-01T02:00:00.000Z",
      finishedAt: "2026-05-01T02:00:03.250Z",
      host: "mirror-1",
      warnings: FACTS.warnings,
    });
  });
});
