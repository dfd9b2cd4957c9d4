// Pieces shared by the reports (report.js, wan-report.js): numbers, spreads, tables, footnotes of
// incomplete runs, and the sentences on the machine.
import { summarize } from "./stats.js";

/** `value` with `digits` decimals and thousands separators, or "n/a" when not finite. */
export function fixed(value, digits) {
  if (!Number.isFinite(value)) return "n/a";
  return value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** `median (min–max)`, or just the value when every run agreed. */
export function spread(values, digits) {
  const { median, min, max } = summarize(values);
  const middle = fixed(median, digits);
  const low = fixed(min, digits);
  const high = fixed(max, digits);
  return low === high ? middle : `${middle} (${low}–${high})`;
}

function row(cells) {
  return `| ${cells.join(" | ")} |`;
}

/** A markdown table of `header` and `rows` (arrays of cell texts). */
export function table(header, rows) {
  return [row(header), row(header.map(() => "---")), ...rows.map(row)].join("\n");
}

/** Runs whose result on disk is not the expected set of files, as footnote text. */
export function incomplete(name, runs, expected) {
  const bad = runs.filter(
    (run) => run.exitCode !== 0 || run.files !== expected.files || run.bytes !== expected.bytes,
  );
  return bad.map(
    (run) =>
      `- ${name}, run ${run.rep + 1}: exit ${run.exitCode}, ${run.files.toLocaleString("en-US")} of ${expected.files.toLocaleString("en-US")} files, ${run.bytes.toLocaleString("en-US")} of ${expected.bytes.toLocaleString("en-US")} bytes on disk`,
  );
}

/** The text, with the footnote of runs that did not leave the expected files if there are any. */
export function withNotes(text, notes) {
  if (notes.length > 0) text.push("", "Runs that did not leave the expected files:", ...notes);
  return text.join("\n");
}

/** How loaded the machine was when `runs` started. */
export function loadSentence(runs) {
  const loads = runs.map((run) => run.loadBefore);
  return `Other work on the machine: the 1-minute load average when a run started was ${spread(loads, 2)} (a quiet 2-core machine shows about 0–1 between runs; higher means other processes competed for the cores and the numbers are noisier).`;
}

/** The machine and the peers' versions. */
export function machineSentence(machine) {
  return `Machine: ${machine.cores} cores (${machine.cpu}), ${fixed(machine.memGiB, 1)} GiB RAM, Linux ${machine.kernel}, Node ${machine.node}; nginx ${machine.tools.nginx}, ${machine.tools.curl}, ${machine.tools.aria2}, ${machine.tools.wget2}. Everything on 127.0.0.1; the corpora sit in the page cache.`;
}
