/**
 * One `--settings` YAML file → normalised, type-checked settings, in dci-downloader's format (the
 * README's "Settings files" section). Pure: text and the YAML parser in, settings out; the read
 * (and the loading of the parser) is config/read-settings.ts, the merge config/resolve.ts.
 */
import type * as Yaml from "yaml";
import type { Document, LineCounter, ScalarTag } from "yaml";
import { UsageError } from "../errors.js";
import type { ComponentFilter } from "../model.js";

/** A settings file as read from disk: its path (for messages) and its text. */
export interface SettingsFile {
  readonly path: string;
  readonly text: string;
}

/** The parts of the `yaml` package a parse uses, handed in by whoever loaded it. */
export type YamlParser = Pick<typeof Yaml, "LineCounter" | "isNode" | "parseDocument">;

/** A settings file once parsed: its path (for messages) and its normalised keys. */
export interface ParsedSettingsFile {
  readonly path: string;
  readonly settings: FileSettings;
}

/** A variant as written: a string gives only `name`; the switches left out take defaults later. */
export interface VariantSetting {
  readonly name: string;
  readonly withDebug?: boolean | undefined;
  readonly withIso?: boolean | undefined;
}

/** One topic's keys as written; undefined = not set here, so an earlier source's value stays. */
export interface TopicSettings {
  readonly name: string;
  readonly archs?: readonly string[] | undefined;
  readonly variants?: readonly VariantSetting[] | undefined;
  readonly withDebug?: boolean | undefined;
  readonly withSource?: boolean | undefined;
  readonly withIso?: boolean | undefined;
  readonly filters?: readonly ComponentFilter[] | undefined;
  readonly packageFilters?: readonly string[] | undefined;
  readonly all?: boolean | undefined;
  readonly componentId?: string | undefined;
  readonly techPreview?: readonly string[] | undefined;
  readonly downloadFolder?: string | undefined;
  readonly include?: readonly string[] | undefined;
  readonly exclude?: readonly string[] | undefined;
}

/** The top-level keys of one file, normalised (`local_repo`, `topic`, `jobs` folded in). */
export interface FileSettings {
  readonly downloadFolder?: string | undefined;
  readonly registry?: string | undefined;
  readonly repoUrl?: string | undefined;
  readonly csUrl?: string | undefined;
  readonly clientId?: string | undefined;
  readonly apiSecret?: string | undefined;
  /** Defaults for topics that set no `with_debug` / `with_source` of their own. */
  readonly withDebug?: boolean | undefined;
  readonly withSource?: boolean | undefined;
  readonly topics?: readonly TopicSettings[] | undefined;
}

type Path = readonly (string | number)[];
type Fields = Readonly<Record<string, unknown>>;

/** Where a value sits, for messages: `file:line:column` when the YAML node is found. */
interface Source {
  readonly yaml: YamlParser;
  readonly file: string;
  readonly doc: Document;
  readonly lines: LineCounter;
}

// Only null, booleans and strings resolve: no key wants a number, and a tag such as `4.10` or an
// id such as `0777` must stay as written instead of becoming 4.1 or 511. Booleans are PyYAML's
// (the reference reads with safe_load, YAML 1.1): `with_debug: yes` is true, but `y`/`n` stay text
// (yaml's 1.1 schema would make them booleans). `<<` merge keys still work.
const KEPT_TAGS = ["map", "seq", "str", "null", "merge"];
const pyYamlBoolean = (value: boolean, test: RegExp): ScalarTag => ({
  tag: "tag:yaml.org,2002:bool",
  default: true,
  identify: (candidate) => candidate === value,
  test,
  resolve: () => value,
});
const BOOLEANS = [
  pyYamlBoolean(true, /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/),
  pyYamlBoolean(false, /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/),
];

const HINT = 'See the README\'s "Settings files" section for the settings file format.';

function isFields(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function where(source: Source, path: Path): string {
  const node = source.doc.getIn(path, true);
  const offset = source.yaml.isNode(node) ? node.range?.[0] : undefined;
  if (offset === undefined) return source.file;
  const { line, col } = source.lines.linePos(offset);
  return `${source.file}:${line}:${col}`;
}

function keyName(path: Path): string {
  return path
    .map((key, index) => (typeof key === "number" ? `[${key}]` : index === 0 ? key : `.${key}`))
    .join("");
}

function describeValue(value: unknown): string {
  if (value === null) return "empty";
  if (Array.isArray(value)) return "a list";
  if (isFields(value)) return "a mapping";
  return typeof value === "string" ? `the text ${JSON.stringify(value)}` : String(value);
}

function wrongType(source: Source, path: Path, expected: string, value: unknown): UsageError {
  return new UsageError(
    `${where(source, path)}: ${keyName(path)} must be ${expected}, not ${describeValue(value)}.`,
    { code: "CONFIG_TYPE", hint: HINT },
  );
}

/** Reads `fields[key]`: null and absent are "not set" (the reference's own example writes `component_id: null`). */
function field<T>(
  source: Source,
  at: Path,
  fields: Fields,
  key: string,
  read: (value: unknown) => T | undefined,
  expected: string,
): T | undefined {
  const value = fields[key];
  if (value === undefined || value === null) return undefined;
  const result = read(value);
  if (result === undefined) throw wrongType(source, [...at, key], expected, value);
  return result;
}

const asString = (value: unknown) => (typeof value === "string" ? value : undefined);
const asBoolean = (value: unknown) => (typeof value === "boolean" ? value : undefined);
const asStrings = (value: unknown) =>
  Array.isArray(value) && value.every((item) => typeof item === "string")
    ? value.filter((item) => typeof item === "string")
    : undefined;

const text = (s: Source, at: Path, f: Fields, key: string) =>
  field(s, at, f, key, asString, "text");
const flag = (s: Source, at: Path, f: Fields, key: string) =>
  field(s, at, f, key, asBoolean, "true or false");
const texts = (s: Source, at: Path, f: Fields, key: string, example: string) =>
  field(s, at, f, key, asStrings, `a list of strings, e.g. ${example}`);

function variant(source: Source, at: Path, value: unknown): VariantSetting {
  if (typeof value === "string" && value.trim() !== "") return { name: value };
  const name = isFields(value) ? value["name"] : undefined;
  if (!isFields(value) || typeof name !== "string" || name.trim() === "") {
    throw wrongType(source, at, "a variant name or {name, with_debug, with_iso}", value);
  }
  // with_source is accepted but source trees are a topic-level switch.
  flag(source, at, value, "with_source");
  // FIX: a missing with_debug / with_iso no longer crashes; resolve.ts fills in defaults.
  return {
    name,
    withDebug: flag(source, at, value, "with_debug"),
    withIso: flag(source, at, value, "with_iso"),
  };
}

function componentFilter(source: Source, at: Path, value: unknown): ComponentFilter {
  const type = isFields(value) ? value["type"] : undefined;
  if (!isFields(value) || typeof type !== "string" || type.trim() === "") {
    throw wrongType(source, at, "a mapping {type, tag}", value);
  }
  // Same meaning as --filter TYPE:TAG: the type lower-cased, the tag kept as written.
  const tag = text(source, at, value, "tag");
  const lowered = type.trim().toLowerCase();
  return tag === undefined || tag === "" ? { type: lowered } : { type: lowered, tag };
}

function list<T>(
  source: Source,
  at: Path,
  fields: Fields,
  key: string,
  item: (s: Source, at: Path, v: unknown) => T,
) {
  const value = fields[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw wrongType(source, [...at, key], "a list", value);
  return value.map((entry: unknown, index) => item(source, [...at, key, index], entry));
}

/** One topic mapping; `wholeFile` for the `topic:` form, whose folder keys stay top-level. */
function topic(source: Source, at: Path, value: unknown, wholeFile: boolean): TopicSettings {
  const name = isFields(value)
    ? (text(source, at, value, "name") ?? text(source, at, value, "topic"))
    : undefined;
  if (!isFields(value) || name === undefined || name.trim() === "") {
    throw wrongType(source, at, "a mapping with a topic name (name: RHEL-9.4)", value);
  }
  return {
    name: name.trim(),
    archs: texts(source, at, value, "archs", "[x86_64, ppc64le]"),
    variants: list(source, at, value, "variants", variant),
    withDebug: flag(source, at, value, "with_debug"),
    withSource: flag(source, at, value, "with_source"),
    withIso: flag(source, at, value, "with_iso"),
    filters: list(source, at, value, "filters", componentFilter),
    packageFilters: texts(source, at, value, "package_filters", "[kernel, glibc]"),
    all: flag(source, at, value, "download_everything"),
    componentId: text(source, at, value, "component_id"),
    techPreview: texts(source, at, value, "tech_preview", "[rhdl]"),
    downloadFolder: wholeFile ? undefined : text(source, at, value, "download_folder"),
    include: texts(source, at, value, "include", '["**/*.rpm"]'),
    exclude: texts(source, at, value, "exclude", '["**/*.iso"]'),
  };
}

function topics(source: Source, root: Fields): readonly TopicSettings[] | undefined {
  const entry = (s: Source, at: Path, v: unknown) => topic(s, at, v, false);
  // dci-downloader's backward-compatible forms, in its order: `jobs` beats `topic` beats `topics`.
  const jobs = list(source, [], root, "jobs", entry);
  if (jobs !== undefined) return jobs;
  if (root["topic"] !== undefined && root["topic"] !== null) return [topic(source, [], root, true)];
  return list(source, [], root, "topics", entry);
}

function parseYaml(file: SettingsFile, yaml: YamlParser): Source & { readonly root: unknown } {
  const { LineCounter, parseDocument } = yaml;
  const lines = new LineCounter();
  const doc = parseDocument(file.text, {
    version: "1.1",
    lineCounter: lines,
    prettyErrors: false,
    customTags: (tags) => [
      ...BOOLEANS,
      ...tags.filter((tag) =>
        KEPT_TAGS.includes(
          typeof tag === "string" ? tag : tag.tag.replace("tag:yaml.org,2002:", ""),
        ),
      ),
    ],
  });
  const [error] = doc.errors;
  if (error !== undefined) {
    // yaml's own advice (parseAllDocuments) is for programmers, not for users.
    const reason =
      error.code === "MULTIPLE_DOCS"
        ? "a settings file holds one YAML document; give each `---` part its own --settings"
        : error.message;
    throw yamlError(file.path, lines.linePos(error.pos[0]), reason, error);
  }
  try {
    return { yaml, file: file.path, doc, lines, root: doc.toJS({ maxAliasCount: 100 }) };
  } catch (cause) {
    // Only alias abuse (a "billion laughs" file) fails here; its message says so.
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw yamlError(file.path, { line: 1, col: 1 }, reason, cause);
  }
}

type LinePos = { line: number; col: number };

function yamlError(path: string, { line, col }: LinePos, reason: string, cause: unknown) {
  return new UsageError(`${path}:${line}:${col}: invalid YAML: ${reason}`, {
    code: "CONFIG_YAML",
    hint: "Fix the YAML syntax at that position (indentation with spaces, `key: value`).",
    cause,
  });
}

/**
 * Parses and checks one settings file: unknown keys are ignored, known keys of the wrong type are
 * not. Throws UsageError CONFIG_YAML (with file:line:column), CONFIG_EMPTY_SETTINGS,
 * CONFIG_NOT_MAPPING or CONFIG_TYPE.
 */
export function parseSettingsFile(file: SettingsFile, yaml: YamlParser): FileSettings {
  const source = parseYaml(file, yaml);
  const { root } = source;
  if (root === null || root === undefined) {
    // FIX: the reference crashes on an empty file.
    throw new UsageError(
      `The settings file ${file.path} is empty: it should hold a YAML mapping with download_folder and topics.`,
      {
        code: "CONFIG_EMPTY_SETTINGS",
        hint: "For example:\n  download_folder: /var/www/html\n  topics:\n    - name: RHEL-9.4",
      },
    );
  }
  if (!isFields(root)) {
    throw new UsageError(
      `${where(source, [])}: the settings file must be a YAML mapping (key: value), not ${describeValue(root)}.`,
      { code: "CONFIG_NOT_MAPPING", hint: HINT },
    );
  }
  return {
    // `local_repo` is the older name and wins in the same file, as in the reference.
    downloadFolder:
      text(source, [], root, "local_repo") ?? text(source, [], root, "download_folder"),
    registry: text(source, [], root, "registry"),
    repoUrl: text(source, [], root, "repo_url"),
    csUrl: text(source, [], root, "cs_url"),
    clientId: text(source, [], root, "client_id"),
    apiSecret: text(source, [], root, "api_secret"),
    withDebug: flag(source, [], root, "with_debug"),
    withSource: flag(source, [], root, "with_source"),
    topics: topics(source, root),
  };
}
