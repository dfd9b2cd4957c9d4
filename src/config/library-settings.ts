/**
 * RunSettings from a library caller's options (`mirror({...})`): the same defaults and checks as
 * the command line, applied here once. Pure.
 */
import { UsageError } from "../errors.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "../http/backoff.js";
import type { ComponentFilter, FilterSpec } from "../model.js";
import { bandwidthLimit, deleteLimit, nonNegativeInteger, positiveInteger } from "./checks.js";
import { DEFAULTS, type RunSettings, type TopicRequest } from "./run-settings.js";

export interface LibraryTopicRequest {
  /** Topic name as DCI knows it (a trailing `*` means "contains"). */
  readonly name: string;
  /** Destination root of this topic; `LibraryRunOptions.dest` when absent. */
  readonly dest?: string;
  /** `--filter TYPE[:TAG]`; default: the latest component of each of the topic's types. */
  readonly filters?: readonly ComponentFilter[];
  /** Mirror this component instead of the latest ones. */
  readonly componentId?: string;
  readonly filter: FilterSpec;
  /** Files through the RHDL (v2) gateway. */
  readonly rhdl?: boolean;
}

export interface LibraryRunOptions {
  /** The destination root (unless a topic has its own): components land in `DEST/<topic>/<type>/`. */
  readonly dest?: string;
  readonly topics: readonly LibraryTopicRequest[];
  /** Concurrent file transfers; DEFAULTS.jobs when absent. */
  readonly jobs?: number;
  /**
   * false: each file asks the files gateway for its URL when its transfer starts, instead of
   * ahead; default true. (The cap on API requests in flight is the client's: `apiJobs`.)
   */
  readonly prefetch?: boolean;
  /** Re-hash every present file instead of trusting the verified-files record. */
  readonly verify?: boolean;
  /** Wait at most this long for another run's lock; undefined waits for ever, 0 fails at once. */
  readonly lockTimeoutMs?: number;
  /** A transfer with no byte for this long is retried; DEFAULTS.stallTimeoutMs when absent. */
  readonly stallTimeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Plan only: nothing is downloaded, written or removed. */
  readonly dryRun?: boolean;
  /** Copy components' container images into this registry (`HOST[:PORT]`, needs skopeo). */
  readonly registry?: string;
  /** false keeps what a files list no longer has (`--no-prune`); default true. */
  readonly prune?: boolean;
  /** At most this many removals per component, or this percentage (`"10%"`); default no limit. */
  readonly maxDelete?: number | string;
  /** Snapshot mode, keeping this many published snapshots per type; default 0 (plain mode). */
  readonly snapshots?: number;
  /**
   * Bytes per second shared by every transfer of the run (`--bwlimit`): a number, or text such as
   * `"50M"` (SI; `"50Mi"` binary); default 0, no limit.
   */
  readonly bwlimit?: number | string;
}

function topicRequest(request: LibraryTopicRequest, dest: string | undefined): TopicRequest {
  const topicDest = request.dest ?? dest;
  if (topicDest === undefined) {
    throw new UsageError(`No destination for topic ${request.name}.`, {
      code: "USAGE_NO_DEST",
      hint: "Give MirrorOptions.dest, or a dest per topic.",
    });
  }
  return Object.freeze({
    name: request.name,
    dest: topicDest,
    ...(request.filters === undefined ? {} : { filters: request.filters }),
    ...(request.componentId === undefined ? {} : { componentId: request.componentId }),
    filter: request.filter,
    rhdl: request.rhdl === true,
  });
}

/** Throws UsageError (USAGE_NO_DEST, USAGE) on a topic without destination or a bad number. */
export function settingsFromLibrary(options: LibraryRunOptions): RunSettings {
  const topics = options.topics
    .map((request) => topicRequest(request, options.dest))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return Object.freeze({
    topics: Object.freeze(topics),
    jobs: positiveInteger("jobs", options.jobs ?? DEFAULTS.jobs),
    prefetch: options.prefetch !== false,
    verify: options.verify === true,
    dryRun: options.dryRun === true,
    lockTimeoutMs: options.lockTimeoutMs,
    // Milliseconds here: the check is the command line's, on its seconds.
    stallTimeoutMs: positiveInteger(
      "stall-timeout",
      options.stallTimeoutMs ?? DEFAULTS.stallTimeoutMs,
    ),
    retry: Object.freeze({ ...DEFAULT_RETRY_POLICY, ...options.retry }),
    registry: options.registry,
    prune: options.prune !== false,
    maxDelete: deleteLimit(options.maxDelete),
    snapshots: nonNegativeInteger("snapshots", options.snapshots ?? 0),
    bwlimitBytesPerSecond: bandwidthLimit("bwlimit", options.bwlimit),
    // Nothing to explain, nothing to connect: the caller's client is the connection.
    explain: undefined,
    repoUrl: DEFAULTS.repoUrl,
    connection: undefined,
  });
}
