/**
 * Plain lines on stderr for logs: when stderr is not a terminal (cron, systemd, a pipe, a file),
 * each line starts with the time it was written, ISO 8601 in UTC with milliseconds
 * (`2026-05-01T02:00:03.123Z dci-mirror: …`), so a log read later says when each thing happened.
 * A terminal shows the lines as they are, and JSON lines are never prefixed (each stays JSON).
 */

/** Whether plain stderr lines get a time: only when stderr is not a terminal. */
export function stampsStderr(): boolean {
  return process.stderr.isTTY !== true;
}

/** `text` (one or more lines, with or without a final newline) with `time` before each line. */
export function stampLines(text: string, time: Date): string {
  const stamp = time.toISOString();
  const ending = text.endsWith("\n") ? "\n" : "";
  const body = ending === "" ? text : text.slice(0, -1);
  return `${body
    .split("\n")
    .map((line) => `${stamp} ${line}`)
    .join("\n")}${ending}`;
}

/** Writes `text` to stderr, each line stamped when stderr is not a terminal. */
export function writeStderr(text: string): void {
  process.stderr.write(stampsStderr() ? stampLines(text, new Date()) : text);
}
