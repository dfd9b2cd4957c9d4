/**
 * `mirror()`: runs the stages in order for each topic and makes no decisions of its
 * own: resolve the topic, take its lock, pick the components, mirror each, release the lock.
 */
import { join } from "node:path";
import type { ComponentFilter, DciClient } from "./api/client.js";
import { EXIT_CODES, isMirrorError, UsageError } from "./errors.js";
import type { MirrorEventListener } from "./events.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./http/backoff.js";
import {
  type ComponentSummary,
  type ListedFiles,
  listComponentFiles,
  mirrorComponent,
} from "./mirror-component.js";
import type { Component, FilterSpec, Topic } from "./model.js";
import { componentFolderName, topicFolderName } from "./planning/folders.js";
import { acquireTopicLock, LOCK_FILE_NAME } from "./tree/lock.js";
import { refusePseudoFileSystem } from "./tree/pseudo-fs.js";
import { USER_AGENT } from "./version.js";

export interface MirrorTopicRequest {
  /** Topic name as DCI knows it (a trailing `*` means "contains"). */
  readonly name: string;
  /** Destination root of this topic; `MirrorOptions.dest` when absent. */
  readonly dest?: string;
  /** `--filter TYPE[:TAG]`; default: the latest component of each of the topic's types. */
  readonly filters?: readonly ComponentFilter[];
  /** Mirror this component instead of the latest ones. */
  readonly componentId?: string;
  readonly filter: FilterSpec;
  /** Files through the RHDL (v2) gateway. */
  readonly rhdl?: boolean;
}

export interface MirrorOptions {
  readonly client: DciClient;
  /** The destination root (unless a topic has its own): components land in `DEST/<topic>/<type>/`. */
  readonly dest?: string;
  readonly topics: readonly MirrorTopicRequest[];
  /** Concurrent file transfers; default 16 (measured flat from 4 to 32 on loopback; more hides WAN latency). */
  readonly jobs?: number;
  /** Re-hash every present file instead of trusting the verified-files record. */
  readonly verify?: boolean;
  /** Wait at most this long for another run's lock; undefined waits for ever, 0 fails at once. */
  readonly lockTimeoutMs?: number;
  /** A transfer with no byte for this long is retried; default 60 s. */
  readonly stallTimeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Plan only: nothing is downloaded, written or removed. */
  readonly dryRun?: boolean;
  /** Copy components' container images into this registry (`HOST[:PORT]`, needs skopeo). */
  readonly registry?: string;
  readonly onEvent?: MirrorEventListener;
  readonly signal?: AbortSignal;
}

export interface TopicFailure {
  readonly code: string;
  readonly message: string;
  readonly hint: string;
  readonly exitCode: number;
}

export interface TopicSummary {
  readonly name: string;
  readonly folder: string;
  readonly components: readonly ComponentSummary[];
  readonly error?: TopicFailure;
}

export interface MirrorSummary {
  readonly topics: readonly TopicSummary[];
  readonly durationMs: number;
  /** 0 when everything was mirrored; else the code of the most severe failure (README, exit codes). */
  readonly exitCode: number;
}

/** Failure classes of files, most severe first: integrity, local I/O, network. */
const FILE_SEVERITY = [
  EXIT_CODES.integrity,
  EXIT_CODES.localIo,
  EXIT_CODES.network,
  EXIT_CODES.notFound,
];

function exitCodeOf(topics: readonly TopicSummary[]): number {
  const topicError = topics.find((topic) => topic.error !== undefined)?.error;
  if (topicError !== undefined) return topicError.exitCode;
  const codes = topics.flatMap((topic) =>
    topic.components.flatMap((component) =>
      component.outcomes.flatMap((outcome) =>
        outcome.kind === "failed" ? [outcome.exitCode] : [],
      ),
    ),
  );
  if (codes.length === 0) return EXIT_CODES.ok;
  return FILE_SEVERITY.find((code) => codes.includes(code)) ?? codes[0] ?? EXIT_CODES.unexpected;
}

/** The components a topic request names: the one of `componentId`, or the latest per filter. */
export async function pickComponents(
  client: DciClient,
  topic: Topic,
  request: Pick<MirrorTopicRequest, "componentId" | "filters">,
  signal: AbortSignal,
): Promise<Component[]> {
  if (request.componentId !== undefined)
    return [await client.component(request.componentId, signal)];
  return client.latestComponents(topic, request.filters, signal);
}

/** Two components of one type would share (and fight over) one folder, as in dci-downloader. */
function refuseFolderClash(topic: Topic, components: readonly Component[]): void {
  const seen = new Map<string, Component>();
  for (const component of components) {
    const folder = componentFolderName(component.type);
    const other = seen.get(folder);
    if (other !== undefined) {
      throw new UsageError(
        `${other.name} and ${component.name} would both land in ${topic.name}/${folder}.`,
        {
          code: "USAGE_FOLDER_CLASH",
          hint: "Give one --filter per component type, or mirror the other one into another DEST.",
        },
      );
    }
    seen.set(folder, component);
  }
}

async function mirrorTopic(
  request: MirrorTopicRequest,
  options: MirrorOptions,
  signal: AbortSignal,
): Promise<TopicSummary> {
  const emit = options.onEvent ?? (() => undefined);
  const dest = request.dest ?? options.dest;
  if (dest === undefined) {
    throw new UsageError(`No destination for topic ${request.name}.`, {
      code: "USAGE_NO_DEST",
      hint: "Give MirrorOptions.dest, or a dest per topic.",
    });
  }
  // Before anything is created, or even asked: /proc as DEST would make mkdir loop for ever.
  await refusePseudoFileSystem(dest);
  const topic = await options.client.topicByName(request.name, signal);
  const folder = join(dest, topicFolderName(topic.name));
  emit({ type: "topic", topic: topic.name, folder });
  const components = await pickComponents(options.client, topic, request, signal);
  refuseFolderClash(topic, components);
  if (components.length === 0) {
    emit({
      type: "warning",
      code: "NOTHING_TO_MIRROR",
      message: `Topic ${topic.name} has no active component to mirror.`,
    });
  }
  // A plan reads and changes nothing, so it takes no lock.
  const lock =
    options.dryRun === true
      ? undefined
      : await acquireTopicLock(folder, {
          ...(options.lockTimeoutMs === undefined ? {} : { timeoutMs: options.lockTimeoutMs }),
          signal,
          onWait: (owner) =>
            emit({ type: "lock-wait", lockPath: join(folder, LOCK_FILE_NAME), owner }),
        });
  try {
    return {
      name: topic.name,
      folder,
      components: await mirrorAll(components, topic, folder, request, options, signal),
    };
  } finally {
    await lock?.release();
  }
}

async function mirrorAll(
  components: readonly Component[],
  topic: Topic,
  topicFolder: string,
  request: MirrorTopicRequest,
  options: MirrorOptions,
  signal: AbortSignal,
): Promise<ComponentSummary[]> {
  const shared = {
    client: options.client,
    registry: options.registry,
    topicData: topic.data,
    topicFolder,
    filter: request.filter,
    rhdl: request.rhdl === true,
    jobs: options.jobs ?? 16,
    verifyAll: options.verify === true,
    dryRun: options.dryRun === true,
    stallTimeoutMs: options.stallTimeoutMs ?? 60_000,
    retryPolicy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    userAgent: USER_AGENT,
    emit: options.onEvent ?? (() => undefined),
    signal,
  };
  // Every list is fetched and checked first: an unsafe entry in any of them stops the topic
  // before its first transfer, not after the components listed before it were downloaded.
  const lists: ListedFiles[] = [];
  for (const component of components) lists.push(await listComponentFiles(component, shared));
  const summaries: ComponentSummary[] = [];
  for (const [index, component] of components.entries())
    summaries.push(await mirrorComponent(component, shared, lists[index]));
  return summaries;
}

/**
 * Mirrors every requested topic in name order. A topic that fails (not found, locked, a disk error)
 * is reported in its summary and the others still run; credentials errors and interruptions stop
 * everything and are thrown.
 */
export async function mirror(options: MirrorOptions): Promise<MirrorSummary> {
  const started = performance.now();
  const signal = options.signal ?? new AbortController().signal;
  const topics: TopicSummary[] = [];
  const requests = [...options.topics].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const request of requests) {
    try {
      topics.push(await mirrorTopic(request, options, signal));
    } catch (error) {
      const isStop =
        signal.aborted ||
        !isMirrorError(error) ||
        error.exitCode === EXIT_CODES.auth ||
        error.exitCode === EXIT_CODES.usage;
      if (isStop) throw signal.aborted ? signal.reason : error;
      const failure = {
        code: error.code,
        message: error.message,
        hint: error.hint,
        exitCode: error.exitCode,
      };
      topics.push({ name: request.name, folder: "", components: [], error: failure });
    }
  }
  return { topics, durationMs: performance.now() - started, exitCode: exitCodeOf(topics) };
}
