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

/** The process entry used by bin/dci-mirror.js. */
export async function main(): Promise<void> {
  limitHeap();
  process.exitCode = await runCli(hideBin(process.argv));
}
