/**
 * The shapes of a settings file, from the text read to its normalised keys: what the parser
 * (settings-file.ts, settings-fields.ts) produces and the resolver merges. Types only.
 */
import type * as Yaml from "yaml";
import type { ComponentFilter } from "../model.js";

/** A settings file as read from disk: its path (for messages) and its text. */
export interface SettingsFile {
  readonly path: string;
  readonly text: string;
}

/** The parts of the `yaml` package a parse uses, handed in by whoever loaded it. */
export type YamlParser = Pick<
  typeof Yaml,
  "LineCounter" | "isMap" | "isNode" | "isScalar" | "parseDocument"
>;

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
  /** A CA file (PEM) trusted besides Node's built-in list (`--ca-file`). */
  readonly caFile?: string | undefined;
  /** Defaults for topics that set no `with_debug` / `with_source` of their own. */
  readonly withDebug?: boolean | undefined;
  readonly withSource?: boolean | undefined;
  /** Snapshot mode: keep this many published snapshots per type (`--snapshots`). */
  readonly snapshots?: number | undefined;
  /** `--max-delete`: `500` or `10%`. */
  readonly maxDelete?: string | undefined;
  /** `--metrics-file`: where the last run's metrics go. */
  readonly metricsFile?: string | undefined;
  /** `--bwlimit`: bytes per second for the whole run, as typed (`50M`). */
  readonly bwlimit?: string | undefined;
  readonly topics?: readonly TopicSettings[] | undefined;
}
