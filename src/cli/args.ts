/**
 * The command line (yargs, strict): the global flags, the help texts and the error handling; each
 * command brings its own definition (commands/*.ts) and is only registered here.
 */
import yargs, { type Argv } from "yargs";
import { isMirrorError, UsageError } from "../errors.js";
import { VERSION } from "../version.js";
import { completionCommand } from "./commands/completion.js";
import type { CliEnvironment } from "./commands/context.js";
import { componentsCommand, identityCommand, topicsCommand } from "./commands/list.js";
import { sandboxCommand } from "./commands/sandbox.js";
import { planCommand, syncCommand } from "./commands/sync.js";
import { verifyCommand } from "./commands/verify.js";
import { exitCodeTableText } from "./exit-codes.js";
import { globalOptions } from "./options/global.js";
import { suggestFlag } from "./suggest.js";

export type { CliEnvironment } from "./commands/context.js";

const EPILOGUE = `Credentials: DCI_CS_URL, DCI_CLIENT_ID and DCI_API_SECRET from settings files, then the
environment, then --rc dcirc.sh, then --dci-cs-url (later wins); or --sandbox for the built-in one.

Exit codes:
${exitCodeTableText()}`;

function failWith(argv: readonly string[]) {
  return (message: string | undefined, error: Error | undefined): never => {
    // yargs wraps errors thrown by `coerce` (our flag checks) into its own YError: unwrap them.
    if (error !== undefined && error.name !== "YError") throw error;
    if (error !== undefined && isMirrorError(error.cause)) throw error.cause;
    const text = message ?? "invalid command line";
    // A mistyped command is refused by the mirror command itself: with a default command ($0),
    // yargs never recommends commands.
    const suggestion = suggestFlag(text, argv);
    throw new UsageError(`${text}${suggestion === "" ? "" : `.${suggestion}`}`, {
      code: "USAGE",
      hint: "Run `dci-mirror --help` (or `dci-mirror COMMAND --help`) for the flags.",
    });
  };
}

/** Builds the parser for `argv` (already stripped of `node` and the script). */
export function buildParser(argv: readonly string[], environment: CliEnvironment): Argv {
  const parser = globalOptions(yargs([...argv]));
  return parser
    .scriptName("dci-mirror")
    .usage(
      "$0 [sync] TOPIC DEST [options]\n$0 <command> [options]\n\nMirror Red Hat DCI components into DEST/<topic>/<component type>/.",
    )
    .version(VERSION)
    .strict()
    .exitProcess(false)
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .epilogue(EPILOGUE)
    .fail(failWith(argv))
    .command(syncCommand(environment))
    .command(planCommand(environment))
    .command(verifyCommand(environment))
    .command(identityCommand(environment))
    .command(topicsCommand(environment))
    .command(componentsCommand(environment))
    .command(sandboxCommand(environment))
    .command(completionCommand(parser));
}
