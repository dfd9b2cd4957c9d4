/**
 * RunSettings: everything a run needs to know, resolved once (command line, settings files, dcirc,
 * environment, or a library caller's options), checked and frozen. Every later stage reads it;
 * nothing downstream applies a default or a precedence rule of its own. Types and defaults only.
 */
import type { RetryPolicy } from "../http/backoff.js";
import { API_TIMEOUT_MS } from "../http/timeouts.js";
import type { ComponentFilter, FilterSpec } from "../model.js";

/** The defaults, declared once: the CLI's option groups, the library and the README show these. */
export const DEFAULTS = Object.freeze({
  /** Concurrent file transfers (measured flat from 4 to 32 on loopback; more hides WAN latency). */
  jobs: 16,
  /** Files hashed at once by `verify`. */
  verifyJobs: 4,
  /** A transfer with no byte for this long is retried. */
  stallTimeoutMs: 60_000,
  /** An API answer waits at most min(stall timeout, this): a control server that takes longer is stuck. */
  apiTimeoutCapMs: API_TIMEOUT_MS,
});

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

/** How a run mirrors (the same for every topic). */
export interface RunSettings {
  /** Sorted by name. */
  readonly topics: readonly TopicRequest[];
  /** Concurrent file transfers. */
  readonly jobs: number;
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
}
