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
import { rollbackCommand, snapshotsCommand } from "./commands/snapshots.js";
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

/** yargs' own record of the options declared so far: the global ones and the parsed command's. */
interface DeclaredOptions {
  readonly key?: Readonly<Record<string, unknown>>;
  readonly default?: Readonly<Record<string, unknown>>;
}

/**
 * The long flags the command being parsed accepts, as its definition declared them (and
 * `--no-X` for a flag on by default); none if yargs does not say.
 */
function declaredFlags(parser: Argv): string[] {
  // getOptions() is yargs' public method, missing from its type definitions.
  const options = (parser as unknown as { getOptions?: () => DeclaredOptions }).getOptions?.();
  const names = Object.keys(options?.key ?? {}).filter((name) => name.length > 1);
  const negated = names.filter((name) => options?.default?.[name] === true);
  return [...names, ...negated.map((name) => `no-${name}`)];
}

function failWith(argv: readonly string[], knownFlags: () => readonly string[]) {
  return (message: string | undefined, error: Error | undefined): never => {
    // yargs wraps errors thrown by `coerce` (our flag checks) into its own YError: unwrap them.
    if (error !== undefined && error.name !== "YError") throw error;
    if (error !== undefined && isMirrorError(error.cause)) throw error.cause;
    const text = message ?? "invalid command line";
    // A mistyped command is refused by the mirror command itself: with a default command ($0),
    // yargs never recommends commands.
    const suggestion = suggestFlag(text, argv, knownFlags());
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
    .fail(failWith(argv, () => declaredFlags(parser)))
    .command(syncCommand(environment))
    .command(planCommand(environment))
    .command(verifyCommand(environment))
    .command(snapshotsCommand(environment))
    .command(rollbackCommand(environment))
    .command(identityCommand(environment))
    .command(topicsCommand(environment))
    .command(componentsCommand(environment))
    .command(sandboxCommand(environment))
    .command(completionCommand(parser));
}
