/** What the command line said, before any default or other source is applied. Types only. */

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
  /** `--ca-file FILE`. */
  readonly caFile?: string;
  readonly dciRepoUrl?: string;
  readonly registry?: string;
  readonly sandbox?: boolean;
  readonly explain?: string;
  readonly jobs?: number;
  /** `--api-jobs N`: API requests in flight at once. */
  readonly apiJobs?: number;
  /** `--no-prefetch` gives false. */
  readonly prefetch?: boolean;
  readonly verify?: boolean;
  readonly dryRun?: boolean;
  readonly lockTimeoutSeconds?: number;
  readonly stallTimeoutSeconds?: number;
  /** `--no-prune` gives false. */
  readonly prune?: boolean;
  /** `--max-delete` as typed: `500` or `10%`. */
  readonly maxDelete?: string;
  /** `--snapshots N`: 0 is the plain mode. */
  readonly snapshots?: number;
  /** `--metrics-file PATH`: the last run's metrics for node_exporter. */
  readonly metricsFile?: string;
  /** `--bwlimit RATE` as typed: `50M`, `500k`, `0`. */
  readonly bwlimit?: string;
}
