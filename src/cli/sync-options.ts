/**
 * The flags of `sync` and `plan`: every dci-downloader flag with its meaning,
 * plus ours. Filter flags have no yargs default: "not given" must stay distinguishable from the
 * default so a settings file's topic keeps its own values (config/resolve applies the defaults).
 */
import type { Argv } from "yargs";
import type { CliSettings } from "../config/resolve.js";
import { UsageError } from "../errors.js";
import type { MirrorFlags } from "./commands/mirror.js";

function positiveInteger(name: string): (value: number) => number {
  return (value) => {
    if (!Number.isInteger(value) || value < 1) {
      throw new UsageError(`--${name} must be a whole number of at least 1, not ${value}.`, {
        code: "USAGE",
        hint: `For example --${name} 16.`,
      });
    }
    return value;
  };
}

function nonNegative(name: string): (value: number | undefined) => number | undefined {
  return (value) => {
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) {
      throw new UsageError(`--${name} must be a number of seconds, 0 or more, not ${value}.`, {
        code: "USAGE",
        hint: `For example --${name} 600.`,
      });
    }
    return value;
  };
}

const list = (describe: string) => ({ type: "string" as const, array: true as const, describe });

const SYNC_EXAMPLES: ReadonlyArray<readonly [string, string]> = [
  ["$0 RHEL-9.4 /var/www/html", "latest compose(s) of RHEL-9.4: x86_64, every variant, os/ trees"],
  [
    "$0 RHEL-9.4 /srv/dci --filter compose:milestone --variant BaseOS --iso",
    "latest milestone compose, BaseOS with ISOs",
  ],
  [
    "$0 RHEL-9.4 /srv/dci --arch x86_64 --arch aarch64 --debug --include 'BaseOS/**'",
    "two arches, debug trees, BaseOS only",
  ],
  [
    "$0 --settings /etc/dci-mirror/settings.yml --lock-timeout 3600 --json >> /var/log/dci-mirror.json",
    "cron: the topics of a settings file",
  ],
  ["$0 RHEL-9.4 ./mirror --sandbox", "try it on the built-in sandbox, no credentials needed"],
];

/** Declares the sync/plan options on a command builder. */
export function syncOptions<T>(command: Argv<T>) {
  let built = command
    .positional("topic", {
      type: "string",
      describe: "topic name, e.g. RHEL-9.4 (or topics from --settings)",
    })
    .positional("dest", {
      type: "string",
      describe: "destination root (or --local-repo, $DCI_LOCAL_REPO)",
    })
    .option("settings", list("YAML settings file (repeatable; later files win)"))
    .option("filter", list("TYPE[:TAG]: the latest component of that type (and tag); repeatable"))
    .option("component-id", {
      type: "string",
      describe: "mirror this component instead of the latest ones",
    })
    .option("arch", list("arch to keep (repeatable); default x86_64"))
    .option("variant", list("variant to keep (repeatable); default every variant"))
    .option("debug", { type: "boolean", describe: "keep debug/ trees" })
    .option("src", { type: "boolean", describe: "keep source/tree" })
    .option("iso", { type: "boolean", describe: "keep iso/ images (with or without --variant)" })
    .option("all", { type: "boolean", describe: "no compose filtering at all" })
    .option("package-filter", list("keep only packages whose path contains this (repeatable)"))
    .option("include", list("keep only paths matching this glob (repeatable)"))
    .option("exclude", list("drop paths matching this glob (repeatable)"))
    .option("local-repo", { type: "string", describe: "destination root when DEST is not given" })
    .option("dci-repo-url", {
      type: "string",
      describe: "legacy repo URL (accepted for compatibility; unused)",
    })
    .option("registry", {
      type: "string",
      describe: "container registry HOST[:PORT] for images_list.yaml (needs skopeo)",
    })
    .option("tech-preview", list("rhdl: fetch files through the RHDL (v2) gateway"))
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
      describe: "wait at most SECONDS for another run of the topic (0: fail at once)",
      coerce: nonNegative("lock-timeout"),
    })
    .option("stall-timeout", {
      type: "number",
      default: 60,
      describe: "retry a transfer silent for SECONDS; API answers wait min(SECONDS, 30)",
      coerce: positiveInteger("stall-timeout"),
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
    });
  for (const [example, description] of SYNC_EXAMPLES) built = built.example(example, description);
  return built;
}

type SyncArgs = ReturnType<typeof syncOptions>;
type ParsedSync = Awaited<SyncArgs["argv"]>;

/** What the command line said about the mirror's selection; undefined when a flag was not given. */
function cliSettingsOf(flags: ParsedSync): CliSettings {
  const given = <K extends keyof CliSettings>(key: K, value: CliSettings[K] | undefined) =>
    value === undefined ? {} : { [key]: value };
  return {
    ...given("topic", flags.topic),
    ...given("dest", flags.dest),
    ...given("localRepo", flags["local-repo"]),
    ...given("arch", flags.arch),
    ...given("variant", flags.variant),
    ...given("filter", flags.filter),
    ...given("debug", flags.debug),
    ...given("src", flags.src),
    ...given("iso", flags.iso),
    ...given("all", flags.all),
    ...given("packageFilter", flags["package-filter"]),
    ...given("componentId", flags["component-id"]),
    ...given("techPreview", flags["tech-preview"]),
    ...given("include", flags.include),
    ...given("exclude", flags.exclude),
    ...given("dciRepoUrl", flags["dci-repo-url"]),
    ...given("registry", flags.registry),
  };
}

/** The run flags (how to mirror, not what). */
export function mirrorFlagsOf(flags: ParsedSync, options: { dryRun: boolean }): MirrorFlags {
  return {
    cli: cliSettingsOf(flags),
    settings: flags.settings ?? [],
    explain: flags.explain,
    jobs: flags.jobs,
    verify: flags.verify,
    lockTimeoutSeconds: flags["lock-timeout"],
    stallTimeoutSeconds: flags["stall-timeout"],
    dryRun: options.dryRun || flags["dry-run"],
    progress: flags.progress,
  };
}
