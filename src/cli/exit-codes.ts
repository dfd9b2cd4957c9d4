/**
 * The one place where errors become exit codes and printed messages (human or JSON).
 */
import { EXIT_CODES, isMirrorError } from "../errors.js";
import { jsonText, visibleText } from "../report/visible-text.js";
import { errorLines } from "./output.js";

/** The exit-code table shown by `--help`, the man page and the README. */
export const EXIT_CODE_TABLE: ReadonlyArray<readonly [number, string]> = [
  [EXIT_CODES.ok, "success"],
  [EXIT_CODES.unexpected, "unexpected error (a bug: please report it with the --verbose output)"],
  [
    EXIT_CODES.usage,
    "usage error: bad flag, settings, credentials (client id shape), CA file, or DEST on /proc, /sys, /dev",
  ],
  [
    EXIT_CODES.auth,
    "credentials or signature refused (check DCI_CLIENT_ID, DCI_API_SECRET, the clock)",
  ],
  [
    EXIT_CODES.notFound,
    "topic or component not found or not visible, or a request that selects nothing (filter, tag, package filter)",
  ],
  [
    EXIT_CODES.network,
    "network or server failure after every retry, no answer in time, an answer or a TLS certificate refused",
  ],
  [
    EXIT_CODES.integrity,
    "a file's sha256 or size still wrong after a fresh download, or an unsafe files-list entry",
  ],
  [
    EXIT_CODES.localIo,
    "local disk error: no space or inodes, quota, permission, read-only, I/O error, a file not readable or not writable (--metrics-file)",
  ],
  [EXIT_CODES.locked, "another run holds the topic lock"],
  [
    EXIT_CODES.pruneLimit,
    "a component would remove more than --max-delete allows: nothing removed",
  ],
  [
    EXIT_CODES.imagesNotCopied,
    "--registry: container images not copied (no registry credentials, or skopeo failed)",
  ],
  [EXIT_CODES.interrupted, "interrupted (SIGINT/SIGTERM)"],
];

export function exitCodeTableText(): string {
  return EXIT_CODE_TABLE.map(([code, meaning]) => `  ${String(code).padStart(3)}  ${meaning}`).join(
    "\n",
  );
}

export function exitCodeFor(error: unknown): number {
  return isMirrorError(error) ? error.exitCode : EXIT_CODES.unexpected;
}

function causeChain(error: unknown): string[] {
  const lines: string[] = [];
  let current: unknown = error instanceof Error ? error.cause : undefined;
  while (current !== undefined && lines.length < 10) {
    const text = current instanceof Error ? `${current.name}: ${current.message}` : String(current);
    lines.push(visibleText(text));
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines;
}

/**
 * The stack: its head (name and message, possibly server text with line breaks) made visible as
 * one line; the frames after it are ours and keep their line breaks. V8 writes the message
 * verbatim into the head, under the name the error had when it was built.
 */
function stackLines(error: Error): string[] {
  const stack = error.stack;
  if (stack === undefined) return [];
  const messageStart = stack.indexOf(error.message);
  if (messageStart < 0) return [visibleText(stack)];
  const headEnd = messageStart + error.message.length;
  const frames = stack
    .slice(headEnd)
    .split("\n")
    .filter((line) => line !== "");
  return [visibleText(stack.slice(0, headEnd)), ...frames.map(visibleText)];
}

/** The text printed on stderr for a failed run. */
export function formatError(error: unknown, options: { json: boolean; verbose: boolean }): string {
  const exitCode = exitCodeFor(error);
  const known = isMirrorError(error);
  const message = error instanceof Error ? error.message : String(error);
  const hint = known ? error.hint : "unexpected error; please report it with the --verbose output.";
  if (options.json) {
    const type = known ? error.name : "UnexpectedError";
    const code = known ? error.code : "UNEXPECTED";
    return `${jsonText({ type: "error", error: type, code, exitCode, message, hint })}\n`;
  }
  const lines = errorLines(message, hint);
  if (options.verbose) {
    for (const cause of causeChain(error)) lines.push(`  caused by: ${cause}`);
    if (error instanceof Error) lines.push(...stackLines(error));
  }
  return `${lines.join("\n")}\n`;
}
