/**
 * Where a command writes: results on stdout, messages on stderr; `--quiet` keeps only errors (a
 * run's summary then prints only its failure line), `--json` keeps stdout for one JSON document on
 * one line. Every text is one line: its control characters (server text may carry ESC, CR, LF) are
 * printed as visible escapes. Plain stderr lines start with the time when stderr is not a terminal.
 */
import { jsonText, visibleText } from "../report/visible-text.js";
import { writeStderr } from "./timestamps.js";

export interface Output {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  /** A result line on stdout (tables, the final summary). */
  result(text: string): void;
  /** A JSON document on stdout, on one line. */
  document(value: unknown): void;
  /** A message for people on stderr (skipped with --quiet or --json). */
  info(text: string): void;
  /** A warning on stderr (as JSON with --json; skipped with --quiet). */
  warn(code: string, text: string): void;
  /** An error on stderr, whatever the verbosity (as one JSON object with --json). */
  error(value: { code: string; message: string; hint: string; exitCode: number }): void;
  /** Debug detail on stderr, only with --verbose. */
  debug(text: string): void;
}

export function createOutput(flags: {
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}): Output {
  const json = flags.json === true;
  const quiet = flags.quiet === true;
  const verbose = flags.verbose === true;
  return {
    json,
    quiet,
    verbose,
    result: (text) => process.stdout.write(`${visibleText(text)}\n`),
    // One line, so `>> log.jsonl` keeps one run per line and `tail -1 | jq` reads the last one.
    document: (value) => process.stdout.write(`${jsonText(value)}\n`),
    info: (text) => {
      if (!quiet && !json) writeStderr(`${visibleText(text)}\n`);
    },
    warn: (code, text) => {
      if (quiet) return;
      if (json) process.stderr.write(`${jsonText({ type: "warning", code, message: text })}\n`);
      else writeStderr(`dci-mirror: warning: ${visibleText(text)}\n`);
    },
    error: (value) => {
      if (json) process.stderr.write(`${jsonText({ type: "error", ...value })}\n`);
      else writeStderr(`${errorLines(value.message, value.hint).join("\n")}\n`);
    },
    debug: (text) => {
      if (verbose && !json) writeStderr(`dci-mirror: ${visibleText(text)}\n`);
    },
  };
}

/**
 * A failure as people read it: the message, then the hint (when there is one), control characters
 * made visible. Only the hint may span lines (a settings example); its further lines are indented
 * under it, so even a server line break inside it cannot start a line of its own.
 */
export function errorLines(message: string, hint: string): string[] {
  const lines = [`dci-mirror: ${visibleText(message)}`];
  if (hint === "") return lines;
  const [first = "", ...rest] = hint.split("\n");
  return [
    ...lines,
    `  hint: ${visibleText(first)}`,
    ...rest.map((line) => `        ${visibleText(line)}`),
  ];
}

/** Left-aligned columns for a small table, one string per line (print each with `result`). */
export function formatTable(rawRows: ReadonlyArray<readonly string[]>): string[] {
  // Escaped before measuring, so a cell with control characters still lines up.
  const rows = rawRows.map((row) => row.map(visibleText));
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}
