/**
 * The command line as data, read from the same yargs definitions that print `--help`: each
 * command's usage, description, positionals, options and examples. The man page is made from it,
 * so a flag or a description changed in commands/ or options/ changes the man page too.
 *
 * yargs keeps these records but only partly declares them in its types (getOptions, the usage
 * instance, the command handlers), so they are read as `unknown` and checked field by field.
 */
import yargs, { type Argv } from "yargs";
import { buildParser } from "../args.js";
import { globalOptions } from "../options/global.js";

export interface OptionReference {
  /** The long name, without dashes: "lock-timeout". */
  readonly name: string;
  /** One-letter (or other) aliases, without dashes: ["j"]. */
  readonly aliases: readonly string[];
  readonly type: "boolean" | "number" | "string" | "count" | "unknown";
  readonly isArray: boolean;
  readonly describe: string;
  /** undefined when the option has no default. */
  readonly defaultValue: unknown;
  readonly choices: readonly string[];
}

export interface CommandReference {
  /** yargs' usage string: "components <topic>". */
  readonly usage: string;
  readonly describe: string;
  readonly isDefault: boolean;
  readonly positionals: readonly OptionReference[];
  /** The command's own options: not the global ones. */
  readonly options: readonly OptionReference[];
  /** [command line, what it does], with `$0` already replaced by "dci-mirror". */
  readonly examples: ReadonlyArray<readonly [string, string]>;
}

export interface CliReference {
  /** The options every command takes, --help and --version included. */
  readonly globalOptions: readonly OptionReference[];
  readonly commands: readonly CommandReference[];
}

type Fields = Readonly<Record<string, unknown>>;

function isFields(value: unknown): value is Fields {
  return typeof value === "object" && value !== null;
}

function fieldsOf(value: unknown): Fields {
  return isFields(value) ? value : {};
}

/** Calls `target.name()` if it is a method; undefined otherwise. */
function callMethod(target: unknown, name: string, ...args: unknown[]): unknown {
  const method = fieldsOf(target)[name];
  return typeof method === "function" ? Reflect.apply(method, target, args) : undefined;
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item) => typeof item === "string") : [];
}

/** yargs' own texts ("Show help") are stored with a marker for its translation table. */
function plainDescription(value: unknown): string {
  return typeof value === "string" ? value.replace(/^__yargsString__:/, "") : "";
}

function typeOf(options: Fields, name: string): OptionReference["type"] {
  for (const type of ["boolean", "number", "string", "count"] as const) {
    if (stringsOf(options[type]).includes(name)) return type;
  }
  return "unknown";
}

/** Every declared option of a parser, as yargs recorded it, aliases folded into their option. */
function declaredOptions(parser: Argv): OptionReference[] {
  const options = fieldsOf(callMethod(parser, "getOptions"));
  const usage = callMethod(callMethod(parser, "getInternalMethods"), "getUsageInstance");
  const descriptions = fieldsOf(callMethod(usage, "getDescriptions"));
  const aliasesOf = fieldsOf(options["alias"]);
  const aliasNames = new Set(Object.values(aliasesOf).flatMap(stringsOf));
  const hidden = new Set(stringsOf(options["hiddenOptions"]));
  return Object.keys(fieldsOf(options["key"]))
    .filter((name) => !aliasNames.has(name) && !hidden.has(name))
    .map((name) => ({
      name,
      aliases: stringsOf(aliasesOf[name]),
      type: typeOf(options, name),
      isArray: stringsOf(options["array"]).includes(name),
      describe: plainDescription(descriptions[name]),
      defaultValue: fieldsOf(options["default"])[name],
      choices: stringsOf(fieldsOf(options["choices"])[name]),
    }));
}

/** Runs a command's builder on a fresh parser that has the global options, as yargs does. */
function buildCommand(builder: unknown): { parser: Argv; examples: [string, string][] } {
  const parser = globalOptions(yargs([]));
  const examples: [string, string][] = [];
  const example = parser.example.bind(parser);
  // yargs keeps examples without a getter: note them as the builder declares them.
  Object.defineProperty(parser, "example", {
    value: (command: string, description: string) => {
      examples.push([command.replaceAll("$0", "dci-mirror"), description]);
      return example(command, description);
    },
  });
  if (typeof builder === "function") Reflect.apply(builder, undefined, [parser]);
  return { parser, examples };
}

function commandReference(usageEntry: unknown, handlers: Fields): CommandReference | undefined {
  if (!Array.isArray(usageEntry)) return undefined;
  const [usage, describe, isDefault] = usageEntry;
  if (typeof usage !== "string") return undefined;
  const name = usage.split(" ")[0] ?? usage;
  const { parser, examples } = buildCommand(fieldsOf(handlers[name])["builder"]);
  const globalNames = new Set(declaredOptions(globalOptions(yargs([]))).map(({ name }) => name));
  const positionalNames = stringsOf(fieldsOf(callMethod(parser, "getGroups"))["Positionals:"]);
  const declared = declaredOptions(parser);
  return {
    usage,
    describe: plainDescription(describe),
    isDefault: isDefault === true,
    positionals: positionalNames.flatMap((positional) =>
      declared.filter((option) => option.name === positional),
    ),
    options: declared.filter(
      ({ name }) => !globalNames.has(name) && !positionalNames.includes(name),
    ),
    examples,
  };
}

/** The whole command line as data; builds the parser, parses nothing, runs no command. */
export function cliReference(): CliReference {
  const root = buildParser([], { env: {}, signal: AbortSignal.abort(), setExitCode: () => {} });
  const internals = callMethod(root, "getInternalMethods");
  const handlers = fieldsOf(
    callMethod(callMethod(internals, "getCommandInstance"), "getCommandHandlers"),
  );
  const usageEntries = callMethod(callMethod(internals, "getUsageInstance"), "getCommands");
  const commands = (Array.isArray(usageEntries) ? usageEntries : []).flatMap((entry: unknown) => {
    const reference = commandReference(entry, handlers);
    return reference === undefined ? [] : [reference];
  });
  return {
    globalOptions: declaredOptions(root),
    commands,
  };
}
