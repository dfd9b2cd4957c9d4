/**
 * Where a command writes: results on stdout, messages on stderr; `--quiet` keeps only errors and
 * results, `--json` keeps stdout for one JSON document.
 */
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
    result: (text) => process.stdout.write(`${text}\n`),
    document: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    info: (text) => {
      if (!quiet && !json) process.stderr.write(`${text}\n`);
    },
    warn: (code, text) => {
      if (json)
        process.stderr.write(`${JSON.stringify({ type: "warning", code, message: text })}\n`);
      else process.stderr.write(`dci-mirror: warning: ${text}\n`);
    },
    error: (value) => {
      if (json) process.stderr.write(`${JSON.stringify({ type: "error", ...value })}\n`);
      else process.stderr.write(`${errorLines(value.message, value.hint).join("\n")}\n`);
    },
    debug: (text) => {
      if (verbose && !json) process.stderr.write(`dci-mirror: ${text}\n`);
    },
  };
}

/** A failure as people read it: the message, then the hint (when there is one) on its own line. */
export function errorLines(message: string, hint: string): string[] {
  return hint === "" ? [`dci-mirror: ${message}`] : [`dci-mirror: ${message}`, `  hint: ${hint}`];
}

/** Left-aligned columns for a small table. */
export function formatTable(rows: ReadonlyArray<readonly string[]>): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
