/**
 * Settings files < environment < command line → one checked, frozen config, with dci-downloader's
 * configuration traps (the README's "Where dci-mirror differs from dci-downloader") fixed where
 * marked FIX. Pure.
 */

import { UsageError } from "../errors.js";
import type { ComponentFilter, FilterSpec, VariantSpec } from "../model.js";
import { parseComponentFilter } from "./component-filter.js";
import { validateTopicNames } from "./rhel-names.js";
import {
  type FileSettings,
  parseSettingsFile,
  type SettingsFile,
  type TopicSettings,
} from "./settings-file.js";

/** What the command line said; `undefined` = the flag was not given (defaults are applied here, not by yargs). */
export interface CliSettings {
  readonly topic?: string;
  readonly dest?: string;
  readonly localRepo?: string;
  readonly arch?: readonly string[];
  readonly variant?: readonly string[];
  readonly filter?: readonly string[];
  readonly debug?: boolean;
  readonly src?: boolean;
  readonly iso?: boolean;
  readonly all?: boolean;
  readonly packageFilter?: readonly string[];
  readonly componentId?: string;
  readonly techPreview?: readonly string[];
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly dciCsUrl?: string;
  readonly dciRepoUrl?: string;
  readonly registry?: string;
}

export interface ResolveInput {
  readonly cli: CliSettings;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly files: readonly SettingsFile[];
}

export interface ResolvedTopic {
  readonly name: string;
  /** Destination root for this topic. */
  readonly dest: string;
  /** Absent: one per component type. */
  readonly filters?: readonly ComponentFilter[];
  readonly componentId?: string;
  readonly filter: FilterSpec;
  readonly rhdl: boolean;
}

export interface ResolvedConfig {
  /** Sorted by name. */
  readonly topics: readonly ResolvedTopic[];
  readonly credentials: {
    readonly csUrl?: string;
    readonly clientId?: string;
    /** Where `clientId` came from, for messages: `DCI_CLIENT_ID (environment)`, `client_id in FILE`. */
    readonly clientIdSource?: string;
    readonly apiSecret?: string;
  };
  /** Default https://repo.distributed-ci.io, trailing `/` stripped. */
  readonly repoUrl: string;
  readonly registry?: string;
}

const DEFAULT_REPO_URL = "https://repo.distributed-ci.io";

/** Flags that describe the CLI topic, so they mean nothing without TOPIC. */
const TOPIC_FLAGS = [
  ["componentId", "--component-id"],
  ["arch", "--arch"],
  ["variant", "--variant"],
  ["filter", "--filter"],
  ["all", "--all"],
  ["packageFilter", "--package-filter"],
  ["techPreview", "--tech-preview"],
  ["include", "--include"],
  ["exclude", "--exclude"],
] as const;

/** A blank value is no value: the reference tests `if value:`, and "" as a folder would mean the cwd. */
function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

function unique<T>(values: readonly T[], key: (value: T) => string): T[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const id = key(value);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/**
 * Shallow, later file winning per top-level key, as the reference merges: two `topics:`
 * lists do not combine. Files are normalised first, so a later `download_folder` beats an earlier
 * `local_repo` (the later file wins, whichever spelling it uses).
 */
function mergeFiles(files: readonly FileSettings[]): FileSettings {
  return files.reduce<FileSettings>(overlay, {});
}

/** Key by key, `over` winning where it says something (dci-downloader's "merged key by key"). */
function mergeTopic(base: TopicSettings, over: TopicSettings): TopicSettings {
  return overlay(base, over);
}

/**
 * `base` with each key that `over` defines (not undefined) taken from `over`. Generic on purpose:
 * a key added to the settings types is merged without anyone listing it here.
 */
function overlay<T extends object>(base: T, over: T): T {
  const defined = Object.entries(over).filter(([, value]) => value !== undefined);
  return { ...base, ...Object.fromEntries(defined) };
}

/**
 * FIX: the CLI topic carries only the flags actually given, so
 * `RHEL-9.4 /x --settings s.yml` keeps the file's archs and variants instead of wiping them.
 */
function cliTopic(cli: CliSettings): TopicSettings | undefined {
  const name = present(cli.topic)?.trim();
  if (name === undefined) {
    const given = TOPIC_FLAGS.filter(([key]) => cli[key] !== undefined).map(([, flag]) => flag);
    if (given.length === 0) return undefined;
    throw new UsageError(`${given.join(", ")} given without a TOPIC.`, {
      code: "USAGE_NEEDS_TOPIC",
      hint: "These flags describe the topic named on the command line: give TOPIC (and DEST) first.",
    });
  }
  return {
    name,
    archs: cli.arch,
    // --variant names take the topic's with_debug (filled in later) and the --iso flag.
    variants: cli.variant?.map((variant) => ({ name: variant, withIso: cli.iso })),
    filters: cli.filter?.map(parseComponentFilter),
    packageFilters: cli.packageFilter,
    all: cli.all,
    componentId: cli.componentId,
    techPreview: cli.techPreview,
    include: cli.include,
    exclude: cli.exclude,
  };
}

/** Topics matched by name across sources, later winning key by key; a new name is added. */
function mergeTopics(sources: readonly (readonly TopicSettings[])[]): TopicSettings[] {
  const byName = new Map<string, TopicSettings>();
  for (const topic of sources.flat()) {
    const earlier = byName.get(topic.name);
    byName.set(topic.name, earlier === undefined ? topic : mergeTopic(earlier, topic));
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function filterSpec(topic: TopicSettings, file: FileSettings, cli: CliSettings): FilterSpec {
  // --debug / --src force every topic; FIX: else a top-level with_debug/with_source is the
  // default of topics without their own (the reference ignores it).
  const withDebug = cli.debug ?? topic.withDebug ?? file.withDebug ?? false;
  const withSource = cli.src ?? topic.withSource ?? file.withSource ?? false;
  // FIX: --iso acts without --variant too (and with_iso is a topic-level key of ours).
  const withIso = cli.iso ?? topic.withIso ?? false;
  // FIX: a variant object without with_debug / with_iso takes the topic's with_debug and
  // false instead of crashing; string variants (and --variant names) follow the forced --debug.
  const variants: VariantSpec[] = (topic.variants ?? []).map((variant) =>
    Object.freeze({
      name: variant.name,
      withDebug: variant.withDebug ?? withDebug,
      withIso: variant.withIso ?? false,
    }),
  );
  return Object.freeze({
    all: topic.all ?? false,
    arches: Object.freeze(unique(topic.archs ?? ["x86_64"], String)),
    variants: Object.freeze(unique(variants, (variant) => variant.name)),
    withDebug,
    withIso,
    withSource,
    packages: Object.freeze(unique(topic.packageFilters ?? [], String)),
    include: Object.freeze([...(topic.include ?? [])]),
    exclude: Object.freeze([...(topic.exclude ?? [])]),
  });
}

/**
 * FIX: a topic's own download_folder beats the top-level one (it is more specific; dci-downloader
 * does the reverse).
 */
function destination(topic: TopicSettings, file: FileSettings, input: ResolveInput): string {
  const dest =
    present(input.cli.dest) ??
    present(input.cli.localRepo) ??
    present(input.env["DCI_LOCAL_REPO"]) ??
    present(topic.downloadFolder) ??
    present(file.downloadFolder);
  if (dest !== undefined) return dest;
  throw new UsageError(
    `The destination folder for topic ${topic.name} is not specified: give DEST, --local-repo, DCI_LOCAL_REPO or download_folder in a settings file.`,
    { code: "USAGE_NO_DEST", hint: "For example: dci-mirror RHEL-9.4 /var/www/html" },
  );
}

function resolveTopic(
  topic: TopicSettings,
  file: FileSettings,
  input: ResolveInput,
): ResolvedTopic {
  const dest = destination(topic, file, input);
  const filter = filterSpec(topic, file, input.cli);
  validateTopicNames(
    topic.name,
    filter.arches,
    filter.variants.map((variant) => variant.name),
  );
  const filters =
    topic.filters !== undefined && topic.filters.length > 0 ? topic.filters : undefined;
  const componentId = present(topic.componentId);
  return Object.freeze({
    name: topic.name,
    dest,
    ...(filters === undefined
      ? {}
      : { filters: Object.freeze(filters.map((f) => Object.freeze({ ...f }))) }),
    ...(componentId === undefined ? {} : { componentId }),
    filter,
    rhdl: (topic.techPreview ?? []).some((feature) => feature.toLowerCase() === "rhdl"),
  });
}

/** Credentials: file < environment < --dci-cs-url; checked later by config/credentials.ts. */
function credentials(
  input: ResolveInput,
  file: FileSettings,
  clientIdFile: string | undefined,
): ResolvedConfig["credentials"] {
  const { cli, env } = input;
  const csUrl = present(cli.dciCsUrl) ?? present(env["DCI_CS_URL"]) ?? present(file.csUrl);
  const clientId = present(env["DCI_CLIENT_ID"]) ?? present(file.clientId);
  const clientIdSource =
    present(env["DCI_CLIENT_ID"]) === undefined
      ? `client_id in ${clientIdFile ?? "the settings file"}`
      : "DCI_CLIENT_ID (environment)";
  const apiSecret = present(env["DCI_API_SECRET"]) ?? present(file.apiSecret);
  return Object.freeze({
    ...(csUrl === undefined ? {} : { csUrl }),
    ...(clientId === undefined ? {} : { clientId, clientIdSource }),
    ...(apiSecret === undefined ? {} : { apiSecret }),
  });
}

/**
 * Merges settings files (in order, shallowly) < environment < command line into one frozen config
 * and validates it before any network call; throws UsageError
 * (USAGE_NO_TOPIC, USAGE_NO_DEST, USAGE_NEEDS_TOPIC, USAGE_VARIANT, USAGE_ARCH, USAGE_FILTER,
 * CONFIG_*) on the first problem.
 */
export function resolveConfig(input: ResolveInput): ResolvedConfig {
  const { cli, env } = input;
  const parsedFiles = input.files.map(parseSettingsFile);
  const file = mergeFiles(parsedFiles);
  // The later file wins (mergeFiles), so the client id comes from the last file that sets it.
  const clientIdFile = input.files.filter((_, index) => parsedFiles[index]?.clientId !== undefined);
  const fromCli = cliTopic(cli);
  const merged = mergeTopics([file.topics ?? [], fromCli === undefined ? [] : [fromCli]]);
  if (merged.length === 0) {
    throw new UsageError(
      "You need to specify at least one topic: TOPIC or a settings file with topics.",
      { code: "USAGE_NO_TOPIC", hint: "For example: dci-mirror RHEL-9.4 /var/www/html" },
    );
  }
  const repoUrl = present(cli.dciRepoUrl) ?? present(env["DCI_REPO_URL"]) ?? present(file.repoUrl);
  const registry = present(cli.registry) ?? present(env["DCI_REGISTRY"]) ?? present(file.registry);
  return Object.freeze({
    topics: Object.freeze(merged.map((topic) => resolveTopic(topic, file, input))),
    credentials: credentials(input, file, clientIdFile.at(-1)?.path),
    repoUrl: (repoUrl ?? DEFAULT_REPO_URL).trim().replace(/\/+$/, ""),
    ...(registry === undefined ? {} : { registry }),
  });
}
