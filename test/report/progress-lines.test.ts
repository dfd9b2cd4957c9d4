import { describe, expect, it } from "vitest";
import type { PlanCounts } from "../../src/events.js";
import {
  fileLine,
  fitText,
  formatEta,
  phaseLine,
  progressLineCount,
  progressLines,
  wrapText,
} from "../../src/report/progress-lines.js";
import { PhaseTally, ProgressState } from "../../src/report/progress-state.js";

const GiB = 1024 ** 3;
const width = (line: string) => [...line].length;

function plan(counts: Partial<PlanCounts>): PlanCounts {
  return {
    ...{ totalFiles: 0, totalBytes: 0, fetchFiles: 0, resumeFiles: 0, checkFiles: 0 },
    ...{ skipFiles: 0, pruneEntries: 0, links: 0, bytesToFetch: 0, bytesToCheck: 0 },
    ...counts,
  };
}

/** A phase with the largest numbers a line must hold: 1023.9 GiB, 12345 files, ~1 GiB/s. */
function busyTally(): PhaseTally {
  const tally = new PhaseTally();
  tally.plan(12_345, 1023.9 * GiB, 0);
  for (let ms = 500; ms <= 10_000; ms += 500) tally.addBytes(0.5 * 1023.9 * 1024 ** 2, ms);
  tally.doneFiles = 12_000;
  return tally;
}

describe("fitText", () => {
  it.each([
    ["RHEL-9.4.0-20240422.0", 30, "RHEL-9.4.0-20240422.0"],
    ["abcdefghij", 9, "abcd…ghij"],
    ["abcdefghij", 8, "abcd…hij"],
    ["abcdefghij", 2, "a…"],
    ["abcdefghij", 1, "…"],
    ["abcdefghij", 0, ""],
    ["ünïcødé-nämé", 7, "ünï…ämé"],
  ])("fits %j in %d characters as %j", (text, columns, expected) => {
    expect(fitText(text, columns)).toBe(expected);
  });
});

describe("wrapText", () => {
  const line =
    "RHEL-9.4.0-20240422.0: 20000 files (18.7 GiB); 20000 to fetch (18.7 GiB), 0 to check, 0 up to date, 0 to remove";

  it.each([80, 60, 40, 30])(
    "breaks a plan line into lines of at most %d, losing no word",
    (columns) => {
      const lines = wrapText(line, columns);
      for (const part of lines) expect(width(part)).toBeLessThanOrEqual(columns);
      expect(lines.join(" ").replace(/ +/g, " ")).toBe(line);
      expect(lines.slice(1).every((part) => part.startsWith("  "))).toBe(true);
    },
  );

  it("never ends a line between a size and its unit", () => {
    for (let columns = 20; columns <= 100; columns++) {
      for (const part of wrapText(line, columns)) expect(part).not.toMatch(/^ *(?:[KMGT]i)?B\b/);
    }
  });

  it("shortens a word longer than the line in its middle", () => {
    const lines = wrapText(`failed ${"a/".repeat(40)}file.rpm: gone`, 30);
    for (const part of lines) expect(width(part)).toBeLessThanOrEqual(30);
    expect(lines.join("\n")).toContain("…");
    expect(lines.join("\n")).toContain("file.rpm:");
  });
});

describe("formatEta", () => {
  it.each([
    [undefined, "--"],
    [Number.POSITIVE_INFINITY, "--"],
    [0, "0s"],
    [41_200, "42s"],
    [200_000, "3m20s"],
    [3_900_000, "1h05m"],
    [400 * 3_600_000, "--"],
  ])("shows %d ms as %j", (etaMs, expected) => {
    expect(formatEta(etaMs)).toBe(expected);
  });
});

describe("phaseLine", () => {
  it.each([80, 72, 60, 50, 40])(
    "fits %d columns with the largest numbers and keeps the percentage, rate and ETA",
    (columns) => {
      const line = phaseLine("fetch", busyTally(), { columns, nowMs: 10_000 });
      expect(width(line)).toBeLessThanOrEqual(columns);
      expect(line).toMatch(/^fetch .* \d+% .*1023\.\d MiB\/s .*ETA \d/);
    },
  );

  it("keeps the bytes and the file count at 80 columns, and the bar when it has room", () => {
    const line = phaseLine("check", busyTally(), { columns: 80, nowMs: 10_000 });
    expect(line).toContain("/1023.9 GiB");
    expect(line).toContain("12000/12345 files");
    const wide = phaseLine("check", busyTally(), { columns: 120, nowMs: 10_000 });
    expect(wide).toMatch(/^check {2}\[#*-*\] {2}/);
  });

  it("shows no rate and no ETA before it has data, never NaN or Infinity", () => {
    const tally = new PhaseTally();
    tally.plan(10, 1000, 0);
    const line = phaseLine("fetch", tally, { columns: 80, nowMs: 0 });
    expect(line).toContain("--/s");
    expect(line).toContain("ETA --");
    expect(line).not.toMatch(/NaN|Infinity/);
  });

  it("says done once every file of the phase finished", () => {
    const tally = new PhaseTally();
    tally.plan(1, 10, 0);
    tally.addBytes(10, 100);
    tally.doneFiles = 1;
    expect(phaseLine("fetch", tally, { columns: 80, nowMs: 200 })).toMatch(/100% .* done$/);
  });
});

describe("fileLine", () => {
  it("shortens a long path in the middle and keeps its numbers", () => {
    const path = `AppStream/x86_64/os/Packages/${"very-long-package-name-".repeat(5)}1.0.x86_64.rpm`;
    const line = fileLine({ path, sizeBytes: 5 * GiB, doneBytes: 2 * GiB }, 80);
    expect(width(line)).toBeLessThanOrEqual(80);
    expect(line).toMatch(/^ {4}AppStream.*….*x86_64\.rpm {2} 40% {2}2\.0 GiB\/5\.0 GiB$/);
  });
});

describe("ProgressState and progressLines", () => {
  it("counts the check phase apart, and moves a file whose hash differed to the fetch phase", () => {
    const state = new ProgressState();
    state.handle(
      {
        type: "component",
        topic: "RHEL-9.4",
        componentId: "c",
        componentName: "n",
        componentType: "compose",
        componentVersion: null,
        folder: "/m",
      },
      0,
    );
    state.handle(
      {
        type: "plan",
        componentName: "n",
        counts: plan({ checkFiles: 2, bytesToCheck: 300, fetchFiles: 1, bytesToFetch: 50 }),
      },
      0,
    );
    state.handle({ type: "check-start", path: "a", sizeBytes: 100 }, 10);
    state.handle({ type: "check-progress", path: "a", bytes: 100 }, 20);
    state.handle(
      { type: "file-done", outcome: { kind: "verified", path: "a", bytesTransferred: 0 } },
      30,
    );
    state.handle({ type: "check-start", path: "b", sizeBytes: 200 }, 40);
    state.handle({ type: "check-progress", path: "b", bytes: 200 }, 50);
    state.handle({ type: "file-start", path: "b", sizeBytes: 200, offsetBytes: 0 }, 60);
    expect(state.check).toMatchObject({
      doneFiles: 2,
      totalFiles: 2,
      doneBytes: 300,
      totalBytes: 300,
    });
    expect(state.fetch).toMatchObject({
      doneFiles: 0,
      totalFiles: 2,
      doneBytes: 0,
      totalBytes: 250,
    });
    const lines = progressLines(state, { columns: 80, nowMs: 100 });
    expect(lines).toHaveLength(progressLineCount(state));
    expect(lines[0]).toBe("mirroring RHEL-9.4/compose n");
    expect(lines[1]).toMatch(/^check .* 100% {2}300 B\/300 B {2}2\/2 files .* done$/);
    expect(lines[2]).toMatch(/^fetch .* 0 B\/250 B {2}0\/2 files .* ETA --$/);
  });

  it("shows server names with their control characters escaped, never raw", () => {
    const state = new ProgressState();
    const hostile = "evil\r\u001b[2Kdci-mirror: done\u009b2J";
    state.handle(
      {
        type: "component",
        topic: "T",
        componentId: "c",
        componentName: hostile,
        componentType: "x",
        componentVersion: null,
        folder: "/m",
      },
      0,
    );
    state.handle(
      {
        type: "plan",
        componentName: hostile,
        counts: plan({ fetchFiles: 1, bytesToFetch: 8 * 1024 ** 2 }),
      },
      0,
    );
    state.handle(
      { type: "file-start", path: `big${hostile}.iso`, sizeBytes: 8 * 1024 ** 2, offsetBytes: 0 },
      0,
    );
    const lines = progressLines(state, { columns: 200, nowMs: 0 });
    expect(lines[0]).toBe("mirroring T/x evil\\r\\x1b[2Kdci-mirror: done\\u009b2J");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the bytes that must not appear.
    for (const line of lines) expect(line).not.toMatch(/[\u001b\r\u0080-\u009f]/);
    expect(lines[2]).toContain("bigevil\\r");
  });

  it("takes the ETA from the recent rate, not the average since the start", () => {
    const state = new ProgressState();
    state.handle(
      {
        type: "plan",
        componentName: "n",
        counts: plan({ fetchFiles: 1, bytesToFetch: 1000 * 1024 ** 2 }),
      },
      0,
    );
    // 20 s at 1 MiB/s, then 20 s at 10 MiB/s: the average says 5.5 MiB/s, the last 15 s 10 MiB/s.
    let nowMs = 0;
    for (; nowMs < 20_000; nowMs += 100)
      state.handle({ type: "file-progress", path: "f", bytes: 0.1 * 1024 ** 2 }, nowMs);
    for (; nowMs < 40_000; nowMs += 100)
      state.handle({ type: "file-progress", path: "f", bytes: 1024 ** 2 }, nowMs);
    const [line] = progressLines(state, { columns: 80, nowMs });
    // 780 MiB left at 10 MiB/s: 78 s (from the average, 142 s).
    expect(line).toMatch(/ (9\.9|10\.0) MiB\/s {2}ETA 1m(1[89]|20)s$/);
  });
});
