/**
 * Reading the keys of a parsed settings file: each known key type-checked, each wrong one
 * refused with its file:line:column. Pure; config/settings-file.ts parses the YAML.
 */
import type { Document, LineCounter } from "yaml";
import { UsageError } from "../errors.js";
import type { ComponentFilter } from "../model.js";
import { parseByteRate } from "../units.js";
import { checkTechPreview } from "./ignored-flags.js";
import { FILTER_KEYS, refuseUnknownKeys, TOPIC_KEYS, VARIANT_KEYS } from "./settings-keys.js";
import type { TopicSettings, VariantSetting, YamlParser } from "./settings-types.js";

export type Path = readonly (string | number)[];
export type Fields = Readonly<Record<string, unknown>>;

/** Where a value sits, for messages: `file:line:column` when the YAML node is found. */
export interface Source {
  readonly yaml: YamlParser;
  readonly file: string;
  readonly doc: Document;
  readonly lines: LineCounter;
}

export const HINT = 'See the README\'s "Settings files" section for the settings file format.';

export function isFields(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function where(source: Source, path: Path): string {
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

export function describeValue(value: unknown): string {
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

// Numbers stay text in these files (see settings-file.ts): a whole number is read from its digits.
const asWholeNumber = (value: unknown) =>
  typeof value === "string" && /^\d{1,9}$/.test(value.trim()) ? Number(value) : undefined;

// A rate stays as written (resolve.ts reads it); only its shape is checked here, with its place.
const asByteRate = (value: unknown) =>
  typeof value === "string" && parseByteRate(value) !== undefined ? value : undefined;

export const byteRate = (s: Source, at: Path, f: Fields, key: string) =>
  field(s, at, f, key, asByteRate, "bytes per second such as 50M (SI) or 50Mi (binary)");
export const wholeNumber = (s: Source, at: Path, f: Fields, key: string) =>
  field(s, at, f, key, asWholeNumber, "a whole number, 0 or more");
export const text = (s: Source, at: Path, f: Fields, key: string) =>
  field(s, at, f, key, asString, "text");
export const flag = (s: Source, at: Path, f: Fields, key: string) =>
  field(s, at, f, key, asBoolean, "true or false");
const texts = (s: Source, at: Path, f: Fields, key: string, example: string) =>
  field(s, at, f, key, asStrings, `a list of strings, e.g. ${example}`);

function variant(source: Source, at: Path, value: unknown): VariantSetting {
  if (typeof value === "string" && value.trim() !== "") return { name: value };
  const name = isFields(value) ? value["name"] : undefined;
  if (!isFields(value) || typeof name !== "string" || name.trim() === "") {
    throw wrongType(source, at, "a variant name or {name, with_debug, with_iso}", value);
  }
  refuseUnknownKeys(source, at, value, VARIANT_KEYS, { othersIgnored: false });
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
  refuseUnknownKeys(source, at, value, FILTER_KEYS, { othersIgnored: false });
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
  // The whole-file form's keys are checked with the top level's (settings-file.ts).
  if (!wholeFile) refuseUnknownKeys(source, at, value, TOPIC_KEYS, { othersIgnored: true });
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
    techPreview: techPreview(source, at, value),
    downloadFolder: wholeFile ? undefined : text(source, at, value, "download_folder"),
    include: texts(source, at, value, "include", '["**/*.rpm"]'),
    exclude: texts(source, at, value, "exclude", '["**/*.iso"]'),
  };
}

function techPreview(source: Source, at: Path, fields: Fields): readonly string[] | undefined {
  const features = texts(source, at, fields, "tech_preview", "[rhdl]");
  checkTechPreview(features, `${where(source, [...at, "tech_preview"])}: tech_preview`);
  return features;
}

export function topics(source: Source, root: Fields): readonly TopicSettings[] | undefined {
  const entry = (s: Source, at: Path, v: unknown) => topic(s, at, v, false);
  // dci-downloader's backward-compatible forms, in its order: `jobs` beats `topic` beats `topics`.
  const jobs = list(source, [], root, "jobs", entry);
  if (jobs !== undefined) return jobs;
  if (root["topic"] !== undefined && root["topic"] !== null) return [topic(source, [], root, true)];
  return list(source, [], root, "topics", entry);
}
