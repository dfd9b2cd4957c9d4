/**
 * What the run's steps hand each other and what a run returns: the context every step reads (the
 * client, the frozen RunSettings, the event listener, the stop signal) and the summaries. Types
 * only.
 */
import type { DciClient } from "../api/client.js";
import type { RunSettings, TopicRequest } from "../config/run-settings.js";
import type { MirrorEventListener, PlanCounts } from "../events.js";
import type { Component, Outcome, RemoteFile, RemoteSymlink, Topic } from "../model.js";
import type { BandwidthLimit } from "../transfer/bandwidth.js";

/** What every step of a run reads; built once per run. */
export interface RunContext {
  readonly client: DciClient;
  readonly settings: RunSettings;
  readonly emit: MirrorEventListener;
  readonly signal: AbortSignal;
  /** `--bwlimit`: one budget for every transfer of the run; absent: no limit. */
  readonly bandwidth?: BandwidthLimit | undefined;
}

/** A topic once resolved: the request, the topic as DCI has it, and its local folder. */
export interface TopicTarget {
  readonly request: TopicRequest;
  readonly topic: Topic;
  /** `dest/<topic folder>`. */
  readonly folder: string;
}

/** A component and the folder it lands in (`<topic folder>/<type folder>`). */
export interface ComponentTarget {
  readonly component: Component;
  /** Where its files are placed: the type folder, or in snapshot mode the snapshot's folder. */
  readonly folder: string;
  /** Snapshot mode: the snapshot assembled in `folder`, published at `<topicFolder>/<typeFolder>`. */
  readonly snapshot?: SnapshotTarget;
}

export interface SnapshotTarget {
  readonly topicFolder: string;
  readonly typeFolder: string;
  /** The snapshot's name: the component's id. */
  readonly name: string;
}

/** A component's files list, fetched and checked (no unsafe path, name or link). */
export interface ListedFiles {
  readonly files: readonly RemoteFile[];
  readonly symlinks: readonly RemoteSymlink[];
}

/** A failure that ended a topic or a component: what the user reads, and its exit code. */
export interface StepFailure {
  readonly code: string;
  readonly message: string;
  readonly hint: string;
  readonly exitCode: number;
}

/** The name library users know StepFailure by. */
export type TopicFailure = StepFailure;

/** Which component a folder holds: enough to say "compose changed from X to Y". */
export interface ComponentIdentity {
  readonly id: string;
  readonly name: string;
  readonly version: string | null;
}

export interface ComponentSummary {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly version: string | null;
  /**
   * The component DEST/<topic>/<type> held before this run, as its record says; absent when it
   * held none (a new folder) or the component stopped before its plan.
   */
  readonly previous?: ComponentIdentity;
  readonly folder: string;
  readonly plan: PlanCounts;
  readonly outcomes: readonly Outcome[];
  readonly removed: readonly string[];
  /** Entries the files list no longer has that stay: --no-prune, --max-delete, or failures. */
  readonly notRemoved: number;
  /** Snapshot mode: files linked (or copied) from a kept snapshot instead of downloaded. */
  readonly reused: number;
  /** Snapshot mode: the snapshot now published at the type path (absent: not published). */
  readonly snapshot?: string;
  readonly links: number;
  readonly durationMs: number;
  /** Free space where the component lands, measured for plans (`--dry-run`, `plan`). */
  readonly freeBytes?: number;
  /** Set when a failure stopped this component (its topic went on with the next one). */
  readonly error?: StepFailure;
}

export interface TopicSummary {
  readonly name: string;
  readonly folder: string;
  readonly components: readonly ComponentSummary[];
  readonly error?: StepFailure;
}

export interface MirrorSummary {
  readonly topics: readonly TopicSummary[];
  readonly durationMs: number;
  /** 0 when everything was mirrored; else the code of the most severe failure (README, exit codes). */
  readonly exitCode: number;
}
