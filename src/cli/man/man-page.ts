/**
 * dci-mirror(1): the man page, made from the command line's own definitions (reference.ts) and
 * exit-code table, plus the sections `--help` lacks (sections.ts). Pure: data in, roff out.
 */
import type { CliReference, CommandReference, OptionReference } from "./reference.js";
import {
  bold,
  example,
  italic,
  paragraph,
  roffText,
  section,
  subsection,
  taggedParagraph,
} from "./roff.js";
import { DESCRIPTION, ENVIRONMENT, EXAMPLES, FILES, SEE_ALSO } from "./sections.js";

export interface ManPageInput {
  readonly reference: CliReference;
  readonly version: string;
  readonly exitCodes: ReadonlyArray<readonly [number, string]>;
}

/** The value an option takes, as the descriptions name it (FILE, SECONDS...) or by its type. */
const VALUE_NAME =
  /(?<![A-Za-z_])(TYPE\[:TAG\]|HOST\[:PORT\]|FILE|PATH|SECONDS|MS|URL|RATE|GLOB|N)(?![A-Za-z_])/;

function valueName(option: OptionReference): string {
  if (option.type === "boolean" || option.type === "count") return "";
  if (option.choices.length > 0) return option.choices.join("|");
  return VALUE_NAME.exec(option.describe)?.[1] ?? (option.type === "number" ? "N" : "VALUE");
}

/** A description as a sentence: capitalised (unless it starts with a name such as "rhdl:"), with its full stop. */
function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === "") return "";
  const capitalised = /^[a-z][a-z-]*[ ,;]/.test(trimmed)
    ? `${trimmed.charAt(0).toUpperCase()}${trimmed.slice(1)}`
    : trimmed;
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

function optionNotes(option: OptionReference): string[] {
  const notes: string[] = [];
  if (option.isArray && !/repeatable/i.test(option.describe)) notes.push("Repeatable.");
  if (option.type === "boolean" && option.defaultValue === true)
    notes.push(`On by default; --no-${option.name} turns it off.`);
  else if (option.type !== "boolean" && option.defaultValue !== undefined)
    notes.push(`Default: ${String(option.defaultValue)}.`);
  return notes;
}

function optionEntry(option: OptionReference): string {
  const flags = [option.name, ...option.aliases].map((name) =>
    bold(name.length === 1 ? `-${name}` : `--${name}`),
  );
  const value = valueName(option);
  const tag = `${flags.join(", ")}${value === "" ? "" : ` ${italic(value)}`}`;
  const body = [sentence(option.describe), ...optionNotes(option)].filter((text) => text !== "");
  return taggedParagraph(tag, roffText(body.join(" ")));
}

function positionalEntry(positional: OptionReference): string {
  return taggedParagraph(
    italic(positional.name.toUpperCase()),
    roffText(sentence(positional.describe)),
  );
}

function commandSynopsis(command: CommandReference): string {
  const usage = command.usage.replace(/[<[]([a-z-]+)[>\]]/g, (whole, name: string) =>
    whole.startsWith("[") ? `[${name.toUpperCase()}]` : name.toUpperCase(),
  );
  return `dci-mirror ${command.isDefault ? usage.replace(/^(\S+)/, "[$1]") : usage}`;
}

/** What a command takes, as one string: two commands built alike (sync, plan) compare equal. */
function argumentsKey(command: CommandReference): string {
  return JSON.stringify([command.positionals, command.options]);
}

function commandSection(command: CommandReference, earlier: readonly CommandReference[]): string[] {
  const hasArguments = command.positionals.length + command.options.length > 0;
  const twin = hasArguments
    ? earlier.find((other) => argumentsKey(other) === argumentsKey(command))
    : undefined;
  const twinName = twin?.usage.split(" ")[0];
  return [
    subsection(commandSynopsis(command)),
    roffText(sentence(command.describe)),
    ...(twinName === undefined
      ? [...command.positionals.map(positionalEntry), ...command.options.map(optionEntry)]
      : [paragraph(`It takes the same arguments and options as ${twinName}.`)]),
    ...(command.examples.length > 0 && twin === undefined ? [paragraph("Examples:")] : []),
    ...(twin === undefined
      ? command.examples.map(([line, what]) => `${paragraph(sentence(what))}\n${example(line)}`)
      : []),
  ];
}

function definitionList(entries: ReadonlyArray<readonly [string, string]>): string[] {
  return entries.map(([term, text]) => taggedParagraph(bold(term), roffText(text)));
}

/** The complete roff source of dci-mirror(1). */
export function manPage({ reference, version, exitCodes }: ManPageInput): string {
  const lines = [
    `.TH DCI\\-MIRROR 1 "" "dci\\-mirror ${roffText(version)}" "User Commands"`,
    // No hyphenation, ragged right: flags such as --no-prune must stay whole on the screen.
    ".nh",
    ".ad l",
    section("NAME"),
    `dci\\-mirror \\- ${roffText("mirror Red Hat DCI components into a local tree")}`,
    section("SYNOPSIS"),
    `${bold("dci-mirror")} [${bold("sync")}] ${italic("TOPIC DEST")} [${italic("options")}]`,
    ".br",
    `${bold("dci-mirror")} ${italic("command")} [${italic("options")}]`,
    section("DESCRIPTION"),
    ...DESCRIPTION.map(paragraph),
    section("COMMANDS"),
    ...reference.commands.flatMap((command, index) =>
      commandSection(command, reference.commands.slice(0, index)),
    ),
    section("OPTIONS"),
    roffText("Every command takes these:"),
    ...reference.globalOptions.map(optionEntry),
    section("FILES"),
    ...definitionList(FILES),
    section("ENVIRONMENT"),
    ...definitionList(ENVIRONMENT),
    section("EXIT STATUS"),
    ...exitCodes.map(([code, meaning]) => taggedParagraph(bold(String(code)), roffText(meaning))),
    section("EXAMPLES"),
    ...EXAMPLES.map(([lines, what]) => `${paragraph(what)}\n${example(lines)}`),
    section("SEE ALSO"),
    roffText(
      `${SEE_ALSO}; the README of dci-mirror (/usr/share/doc/dci-mirror/README.md with the RPM).`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}
