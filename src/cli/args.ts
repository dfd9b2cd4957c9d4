/**
 * The command line (yargs, strict): commands, their flags and help texts. Each handler receives
 * checked values and calls into a command module.
 */
import yargs, { type Argv } from "yargs";
import { UsageError } from "../errors.js";
import { VERSION } from "../version.js";
import { componentsCommand, identityCommand, topicsCommand } from "./commands/list.js";
import { mirrorCommand } from "./commands/mirror.js";
import { sandboxCommand } from "./commands/sandbox.js";
import { exitCodeTableText } from "./exit-codes.js";
import { createOutput } from "./output.js";

export interface CliEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal: AbortSignal;
  /** A command's verdict when it finished without throwing (a run with failed files). */
  readonly setExitCode: (code: number) => void;
}

const EPILOGUE = `Credentials come from DCI_CS_URL, DCI_CLIENT_ID and DCI_API_SECRET, from --rc dcirc.sh
(which wins over the environment), or from the built-in sandbox with --sandbox.

Exit codes:
${exitCodeTableText()}`;

function globalOptions(parser: Argv): Argv<{
  rc: string | undefined;
  "dci-cs-url": string | undefined;
  sandbox: boolean;
  json: boolean;
  quiet: boolean;
  verbose: boolean;
}> {
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
      describe: "print one JSON document on stdout",
    })
    .option("quiet", {
      alias: "q",
      type: "boolean",
      default: false,
      describe: "print errors and results only",
    })
    .option("verbose", {
      alias: "v",
      type: "boolean",
      default: false,
      describe: "print retries and error causes",
    });
}

/** Builds the parser for `argv` (already stripped of `node` and the script). */
export function buildParser(argv: readonly string[], environment: CliEnvironment): Argv {
  const base = globalOptions(yargs([...argv]))
    .scriptName("dci-mirror")
    .usage("$0 <command> [options]\n\nMirror Red Hat DCI components into a local repository tree.")
    .version(VERSION)
    .strict()
    .recommendCommands()
    .demandCommand(1, "Give a command; see --help.")
    .exitProcess(false)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .epilogue(EPILOGUE)
    .fail((message: string | undefined, error: Error | undefined) => {
      if (error !== undefined) throw error;
      const text = message ?? "invalid command line";
      // recommendCommands() reports a mistyped command only as "Did you mean …?".
      const full = text.startsWith("Did you mean") ? `Unknown command. ${text}` : text;
      throw new UsageError(full, {
        code: "USAGE",
        hint: "Run `dci-mirror --help` for the commands and flags.",
      });
    });
  const context = (flags: {
    rc?: string | undefined;
    "dci-cs-url"?: string | undefined;
    sandbox?: boolean;
    json?: boolean;
    quiet?: boolean;
    verbose?: boolean;
  }) => ({
    flags: { rc: flags.rc, dciCsUrl: flags["dci-cs-url"], sandbox: flags.sandbox },
    env: environment.env,
    output: createOutput(flags),
    signal: environment.signal,
  });
  return base
    .command(
      ["sync <topic> [dest]", "$0 <topic> [dest]"],
      "mirror the topic's latest components into DEST/<topic>/<component type>/",
      (command) => syncOptions(command),
      (flags) =>
        mirrorCommand(
          {
            ...context(flags),
            connection: context(flags).flags,
            setExitCode: environment.setExitCode,
          },
          {
            topic: flags.topic,
            dest: flags.dest,
            filter: flags.filter,
            componentId: flags["component-id"],
            arch: flags.arch,
            variant: flags.variant,
            debug: flags.debug,
            src: flags.src,
            iso: flags.iso,
            all: flags.all,
            packageFilter: flags["package-filter"],
            include: flags.include,
            exclude: flags.exclude,
            explain: flags.explain,
            jobs: flags.jobs,
            verify: flags.verify,
            lockTimeoutSeconds: flags["lock-timeout"],
            stallTimeoutSeconds: flags["stall-timeout"],
            dryRun: flags["dry-run"],
            progress: flags.progress,
            techPreview: flags["tech-preview"],
          },
        ),
    )
    .command(
      "identity",
      "show who the credentials belong to (checks credentials and clock)",
      (command) => command.example("$0 identity --rc ~/dcirc.sh", "check a dcirc.sh file"),
      (flags) => identityCommand(context(flags)),
    )
    .command(
      "topics",
      "list the topics these credentials can see",
      (command) => command.example("$0 topics --sandbox", "list the sandbox's topics"),
      (flags) => topicsCommand(context(flags)),
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
      (flags) =>
        componentsCommand(context(flags), {
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
      (flags) =>
        sandboxCommand(
          createOutput(flags),
          { port: flags.port, storePort: flags["store-port"], seed: flags.seed, size: flags.size },
          environment.signal,
        ),
    );
}

function positiveInteger(name: string): (value: number) => number {
  return (value) => {
    if (!Number.isInteger(value) || value < 1) {
      throw new UsageError(`--${name} must be a whole number of at least 1, not ${value}.`, {
        code: "USAGE",
        hint: `For example --${name} 8.`,
      });
    }
    return value;
  };
}

function syncOptions<T>(command: Argv<T>) {
  const list = (describe: string) => ({
    type: "string" as const,
    array: true as const,
    default: [] as string[],
    describe,
  });
  return command
    .positional("topic", {
      type: "string",
      demandOption: true,
      describe: "topic name, e.g. RHEL-9.4",
    })
    .positional("dest", { type: "string", describe: "destination root (default: $DCI_LOCAL_REPO)" })
    .option("filter", list("TYPE[:TAG]: the latest component of that type (and tag); repeatable"))
    .option("component-id", {
      type: "string",
      describe: "mirror this component instead of the latest ones",
    })
    .option("arch", { ...list("arch to keep (repeatable); default x86_64"), default: ["x86_64"] })
    .option("variant", list("variant to keep (repeatable); default every variant"))
    .option("debug", { type: "boolean", default: false, describe: "keep debug/ trees" })
    .option("src", { type: "boolean", default: false, describe: "keep source/tree" })
    .option("iso", { type: "boolean", default: false, describe: "keep iso/ images" })
    .option("all", { type: "boolean", default: false, describe: "no compose filtering at all" })
    .option("package-filter", list("keep only packages whose path contains this (repeatable)"))
    .option("include", list("keep only paths matching this glob (repeatable)"))
    .option("exclude", list("drop paths matching this glob (repeatable)"))
    .option("explain", { type: "string", describe: "say which rule keeps or drops PATH, and stop" })
    .option("jobs", {
      alias: "j",
      type: "number",
      default: 16,
      describe: "concurrent transfers",
      coerce: positiveInteger("jobs"),
    })
    .option("verify", { type: "boolean", default: false, describe: "re-hash every present file" })
    .option("lock-timeout", {
      type: "number",
      describe: "wait at most SECONDS for another run (0: fail at once)",
    })
    .option("stall-timeout", {
      type: "number",
      default: 60,
      describe: "retry a transfer silent for SECONDS",
    })
    .option("dry-run", {
      type: "boolean",
      default: false,
      describe: "show what would be done, change nothing",
    })
    .option("progress", {
      type: "boolean",
      default: true,
      describe: "progress bar on a terminal (--no-progress)",
    })
    .option("tech-preview", list("rhdl: fetch files through the RHDL (v2) gateway"))
    .example("$0 RHEL-9.4 /var/www/html", "latest compose(s) of RHEL-9.4, x86_64, every variant")
    .example(
      "$0 RHEL-9.4 /srv/dci --filter compose:milestone --variant BaseOS --iso",
      "milestone BaseOS with ISOs",
    )
    .example("$0 RHEL-9.4 ./mirror --sandbox", "try it on the built-in sandbox");
}
