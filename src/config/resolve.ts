/**
 * Settings files < environment < command line → one checked, frozen RunSettings: the one place
 * where defaults and precedence rules are applied; every later stage reads the result. Pure: the
 * settings files and the --rc file are read beforehand (config/read-settings.ts,
 * credentials/read-dcirc.ts).
 */

import { DEFAULT_RETRY_POLICY } from "../http/backoff.js";
import {
  bandwidthLimit,
  deleteLimit,
  nonNegativeInteger,
  nonNegativeSeconds,
  positiveInteger,
} from "./checks.js";
import type { CliSettings } from "./cli-settings.js";
import { type DcircFile, resolveConnection } from "./connection.js";
import { type CommandRunSettings, DEFAULTS } from "./run-settings.js";
import type { FileSettings, ParsedSettingsFile } from "./settings-types.js";
import { resolveTopics } from "./topics.js";
import { overlay, present } from "./values.js";

export interface ResolveInput {
  readonly cli: CliSettings;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The `--settings` files, parsed, in the order given. */
  readonly files: readonly ParsedSettingsFile[];
  /** The `--rc` file, when one was given (and not --sandbox). */
  readonly dcirc?: DcircFile | undefined;
}

/**
 * Shallow, later file winning per top-level key, as the reference merges: two `topics:`
 * lists do not combine. Files are normalised first, so a later `download_folder` beats an earlier
 * `local_repo` (the later file wins, whichever spelling it uses).
 */
function mergeFiles(files: readonly ParsedSettingsFile[]): FileSettings {
  return files.map((file) => file.settings).reduce<FileSettings>(overlay, {});
}

/** How to mirror: the run flags checked, their defaults applied, seconds turned into ms. */
function runFlags(cli: CliSettings, file: FileSettings) {
  const stallTimeoutSeconds = positiveInteger(
    "stall-timeout",
    cli.stallTimeoutSeconds ?? DEFAULTS.stallTimeoutMs / 1000,
  );
  const lockTimeoutSeconds = nonNegativeSeconds("lock-timeout", cli.lockTimeoutSeconds);
  return {
    jobs: positiveInteger("jobs", cli.jobs ?? DEFAULTS.jobs),
    prefetch: cli.prefetch ?? true,
    verify: cli.verify ?? false,
    dryRun: cli.dryRun ?? false,
    lockTimeoutMs: lockTimeoutSeconds === undefined ? undefined : lockTimeoutSeconds * 1000,
    stallTimeoutMs: stallTimeoutSeconds * 1000,
    retry: Object.freeze({ ...DEFAULT_RETRY_POLICY }),
    prune: cli.prune ?? true,
    // The command line wins over the settings files' `max_delete` and `snapshots`.
    maxDelete: deleteLimit(cli.maxDelete ?? file.maxDelete),
    snapshots: nonNegativeInteger("snapshots", cli.snapshots ?? file.snapshots ?? 0),
    bwlimitBytesPerSecond: bandwidthLimit(
      cli.bwlimit === undefined ? "bwlimit in the settings file" : "--bwlimit",
      cli.bwlimit ?? file.bwlimit,
    ),
    explain: cli.explain,
  };
}

/**
 * Merges settings files (in order, shallowly) < environment < --rc file < command line into one
 * frozen RunSettings and validates it before any network call; throws UsageError
 * (USAGE_NO_TOPIC, USAGE_NO_DEST, USAGE_NEEDS_TOPIC, USAGE_VARIANT, USAGE_ARCH, USAGE_FILTER,
 * USAGE for a run flag, CONFIG_* for credentials) on the first problem.
 */
export function resolveRunSettings(input: ResolveInput): CommandRunSettings {
  const { cli, env } = input;
  const file = mergeFiles(input.files);
  const flags = runFlags(cli, file);
  const topics = resolveTopics(file, cli, env);
  // The later file wins (mergeFiles), so the client id comes from the last file that sets it.
  const clientIdFile = input.files.filter((parsed) => parsed.settings.clientId !== undefined);
  const caFileFile = input.files.filter((parsed) => parsed.settings.caFile !== undefined).at(-1);
  const connection = resolveConnection({
    sandbox: cli.sandbox,
    dciCsUrl: cli.dciCsUrl,
    caFile: cli.caFile,
    env,
    dcirc: input.dcirc,
    files: {
      csUrl: file.csUrl,
      clientId: file.clientId,
      apiSecret: file.apiSecret,
      clientIdFile: clientIdFile.at(-1)?.path,
      caFile:
        file.caFile === undefined || caFileFile === undefined
          ? undefined
          : { caFile: file.caFile, file: caFileFile.path },
    },
    stallTimeoutMs: flags.stallTimeoutMs,
    apiJobs: positiveInteger("api-jobs", cli.apiJobs ?? DEFAULTS.apiJobs),
  });
  const repoUrl = present(cli.dciRepoUrl) ?? present(env["DCI_REPO_URL"]) ?? present(file.repoUrl);
  return Object.freeze({
    topics: Object.freeze(topics),
    ...flags,
    registry: present(cli.registry) ?? present(env["DCI_REGISTRY"]) ?? present(file.registry),
    repoUrl: (repoUrl ?? DEFAULTS.repoUrl).trim().replace(/\/+$/, ""),
    connection,
    // The command line wins over the settings files' `metrics_file`.
    metricsFile: present(cli.metricsFile) ?? present(file.metricsFile),
  });
}
