/**
 * The run: every topic of the RunSettings in name order, each step by step (mirror-topic.ts). A
 * topic that fails (not found, locked, a disk error) is reported in its summary and the others
 * still run; a failure that reaches the whole run (credentials, usage, interruption) is thrown.
 * `mirror()` is the library's entry: its options become RunSettings first (config/).
 */
import type { DciClient } from "../api/client.js";
import { type LibraryRunOptions, settingsFromLibrary } from "../config/library-settings.js";
import type { RunSettings } from "../config/run-settings.js";
import type { MirrorEventListener } from "../events.js";
import { classify } from "../failures.js";
import { BandwidthLimit } from "../transfer/bandwidth.js";
import { mirrorTopic } from "./mirror-topic.js";
import { exitCodeOf, failureOf } from "./summarize.js";
import type { MirrorSummary, RunContext, TopicSummary } from "./types.js";

export interface RunHooks {
  readonly onEvent?: MirrorEventListener | undefined;
  readonly signal?: AbortSignal | undefined;
}

export async function runMirror(
  client: DciClient,
  settings: RunSettings,
  hooks: RunHooks = {},
): Promise<MirrorSummary> {
  const started = performance.now();
  const signal = hooks.signal ?? new AbortController().signal;
  const context: RunContext = {
    client,
    settings,
    emit: hooks.onEvent ?? (() => undefined),
    signal,
    // One budget for the whole run: every topic's transfers share it.
    bandwidth:
      settings.bwlimitBytesPerSecond > 0
        ? new BandwidthLimit(settings.bwlimitBytesPerSecond)
        : undefined,
  };
  const topics: TopicSummary[] = [];
  for (const request of settings.topics) {
    try {
      topics.push(await mirrorTopic(request, context));
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (classify(error).scope === "run") throw error;
      topics.push({ name: request.name, folder: "", components: [], error: failureOf(error) });
    }
  }
  return { topics, durationMs: performance.now() - started, exitCode: exitCodeOf(topics) };
}

export interface MirrorOptions extends LibraryRunOptions, RunHooks {
  readonly client: DciClient;
}

/** The library's entry: mirrors `options.topics` with `options.client`; see the README's "Library". */
export async function mirror(options: MirrorOptions): Promise<MirrorSummary> {
  return runMirror(options.client, settingsFromLibrary(options), options);
}
