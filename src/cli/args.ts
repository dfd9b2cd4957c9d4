/**
 * The command line (yargs, strict): commands, their flags and help texts. Each handler receives
 * checked values and calls into a command module.
 */
import yargs, { type Argv } from "yargs";
import { isMirrorError, UsageError } from "../errors.js";
import { VERSION } from "../version.js";
import { exitCodeTableText } from "./exit-codes.js";
import { createOutput } from "./output.js";
import { suggestFlag } from "./suggest.js";
import { mirrorFlagsOf, syncOptions } from "./sync-options.js";

// Command modules are loaded when their command runs: they pull in undici, the mirror and the
// sandbox, which cost a quarter of a second at start-up that `--version`, `--help` and usage errors
// (and the no-op re-sync's 1 s budget) should not pay for every other command.
const listCommands = () => import("./commands/list.js");

export interface CliEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal: AbortSignal;
  /** A command's verdict when it finished without throwing (a run with failed files). */
  readonly setExitCode: (code: number) => void;
}

const EPILOGUE = `Credentials: DCI_CS_URL, DCI_CLIENT_ID and DCI_API_SECRET from settings files, then the
environment, then --rc dcirc.sh, then --dci-cs-url (later wins); or --sandbox for the built-in one.

Exit codes:
${exitCodeTableText()}`;

interface GlobalFlags {
  readonly rc?: string | undefined;
  readonly "dci-cs-url"?: string | undefined;
  readonly sandbox?: boolean;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly verbose?: boolean;
}

function globalOptions(parser: Argv) {
  return parser
    .option("rc", {
      type: "string",
      describe: "read DCI_* credentials from this dcirc.sh (never executed)",
    })
    .option("dci-cs-url", { type: "string", describe: "DCI API URL (overrides DCI_CS_URL)" })
    .option("sandbox", {
      type: "boolean",
      default: false,
      describe: "use the built-in sandbox DCI server (no credentials needed)",
    })
    .option("json", {
      type: "boolean",
      default: false,
      describe: "print one JSON document on stdout; errors as JSON on stderr",
    })
    .option("quiet", {
      alias: "q",
      type: "boolean",
      default: false,
      describe: "print errors and the summary only",
    })
    .option("verbose", {
      alias: "v",
      type: "boolean",
      default: false,
      describe: "print retries and error causes",
    });
}

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
  const context = (flags: GlobalFlags) => ({
    connection: { rc: flags.rc, dciCsUrl: flags["dci-cs-url"], sandbox: flags.sandbox },
    env: environment.env,
    output: createOutput(flags),
    signal: environment.signal,
    setExitCode: environment.setExitCode,
  });
  /** `sync` and `plan`: the same flags, the same command; a plan is a dry run. */
  const mirrorHandler =
    (dryRun: boolean) =>
    async (flags: GlobalFlags & Parameters<typeof mirrorFlagsOf>[0]): Promise<void> => {
      const mirrorFlags = mirrorFlagsOf(flags, { dryRun });
      const dciCsUrl = flags["dci-cs-url"];
      const withCsUrl =
        dciCsUrl === undefined
          ? mirrorFlags
          : { ...mirrorFlags, cli: { ...mirrorFlags.cli, dciCsUrl } };
      await (await import("./commands/mirror.js")).mirrorCommand(context(flags), withCsUrl);
    };
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
    .command(
      ["sync [topic] [dest]", "$0 [topic] [dest]"],
      "mirror the topic's latest components into DEST/<topic>/<component type>/",
      syncOptions,
      mirrorHandler(false),
    )
    .command(
      "plan [topic] [dest]",
      "show what a sync would fetch, resume, check and remove, with sizes and free space (changes nothing)",
      syncOptions,
      mirrorHandler(true),
    )
    .command(
      "verify <folder>",
      "re-hash a mirror (DEST/TOPIC or DEST/TOPIC/TYPE) offline against its last files list",
      (command) =>
        command
          .positional("folder", {
            type: "string",
            demandOption: true,
            describe: "DEST/<topic> or DEST/<topic>/<type>",
          })
          .option("jobs", {
            alias: "j",
            type: "number",
            default: 4,
            describe: "files hashed at once",
          })
          .example(
            "$0 verify /var/www/html/RHEL-9.4",
            "check every file of every component of RHEL-9.4",
          ),
      async (flags) =>
        (await import("./commands/verify.js")).verifyCommand(
          createOutput(flags),
          { folder: flags.folder, jobs: flags.jobs },
          environment.signal,
        ),
    )
    .command(
      "identity",
      "show who the credentials belong to (checks credentials and clock)",
      (command) => command.example("$0 identity --rc ~/dcirc.sh", "check a dcirc.sh file"),
      async (flags) => (await listCommands()).identityCommand(context(flags)),
    )
    .command(
      "topics",
      "list the topics these credentials can see",
      (command) => command.example("$0 topics --sandbox", "list the sandbox's topics"),
      async (flags) => (await listCommands()).topicsCommand(context(flags)),
    )
    .command(
      "components <topic>",
      "list a topic's active components, newest first",
      (command) =>
        command
          .positional("topic", {
            type: "string",
            demandOption: true,
            describe: "topic name, e.g. RHEL-9.4",
          })
          .option("type", { type: "string", describe: "only this component type, e.g. compose" })
          .option("tag", {
            type: "string",
            describe: "only components with this tag, e.g. nightly",
          })
          .option("latest", {
            type: "boolean",
            default: false,
            describe: "only the latest per type",
          })
          .example(
            "$0 components RHEL-9.4 --type compose --tag milestone --latest",
            "latest milestone compose",
          ),
      async (flags) =>
        (await listCommands()).componentsCommand(context(flags), {
          topic: flags.topic,
          type: flags.type,
          tag: flags.tag,
          latest: flags.latest,
        }),
    )
    .command(
      "sandbox",
      "run the built-in DCI sandbox server on 127.0.0.1 until Ctrl-C",
      (command) =>
        command
          .option("port", { type: "number", describe: "API port (default: any free port)" })
          .option("store-port", {
            type: "number",
            describe: "object store port (default: any free port)",
          })
          .option("seed", { type: "string", describe: "catalog seed (same seed, same catalog)" })
          .option("size", {
            choices: ["tiny", "small", "medium", "large"] as const,
            describe: "files per compose: tiny ~150, small ~600, medium ~5,000, large ~20,000",
          })
          .example("$0 sandbox --port 5000", "serve the sandbox API on http://127.0.0.1:5000"),
      async (flags) =>
        (await import("./commands/sandbox.js")).sandboxCommand(
          createOutput(flags),
          { port: flags.port, storePort: flags["store-port"], seed: flags.seed, size: flags.size },
          environment.signal,
        ),
    )
    .command(
      "completion",
      "print a bash/zsh completion script (add it to ~/.bashrc or ~/.zshrc)",
      (command) =>
        command.example("$0 completion >> ~/.bashrc", "complete commands and flags in bash"),
      // A command of our own: yargs' .completion() falls through to the default command when it
      // may not exit the process, which would try to mirror a topic named "completion".
      () => {
        parser.showCompletionScript();
      },
    );
}
