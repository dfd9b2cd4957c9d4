/**
 * The progress display as text: a pure function of the counted state, the terminal's width and
 * the time. Every line fits the width (the terminal's line wrap is off while the display is up,
 * so a longer line would be cut): names are shortened in the middle, the bar shrinks or goes, and
 * the percentage, rate and ETA stay.
 */
import { formatBytes } from "../units.js";
import type { ActiveFile, PhaseTally, ProgressState } from "./progress-state.js";

/** The width used when the terminal does not say. */
export const DEFAULT_COLUMNS = 80;
const GAP = "  ";
const MAX_BAR_CELLS = 30;
const MIN_BAR_CELLS = 5;

/** Characters as the terminal counts them (code points; control characters are escaped before). */
function widthOf(text: string): number {
  return [...text].length;
}

/** `text` in at most `columns` characters, its middle replaced by "…" when it is too long. */
export function fitText(text: string, columns: number): string {
  const chars = [...text];
  if (chars.length <= columns) return text;
  if (columns <= 1) return "…".slice(0, Math.max(0, columns));
  const tail = Math.floor((columns - 1) / 2);
  const head = columns - 1 - tail;
  return `${chars.slice(0, head).join("")}…${tail === 0 ? "" : chars.slice(-tail).join("")}`;
}

/**
 * A log line broken at spaces into lines of at most `columns` characters, the later ones
 * indented; a word longer than a line is shortened in its middle.
 */
export function wrapText(text: string, columns: number): string[] {
  const lines: string[] = [];
  let line = "";
  // A size stays whole: "(1.5 GiB)" never ends a line at "(1.5".
  for (const word of text.split(/ (?!(?:[KMGTPE]i)?B\b)/)) {
    const candidate = line === "" ? word : `${line} ${word}`;
    if (line === "" || widthOf(candidate) <= columns) {
      line = fitText(candidate, columns);
      continue;
    }
    lines.push(line);
    line = fitText(`  ${word}`, columns);
  }
  lines.push(line);
  return lines;
}

/** `42s`, `3m20s`, `1h05m`; `--` when unknown (no rate yet, or nothing moves). */
export function formatEta(etaMs: number | undefined): string {
  if (etaMs === undefined || !Number.isFinite(etaMs)) return "--";
  const seconds = Math.ceil(etaMs / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  if (minutes >= 100 * 60) return "--";
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

function percentOf(tally: PhaseTally): number {
  if (tally.totalBytes > 0) return Math.floor((tally.doneBytes / tally.totalBytes) * 100);
  return tally.totalFiles > 0 ? Math.floor((tally.doneFiles / tally.totalFiles) * 100) : 100;
}

function bar(fraction: number, cells: number): string {
  const full = Math.round(Math.min(1, Math.max(0, fraction)) * cells);
  return `[${"#".repeat(full)}${"-".repeat(cells - full)}]`;
}

/** The parts of a phase line, most important first; the bar is placed by `phaseLine`. */
function phaseParts(tally: PhaseTally, nowMs: number) {
  const rate = tally.rate.bytesPerSecond(nowMs);
  const remainingBytes = tally.totalBytes - tally.doneBytes;
  const isDone = tally.doneFiles >= tally.totalFiles;
  return {
    percent: `${String(percentOf(tally)).padStart(3)}%`,
    bytes: `${formatBytes(tally.doneBytes)}/${formatBytes(tally.totalBytes)}`,
    files: `${tally.doneFiles}/${tally.totalFiles} files`,
    rate: rate === undefined ? "--/s" : `${formatBytes(Math.round(rate))}/s`,
    eta: isDone ? "done" : `ETA ${formatEta(tally.rate.etaMs(nowMs, remainingBytes))}`,
  };
}

/**
 * One phase (`check` or `fetch`) in `columns`: name, bar, percentage, bytes, files, rate, ETA.
 * Short of room, the bar goes first, then the file count, then the bytes.
 */
export function phaseLine(
  name: "check" | "fetch",
  tally: PhaseTally,
  options: { readonly columns: number; readonly nowMs: number },
): string {
  const { percent, bytes, files, rate, eta } = phaseParts(tally, options.nowMs);
  const fraction = tally.totalBytes > 0 ? tally.doneBytes / tally.totalBytes : 1;
  for (const parts of [
    [percent, bytes, files, rate, eta],
    [percent, bytes, rate, eta],
    [percent, rate, eta],
  ]) {
    const text = [name, ...parts].join(GAP);
    const room = options.columns - widthOf(text) - GAP.length - 2;
    if (parts.length === 5 && room >= MIN_BAR_CELLS) {
      const cells = Math.min(MAX_BAR_CELLS, room);
      return [name, bar(fraction, cells), ...parts].join(GAP);
    }
    if (widthOf(text) <= options.columns) return text;
  }
  return fitText([name, percent, rate, eta].join(" "), options.columns);
}

/** A large file in flight: its name (shortened in the middle), percentage and bytes. */
export function fileLine(file: ActiveFile, columns: number): string {
  const percent = `${String(Math.floor((file.doneBytes / Math.max(1, file.sizeBytes)) * 100)).padStart(3)}%`;
  const numbers = `${percent}${GAP}${formatBytes(file.doneBytes)}/${formatBytes(file.sizeBytes)}`;
  const nameRoom = columns - widthOf(numbers) - GAP.length - 4;
  if (nameRoom < 8) return fitText(`    ${numbers}`, columns);
  return `    ${fitText(file.path, nameRoom)}${GAP}${numbers}`;
}

/** How many lines `progressLines` gives: it depends on the state only. */
export function progressLineCount(state: ProgressState): number {
  const label = state.label === undefined ? 0 : 1;
  const phases = (state.check.totalFiles > 0 ? 1 : 0) + (state.fetch.totalFiles > 0 ? 1 : 0);
  return label + phases + state.files.size;
}

/**
 * Every line of the display, each at most `columns` wide: the component being mirrored, the
 * check and fetch phases that have work, then the large files in flight. How many lines there
 * are depends on the state only, never on the width or the time.
 */
export function progressLines(
  state: ProgressState,
  options: { readonly columns: number; readonly nowMs: number },
): string[] {
  const { columns } = options;
  const lines: string[] = [];
  if (state.label !== undefined) lines.push(fitText(`mirroring ${state.label}`, columns));
  if (state.check.totalFiles > 0) lines.push(phaseLine("check", state.check, options));
  if (state.fetch.totalFiles > 0) lines.push(phaseLine("fetch", state.fetch, options));
  for (const file of state.files.values()) lines.push(fileLine(file, columns));
  return lines;
}

/** The sparse line for logs (no terminal): each phase with work, in full. */
export function plainProgressLine(state: ProgressState, nowMs: number): string {
  const phases = [
    ["checked", state.check],
    ["fetched", state.fetch],
  ] as const;
  const parts = phases
    .filter(([, tally]) => tally.totalFiles > 0)
    .map(([verb, tally]) => {
      const { files, rate, eta } = phaseParts(tally, nowMs);
      return `${verb} ${formatBytes(tally.doneBytes)} of ${formatBytes(tally.totalBytes)}, ${files}, ${rate}, ${eta}`;
    });
  return `progress: ${parts.join("; ")}`;
}
