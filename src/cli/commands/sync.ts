/**
 * `dci-mirror [sync] TOPIC DEST` and `dci-mirror plan`: the same flags, the same command; a plan
 * is a dry run. The run itself is commands/mirror.ts, loaded when the command runs.
 */
import type { ArgumentsCamelCase, Argv } from "yargs";
import type { CliSettings } from "../../config/cli-settings.js";
import type { GlobalFlags } from "../options/global.js";
import { metricsOptions } from "../options/metrics.js";
import { selectionOptions } from "../options/selection.js";
import { transferOptions } from "../options/transfer.js";
import { type CliEnvironment, commandContext, defineCommand } from "./context.js";

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
    "$0 --settings /etc/dci-mirror/settings.yml --lock-timeout 3600 --quiet --json >> /var/log/dci-mirror.jsonl",
    "cron: the topics of a settings file, one JSON line per run, silent on success",
  ],
  [
    "$0 --settings /etc/dci-mirror/settings.yml --quiet --metrics-file /var/lib/node_exporter/textfile/dci_mirror.prom",
    "cron: metrics of each run for node_exporter",
  ],
  ["$0 RHEL-9.4 ./mirror --sandbox", "try it on the built-in sandbox, no credentials needed"],
];

function syncOptions(command: Argv<GlobalFlags>) {
  let built = metricsOptions(transferOptions(selectionOptions(command)));
  for (const [example, description] of SYNC_EXAMPLES) built = built.example(example, description);
  return built;
}

type SyncFlags = ArgumentsCamelCase<Awaited<ReturnType<typeof syncOptions>["argv"]>>;

/** What the command line said; undefined when a flag was not given. */
function cliSettingsOf(flags: SyncFlags, options: { plan: boolean }): CliSettings {
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
    ...given("dciCsUrl", flags["dci-cs-url"]),
    ...given("caFile", flags["ca-file"]),
    ...given("dciRepoUrl", flags["dci-repo-url"]),
    ...given("registry", flags.registry),
    ...given("explain", flags.explain),
    ...given("lockTimeoutSeconds", flags["lock-timeout"]),
    ...given("maxDelete", flags["max-delete"]),
    ...given("snapshots", flags.snapshots),
    ...given("metricsFile", flags["metrics-file"]),
    ...given("bwlimit", flags.bwlimit),
    sandbox: flags.sandbox,
    jobs: flags.jobs,
    apiJobs: flags["api-jobs"],
    prefetch: flags.prefetch,
    verify: flags.verify,
    dryRun: options.plan || flags["dry-run"],
    stallTimeoutSeconds: flags["stall-timeout"],
    prune: flags.prune,
  };
}

const mirrorHandler =
  (environment: CliEnvironment, options: { plan: boolean }) =>
  async (flags: SyncFlags): Promise<void> => {
    // Loaded when the command runs: the mirror pulls in undici and every stage of a run, which
    // `--version`, `--help` and usage errors should not pay for.
    const { mirrorCommand } = await import("./mirror.js");
    await mirrorCommand(commandContext(environment, flags), {
      cli: cliSettingsOf(flags, options),
      settingsFiles: flags.settings ?? [],
      progress: flags.progress,
    });
  };

export const syncCommand = (environment: CliEnvironment) =>
  defineCommand({
    command: ["sync [topic] [dest]", "$0 [topic] [dest]"],
    describe: "mirror the topic's latest components into DEST/<topic>/<component type>/",
    builder: syncOptions,
    handler: mirrorHandler(environment, { plan: false }),
  });

export const planCommand = (environment: CliEnvironment) =>
  defineCommand({
    command: "plan [topic] [dest]",
    describe:
      "show what a sync would fetch, resume, check and remove, with sizes and free space (changes nothing)",
    builder: syncOptions,
    handler: mirrorHandler(environment, { plan: true }),
  });
