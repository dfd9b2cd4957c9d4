/**
 * RunSettings: everything a run needs to know, resolved once (command line, settings files, dcirc,
 * environment, or a library caller's options), checked and frozen. Every later stage reads it;
 * nothing downstream applies a default or a precedence rule of its own. Types and defaults only.
 */
import { API_JOBS } from "../http/api-limits.js";
import type { RetryPolicy } from "../http/backoff.js";
import { API_TIMEOUT_MS } from "../http/timeouts.js";
import type { CaFileSource } from "../http/trust.js";
import type { ComponentFilter, FilterSpec, ProxySettings } from "../model.js";

/** The defaults, declared once: the CLI's option groups, the library and the README show these. */
export const DEFAULTS = Object.freeze({
  /**
   * Concurrent file transfers: flat from 4 to 32 on loopback; on the WAN bench (a 50 ms store) 32
   * moved 19% more files per second than 16 (BENCHMARKS.md).
   */
  jobs: 32,
  /** API requests in flight at once (the URL look-ahead's among them). */
  apiJobs: API_JOBS,
  /** Files hashed at once by `verify`. */
  verifyJobs: 4,
  /** A transfer with no byte for this long is retried. */
  stallTimeoutMs: 60_000,
  /** An API answer waits at most min(stall timeout, this): a control server that takes longer is stuck. */
  apiTimeoutCapMs: API_TIMEOUT_MS,
  /** dci-downloader's repo URL (`--dci-repo-url`, `DCI_REPO_URL`, `repo_url`). */
  repoUrl: "https://repo.distributed-ci.io",
});

/** `--max-delete`: at most this many entries, or this percentage of a component's entries. */
export type DeleteLimit =
  | { readonly kind: "count"; readonly max: number }
  | { readonly kind: "percent"; readonly max: number };

/** One topic to mirror, as resolved from every source. */
export interface TopicRequest {
  /** Topic name as DCI knows it (a trailing `*` means "contains"). */
  readonly name: string;
  /** The destination root: components land in `dest/<topic>/<type>/`. */
  readonly dest: string;
  /** `--filter TYPE[:TAG]`; absent: the latest component of each of the topic's types. */
  readonly filters?: readonly ComponentFilter[];
  /** Mirror this component instead of the latest ones. */
  readonly componentId?: string;
  readonly filter: FilterSpec;
  /** Files through the RHDL (v2) gateway (`--tech-preview rhdl`). */
  readonly rhdl: boolean;
}

/** The built-in sandbox, started in this process (`--sandbox`): it brings its own credentials. */
export interface SandboxConnection {
  readonly sandbox: true;
  /** Where the credentials come from, for messages. */
  readonly source: "--sandbox";
  /** An API answer waits at most this long. */
  readonly apiTimeoutMs: number;
  /** API requests in flight at once. */
  readonly apiJobs: number;
}

/** A DCI control server, with checked credentials (settings files < environment < --rc < --dci-cs-url). */
export interface DciConnection {
  readonly sandbox: false;
  /** Without trailing `/`. */
  readonly csUrl: string;
  /** `remoteci/<uuid>` or `feeder/<uuid>`. */
  readonly clientId: string;
  readonly apiSecret: string;
  /** Where `clientId` came from, for messages: `DCI_CLIENT_ID (environment)`, `client_id in FILE`. */
  readonly clientIdSource: string;
  /** Where the credentials come from, for messages: `environment` or `--rc FILE`. */
  readonly source: string;
  readonly proxy: ProxySettings;
  /** CA files trusted besides Node's built-in list (--ca-file, ca_file, NODE_EXTRA_CA_CERTS, …). */
  readonly caFiles: readonly CaFileSource[];
  /** An API answer waits at most this long. */
  readonly apiTimeoutMs: number;
  /** API requests in flight at once. */
  readonly apiJobs: number;
}

/** Which DCI server a command talks to, and how. */
export type ConnectionSettings = SandboxConnection | DciConnection;

/** How a run mirrors (the same for every topic). */
export interface RunSettings {
  /** Sorted by name. */
  readonly topics: readonly TopicRequest[];
  /** Concurrent file transfers. */
  readonly jobs: number;
  /**
   * Ask the files gateway for presigned URLs ahead of the transfers (`--no-prefetch`: each file
   * asks when its transfer starts).
   */
  readonly prefetch: boolean;
  /** Re-hash every present file instead of trusting the verified-files record. */
  readonly verify: boolean;
  /** Plan only: nothing is downloaded, written or removed (and no lock is taken). */
  readonly dryRun: boolean;
  /** Wait at most this long for another run's lock; undefined waits for ever, 0 fails at once. */
  readonly lockTimeoutMs: number | undefined;
  /** A transfer with no byte for this long is retried. */
  readonly stallTimeoutMs: number;
  readonly retry: RetryPolicy;
  /** Copy components' container images into this registry (`HOST[:PORT]`, needs skopeo). */
  readonly registry: string | undefined;
  /** Remove what a component's files list no longer has (`--no-prune`: keep it). */
  readonly prune: boolean;
  /**
   * `--max-delete`: a component that would lose more entries than this removes none of them and
   * fails with PRUNE_LIMIT (exit 9); undefined: no limit.
   */
  readonly maxDelete: DeleteLimit | undefined;
  /**
   * Snapshot mode when above 0: each component is assembled beside the published tree and
   * published by one atomic symlink switch; this many published snapshots per type are kept.
   */
  readonly snapshots: number;
  /**
   * `--bwlimit`: bytes per second all transfers of the run share (API calls are not counted);
   * 0: no limit.
   */
  readonly bwlimitBytesPerSecond: number;
  /** `--explain PATH`: say which rule keeps or drops PATH in each topic's components, and stop. */
  readonly explain: string | undefined;
  /** dci-downloader's repo URL, without trailing `/`: accepted for compatibility, unused. */
  readonly repoUrl: string;
  /** Which server and credentials; undefined when a library caller brought its own DciClient. */
  readonly connection: ConnectionSettings | undefined;
}

/** RunSettings resolved from the command line and its sources: the connection is always known. */
export interface CommandRunSettings extends RunSettings {
  readonly connection: ConnectionSettings;
  /** `--metrics-file` (or `metrics_file`): where the CLI writes the last run's metrics. */
  readonly metricsFile: string | undefined;
}
