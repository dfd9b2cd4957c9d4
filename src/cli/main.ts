/**
 * The CLI entry: parses the command line, runs the command, and turns the outcome into an exit
 * code. The only module that sets process.exitCode or installs signal handlers.
 */
import { setMaxListeners } from "node:events";
import { hideBin } from "yargs/helpers";
import { EXIT_CODES, InterruptedError } from "../errors.js";
import { buildParser } from "./args.js";
import { exitCodeFor, formatError } from "./exit-codes.js";
import { limitHeap } from "./heap-limits.js";

/** Runs the CLI on `argv` and returns the exit code; never throws. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const controller = new AbortController();
  // The whole run listens to this signal: API calls, transfers, lock waits.
  setMaxListeners(0, controller.signal);
  let signalName: string | undefined;
  const onSignal = (name: NodeJS.Signals): void => {
    signalName = name;
    controller.abort(new InterruptedError(`Interrupted by ${name}.`, { code: "INTERRUPTED" }));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const isSandbox = argv[0] === "sandbox";
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
    process.stderr.write(
      formatError(reported, {
        json: argv.includes("--json"),
        verbose: argv.includes("--verbose") || argv.includes("-v"),
      }),
    );
    return exitCodeFor(reported);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function isBrokenPipe(error: unknown): boolean {
  const code = error instanceof Error ? Reflect.get(error, "code") : undefined;
  return code === "EPIPE" || code === "ERR_STREAM_DESTROYED";
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
      if (!isBrokenPipe(error)) throw error;
    });
  }
}

/** The process entry used by bin/dci-mirror.js. */
export async function main(): Promise<void> {
  limitHeap();
  dropOutputToClosedPipes();
  process.exitCode = await runCli(hideBin(process.argv));
}
