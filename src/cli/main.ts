/**
 * The CLI entry: parses the command line, runs the command, and turns the outcome into an exit
 * code. The only module that sets process.exitCode or installs signal handlers.
 */
import { setMaxListeners } from "node:events";
import { hideBin } from "yargs/helpers";
import { EXIT_CODES, InterruptedError } from "../errors.js";
import { jsonText } from "../report/visible-text.js";
import { hasErrno } from "../tree/io-errors.js";
import { releaseHeldLocksSync } from "../tree/lock.js";
import { buildParser } from "./args.js";
import { exitCodeFor, formatError } from "./exit-codes.js";
import { limitHeap } from "./heap-limits.js";
import { errorLines } from "./output.js";
import { writeStderr } from "./timestamps.js";

/** Runs the CLI on `argv` and returns the exit code; never throws. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const controller = new AbortController();
  // The whole run listens to this signal: API calls, transfers, lock waits.
  setMaxListeners(0, controller.signal);
  let signalName: string | undefined;
  const isJson = argv.includes("--json");
  const isSandbox = argv[0] === "sandbox";
  const isQuiet = argv.includes("--quiet") || argv.includes("-q");
  const onSignal = (name: NodeJS.Signals): void => {
    // The graceful stop may hang (a dead NFS mount, a stuck server): a second signal must not.
    if (signalName !== undefined) forceExit(name, { json: isJson });
    signalName = name;
    // Says the stop is under way (it can take a moment) and how to cut it short.
    if (!isSandbox && !isJson && !isQuiet)
      writeStderr(`dci-mirror: stopping (${name}); press Ctrl-C again to stop at once\n`);
    controller.abort(new InterruptedError(`Interrupted by ${name}.`, { code: "INTERRUPTED" }));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  let exitCode: number = EXIT_CODES.ok;
  const setExitCode = (code: number): void => {
    exitCode = code;
  };
  try {
    await buildParser(argv, {
      env: process.env,
      signal: controller.signal,
      setExitCode,
    }).parseAsync();
    return exitCode;
  } catch (error) {
    // The sandbox runs until Ctrl-C: that is its normal stop, not an interruption.
    if (isSandbox && signalName !== undefined) return EXIT_CODES.ok;
    const reported =
      signalName !== undefined && controller.signal.reason instanceof Error
        ? controller.signal.reason
        : error;
    const text = formatError(reported, {
      json: isJson,
      // `--quiet --verbose` is refused as a usage error: said in its two lines, like any other.
      verbose: !isQuiet && (argv.includes("--verbose") || argv.includes("-v")),
    });
    if (isJson) process.stderr.write(text);
    else writeStderr(text);
    return exitCodeFor(reported);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/**
 * A second SIGINT/SIGTERM: removes the topic locks this process holds (synchronously: nothing
 * async runs after this), says so in one line and exits 130 at once. Partial files stay, named by
 * their sha256, so the next run resumes them. The one process.exit(): waiting is what the user
 * refused, and stderr writes to a file, pipe or terminal are synchronous on Linux.
 */
function forceExit(name: NodeJS.Signals, options: { json: boolean }): never {
  const removedPaths = releaseHeldLocksSync();
  const message = `${name} again: stopped at once${removedPaths.length > 0 ? `, removed ${removedPaths.join(", ")}` : ""}.`;
  const hint = "Partial downloads are kept: run the same command again to resume them.";
  // The progress bar hides the cursor and turns off line wrap until it stops, which it now won't.
  if (process.stderr.isTTY) process.stderr.write("\u001b[?25h\u001b[?7h\n");
  if (options.json)
    process.stderr.write(
      `${jsonText({ type: "error", error: "InterruptedError", code: "INTERRUPTED_FORCED", exitCode: EXIT_CODES.interrupted, message, hint })}\n`,
    );
  else writeStderr(`${errorLines(message, hint).join("\n")}\n`);
  process.exit(EXIT_CODES.interrupted);
}

/**
 * A reader that stops reading (`dci-mirror topics | head -1`) is not a failure: what we still
 * write there is dropped, nothing is printed about it, and the command ends with the exit code
 * it would have had (a run carries on and releases its lock as usual). Without a listener, the
 * stream's EPIPE would be an uncaught exception: a stack trace and exit 1.
 */
function dropOutputToClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: unknown) => {
      // Any other write error (EIO, a full disk under `> file`) stays as loud as before.
      if (!hasErrno(error, "EPIPE", "ERR_STREAM_DESTROYED")) throw error;
    });
  }
}

/** The process entry used by bin/dci-mirror.js. */
export async function main(): Promise<void> {
  limitHeap();
  dropOutputToClosedPipes();
  process.exitCode = await runCli(hideBin(process.argv));
}
