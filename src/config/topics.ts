/**
 * The topics of a run: the settings files' topics and the command line's one, merged by name, with
 * their filters and destinations, and dci-downloader's configuration traps (the README's "Where
 * dci-mirror differs from dci-downloader") fixed where marked FIX. Pure.
 */
import { UsageError } from "../errors.js";
import type { FilterSpec, VariantSpec } from "../model.js";
import type { CliSettings } from "./cli-settings.js";
import { parseComponentFilter } from "./component-filter.js";
import { checkTechPreview, hasTechPreview, refuseIgnoredByAll } from "./ignored-flags.js";
import { validateTopicNames } from "./rhel-names.js";
import type { TopicRequest } from "./run-settings.js";
import type { FileSettings, TopicSettings } from "./settings-types.js";
import { overlay, present, unique } from "./values.js";

type Env = Readonly<Record<string, string | undefined>>;

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
  checkTechPreview(cli.techPreview, "--tech-preview");
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
    // Key by key, the later source winning where it says something (dci-downloader's "merged key by key").
    byName.set(topic.name, earlier === undefined ? topic : overlay(earlier, topic));
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
 * DEST > --local-repo > DCI_LOCAL_REPO > the topic's download_folder > the top-level one.
 * FIX: a topic's own download_folder beats the top-level one (it is more specific; dci-downloader
 * does the reverse).
 */
function destination(topic: TopicSettings, file: FileSettings, cli: CliSettings, env: Env) {
  const dest =
    present(cli.dest) ??
    present(cli.localRepo) ??
    present(env["DCI_LOCAL_REPO"]) ??
    present(topic.downloadFolder) ??
    present(file.downloadFolder);
  if (dest !== undefined) return dest;
  throw new UsageError(
    `The destination folder for topic ${topic.name} is not specified: give DEST, --local-repo, DCI_LOCAL_REPO or download_folder in a settings file.`,
    { code: "USAGE_NO_DEST", hint: "For example: dci-mirror RHEL-9.4 /var/www/html" },
  );
}

function topicRequest(
  topic: TopicSettings,
  file: FileSettings,
  cli: CliSettings,
  env: Env,
): TopicRequest {
  const dest = destination(topic, file, cli, env);
  const filter = filterSpec(topic, file, cli);
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
    rhdl: hasTechPreview(topic.techPreview, "rhdl"),
  });
}

/**
 * The settings files' topics (merged in `file`) and the command line's, merged by name, sorted,
 * checked and frozen. Throws UsageError USAGE_NO_TOPIC, USAGE_NO_DEST, USAGE_NEEDS_TOPIC,
 * USAGE_VARIANT, USAGE_ARCH, USAGE_FILTER, USAGE_TECH_PREVIEW or USAGE_IGNORED_BY_ALL on the
 * first problem.
 */
export function resolveTopics(file: FileSettings, cli: CliSettings, env: Env): TopicRequest[] {
  const fromCli = cliTopic(cli);
  const merged = mergeTopics([file.topics ?? [], fromCli === undefined ? [] : [fromCli]]);
  if (merged.length === 0) {
    throw new UsageError(
      "You need to specify at least one topic: TOPIC or a settings file with topics.",
      { code: "USAGE_NO_TOPIC", hint: "For example: dci-mirror RHEL-9.4 /var/www/html" },
    );
  }
  refuseIgnoredByAll(cli, merged);
  return merged.map((topic) => topicRequest(topic, file, cli, env));
}
