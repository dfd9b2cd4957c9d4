/**
 * How a run transfers files: --jobs (shared with `verify`, which hashes rather than downloads),
 * --stall-timeout and the other run flags of sync and plan. Defaults come from DEFAULTS
 * (config/run-settings.ts); the checks from config/checks.ts, applied as the command line parses.
 */
import type { Argv } from "yargs";
import {
  bandwidthLimit,
  deleteLimit,
  nonNegativeInteger,
  nonNegativeSeconds,
  positiveInteger,
} from "../../config/checks.js";
import { DEFAULTS } from "../../config/run-settings.js";

/** --jobs / -j: a whole number of at least 1 (`-j 0` is a usage error). */
export function jobsOption(defaultJobs: number, describe: string) {
  return {
    alias: "j",
    type: "number",
    default: defaultJobs,
    describe,
    coerce: (value: number) => positiveInteger("jobs", value),
  } as const;
}

/** Declares the run flags of sync and plan (how to mirror, not what) on a command builder. */
export function transferOptions<T>(command: Argv<T>) {
  return command
    .option("jobs", jobsOption(DEFAULTS.jobs, "concurrent transfers"))
    .option("api-jobs", {
      type: "number",
      default: DEFAULTS.apiJobs,
      describe: "API requests in flight at once (a 429 or 503 pauses them all)",
      coerce: (value: number) => positiveInteger("api-jobs", value),
    })
    .option("prefetch", {
      type: "boolean",
      default: true,
      describe: "ask for download URLs ahead of the transfers (--no-prefetch: one at a time)",
    })
    .option("verify", { type: "boolean", default: false, describe: "re-hash every present file" })
    .option("lock-timeout", {
      type: "number",
      describe: "wait at most SECONDS for another run of the topic (0: fail at once)",
      coerce: (value: number | undefined) => nonNegativeSeconds("lock-timeout", value),
    })
    .option("bwlimit", {
      type: "string",
      describe:
        "share at most RATE bytes/s among all transfers; k/M/G are SI (50M = 50,000,000), Ki/Mi/Gi binary (default: no limit)",
      // Checked now (a usage error before anything runs), kept as typed for the resolver.
      coerce: (value: string | undefined) => {
        bandwidthLimit("--bwlimit", value);
        return value;
      },
    })
    .option("stall-timeout", {
      type: "number",
      default: DEFAULTS.stallTimeoutMs / 1000,
      describe: `retry a transfer silent for SECONDS; API answers wait min(SECONDS, ${DEFAULTS.apiTimeoutCapMs / 1000})`,
      coerce: (value: number) => positiveInteger("stall-timeout", value),
    })
    .option("prune", {
      type: "boolean",
      default: true,
      describe: "remove what the files list no longer has (--no-prune keeps it)",
    })
    .option("max-delete", {
      type: "string",
      describe: "a component that would lose more than N entries (or N%) loses none: exit 9",
      coerce: (value: string | undefined) => (deleteLimit(value) === undefined ? undefined : value),
    })
    .option("snapshots", {
      type: "number",
      describe:
        "assemble each component beside DEST/<topic>/<type> and switch it in atomically; keep N",
      coerce: (value: number | undefined) =>
        value === undefined ? undefined : nonNegativeInteger("snapshots", value),
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
}
