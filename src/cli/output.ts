/**
 * Where a command writes: results on stdout, messages on stderr; `--quiet` keeps only errors and
 * results, `--json` keeps stdout for one JSON document. Every text is one line: its control
 * characters (server text may carry ESC, CR, LF) are printed as visible escapes.
 */
import { jsonText, visibleText } from "../report/visible-text.js";

export interface Output {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  /** A result line on stdout (tables, the final summary). */
  result(text: string): void;
  /** A JSON document on stdout. */
  document(value: unknown): void;
  /** A message for people on stderr (skipped with --quiet or --json). */
  info(text: string): void;
  /** A warning on stderr (as JSON with --json). */
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
    result: (text) => writeLine(process.stdout, visibleText(text)),
    document: (value) => writeLine(process.stdout, jsonText(value, 2)),
    info: (text) => {
      if (!quiet && !json) writeLine(process.stderr, visibleText(text));
    },
    warn: (code, text) => {
      if (json) writeLine(process.stderr, jsonText({ type: "warning", code, message: text }));
      else writeLine(process.stderr, `dci-mirror: warning: ${visibleText(text)}`);
    },
    error: (value) => {
      if (json) writeLine(process.stderr, jsonText({ type: "error", ...value }));
      else writeLine(process.stderr, errorLines(value.message, value.hint).join("\n"));
    },
    debug: (text) => {
      if (verbose && !json) writeLine(process.stderr, `dci-mirror: ${visibleText(text)}`);
    },
  };
}

function writeLine(stream: NodeJS.WriteStream, line: string): void {
  stream.write(`${line}\n`);
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
