/**
 * Step "summarize": a component's summary, the record of a failure that ended a topic or a
 * component, and the run's exit code from its topics, components and files, the most severe first.
 */
import { EXIT_CODES, isMirrorError } from "../errors.js";
import type { PlanCounts } from "../events.js";
import { classify } from "../failures.js";
import type { Outcome } from "../model.js";
import type {
  ComponentIdentity,
  ComponentSummary,
  ComponentTarget,
  StepFailure,
  TopicSummary,
} from "./types.js";

/** Failure classes of files, most severe first: integrity, local I/O, network, not found. */
const FILE_SEVERITY: readonly number[] = [
  EXIT_CODES.integrity,
  EXIT_CODES.localIo,
  EXIT_CODES.network,
  EXIT_CODES.notFound,
];

/** A failure as the summary keeps it: code, message, hint and exit code (classify's). */
export function failureOf(error: unknown): StepFailure {
  const { exitCode } = classify(error);
  if (isMirrorError(error))
    return { code: error.code, message: error.message, hint: error.hint, exitCode };
  return {
    code: "UNEXPECTED",
    message: error instanceof Error ? error.message : String(error),
    hint: "unexpected error; please report it with the --verbose output.",
    exitCode,
  };
}

/** 0 when everything was mirrored; else a topic's failure, a component's, then the worst file's. */
export function exitCodeOf(topics: readonly TopicSummary[]): number {
  const topicError = topics.find((topic) => topic.error !== undefined)?.error;
  if (topicError !== undefined) return topicError.exitCode;
  const components = topics.flatMap((topic) => topic.components);
  const componentError = components.find((component) => component.error !== undefined)?.error;
  if (componentError !== undefined) return componentError.exitCode;
  const codes = components.flatMap((component) =>
    component.outcomes.flatMap((outcome) => (outcome.kind === "failed" ? [outcome.exitCode] : [])),
  );
  if (codes.length === 0) return EXIT_CODES.ok;
  return FILE_SEVERITY.find((code) => codes.includes(code)) ?? codes[0] ?? EXIT_CODES.unexpected;
}

/** What a component's steps produced; absent parts are empty (a plan, or a stopped component). */
export interface ComponentResult {
  readonly outcomes?: readonly Outcome[];
  readonly removed?: readonly string[];
  readonly notRemoved?: number;
  readonly reused?: number;
  readonly published?: string | undefined;
  readonly links?: number;
  readonly freeBytes?: number;
  readonly previous?: ComponentIdentity | undefined;
  readonly error?: StepFailure | undefined;
}

/** A plan with nothing in it: the counts of a component stopped before its plan was made. */
export const NO_PLAN: PlanCounts = {
  totalFiles: 0,
  totalBytes: 0,
  fetchFiles: 0,
  resumeFiles: 0,
  checkFiles: 0,
  skipFiles: 0,
  pruneEntries: 0,
  links: 0,
  bytesToFetch: 0,
  bytesToCheck: 0,
};

export function componentSummary(
  target: ComponentTarget,
  plan: PlanCounts,
  startedMs: number,
  result: ComponentResult,
): ComponentSummary {
  const { component, folder } = target;
  const { freeBytes, error, previous } = result;
  return {
    id: component.id,
    name: component.name,
    type: component.type,
    version: component.version,
    ...(previous === undefined ? {} : { previous }),
    folder,
    plan,
    outcomes: result.outcomes ?? [],
    removed: result.removed ?? [],
    notRemoved: result.notRemoved ?? 0,
    reused: result.reused ?? 0,
    ...(result.published === undefined ? {} : { snapshot: result.published }),
    links: result.links ?? 0,
    durationMs: performance.now() - startedMs,
    ...(freeBytes === undefined ? {} : { freeBytes }),
    ...(error === undefined ? {} : { error }),
  };
}
