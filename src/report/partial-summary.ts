/**
 * The summary of a run that was stopped (Ctrl-C, SIGTERM): the run throws instead of returning
 * one, so it is rebuilt from the run's events, which say which topics and components began, what
 * each planned, and which files finished. Files planned but not finished are "not done".
 */
import type { MirrorEvent, PlanCounts } from "../events.js";
import type { Outcome } from "../model.js";
import { NO_PLAN } from "../run/summarize.js";
import type { MirrorSummary, TopicSummary } from "../run/types.js";
import { formatBytes, formatSeconds } from "../units.js";
import { filesNotDone, summaryLines } from "./summary.js";

interface ComponentSoFar {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly version: string | null;
  readonly folder: string;
  readonly startedMs: number;
  plan: PlanCounts;
  readonly outcomes: Outcome[];
  readonly removed: string[];
}

interface TopicSoFar {
  readonly name: string;
  readonly folder: string;
  readonly components: ComponentSoFar[];
}

/** Follows a run's events; `summary` gives what it did until now. */
export class RunTally {
  readonly #now: () => number;
  readonly #startedMs: number;
  readonly #topics: TopicSoFar[] = [];
  #bytesReceived = 0;

  constructor(now: () => number) {
    this.#now = now;
    this.#startedMs = now();
  }

  handle(event: MirrorEvent): void {
    const topic = this.#topics.at(-1);
    const component = topic?.components.at(-1);
    switch (event.type) {
      case "topic":
        this.#topics.push({ name: event.topic, folder: event.folder, components: [] });
        return;
      case "component":
        topic?.components.push({
          id: event.componentId,
          name: event.componentName,
          type: event.componentType,
          version: event.componentVersion,
          folder: event.folder,
          startedMs: this.#now(),
          plan: NO_PLAN,
          outcomes: [],
          removed: [],
        });
        return;
      case "plan":
        if (component !== undefined) component.plan = event.counts;
        return;
      case "file-progress":
        this.#bytesReceived += event.bytes;
        return;
      case "file-done":
        component?.outcomes.push(event.outcome);
        return;
      case "prune":
        component?.removed.push(event.path);
        return;
      default:
        return;
    }
  }

  /** Body bytes received so far, those of unfinished files included. */
  get bytesReceived(): number {
    return this.#bytesReceived;
  }

  /** The run so far, with `exitCode` (130 for an interruption). */
  summary(exitCode: number): MirrorSummary {
    const nowMs = this.#now();
    const topics: TopicSummary[] = this.#topics.map((topic) => ({
      name: topic.name,
      folder: topic.folder,
      components: topic.components.map((component) => ({
        id: component.id,
        name: component.name,
        type: component.type,
        version: component.version,
        folder: component.folder,
        plan: component.plan,
        outcomes: [...component.outcomes],
        removed: [...component.removed],
        notRemoved: 0,
        reused: 0,
        links: 0,
        durationMs: nowMs - component.startedMs,
      })),
    }));
    return { topics, durationMs: nowMs - this.#startedMs, exitCode };
  }
}

/**
 * The text summary of a stopped run: a line per component begun (with its files not done), then
 * a closing line with the files done, failed and not done and the bytes received (those of
 * unfinished files included: their partial files are kept and resumed by the next run).
 */
export function interruptedLines(summary: MirrorSummary, bytesReceived: number): string[] {
  const components = summary.topics.flatMap((topic) => topic.components);
  const outcomes = components.flatMap((component) => component.outcomes);
  const failed = outcomes.filter((outcome) => outcome.kind === "failed").length;
  const notDone = components.reduce((sum, component) => sum + filesNotDone(component), 0);
  const toFetch = components.reduce((sum, component) => sum + component.plan.bytesToFetch, 0);
  const closing =
    `dci-mirror: interrupted after ${formatSeconds(summary.durationMs)}: ` +
    `${outcomes.length - failed} files done, ${failed} failed, ${notDone} not done; ` +
    `${formatBytes(bytesReceived)} of ${formatBytes(toFetch)} received`;
  return [...summaryLines(summary, { dryRun: false }).slice(0, -1), closing];
}
