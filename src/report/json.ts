/**
 * The `--json` document of a run, schema `dci-mirror/summary/1` (docs/summary.schema.json). Pure: a
 * MirrorSummary and what the command knows of the run (times, host, warnings) in, a plain object
 * out. Fields are only ever added within a schema version.
 */

import type { Outcome } from "../model.js";
import type { ComponentIdentity, ComponentSummary, MirrorSummary } from "../run/types.js";
import { VERSION } from "../version.js";
import { componentTotals } from "./summary.js";

const SUMMARY_SCHEMA = "dci-mirror/summary/1";

/** A component's failed files listed in full up to this many; the rest are only counted. */
export const MAX_LISTED_FAILURES = 1000;

/** What the command knows of the run beside its summary. */
export interface RunFacts {
  readonly dryRun: boolean;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** The host name of the machine that ran it. */
  readonly host: string;
  /** Every warning the run gave, in order. */
  readonly warnings: ReadonlyArray<{ readonly code: string; readonly message: string }>;
}

interface Counts {
  files: number;
  bytes: number;
  downloaded: number;
  resumed: number;
  skipped: number;
  verified: number;
  removed: number;
  failed: number;
  bytesTransferred: number;
}

const COUNT_KEYS = [
  "files",
  "bytes",
  "downloaded",
  "resumed",
  "skipped",
  "verified",
  "removed",
  "failed",
  "bytesTransferred",
] as const satisfies ReadonlyArray<keyof Counts>;

function componentDocument(component: ComponentSummary) {
  const totals = componentTotals(component);
  const counts: Counts = {
    files: component.plan.totalFiles,
    bytes: component.plan.totalBytes,
    downloaded: totals.downloaded,
    resumed: totals.resumed,
    skipped: totals.skipped,
    verified: totals.verified,
    removed: totals.removed,
    failed: totals.failed,
    bytesTransferred: totals.bytesTransferred,
  };
  const failures = component.outcomes.flatMap((outcome) =>
    outcome.kind === "failed" ? [failureOf(outcome)] : [],
  );
  return {
    id: component.id,
    name: component.name,
    type: component.type,
    version: component.version,
    previous: component.previous === undefined ? null : identityOf(component.previous),
    folder: component.folder,
    ...counts,
    linked: component.links,
    planned: {
      fetch: component.plan.fetchFiles,
      resume: component.plan.resumeFiles,
      check: component.plan.checkFiles,
      keep: component.plan.skipFiles,
      remove: component.plan.pruneEntries,
      bytesToFetch: component.plan.bytesToFetch,
      ...(component.freeBytes === undefined ? {} : { freeBytes: component.freeBytes }),
    },
    durationMs: Math.round(component.durationMs),
    error: component.error ?? null,
    removedPaths: component.removed,
    notRemoved: component.notRemoved,
    reused: component.reused,
    snapshot: component.snapshot ?? null,
    failures: failures.slice(0, MAX_LISTED_FAILURES),
    failuresOmitted: Math.max(0, failures.length - MAX_LISTED_FAILURES),
  };
}

function identityOf(component: ComponentIdentity): ComponentIdentity {
  return { id: component.id, name: component.name, version: component.version };
}

function failureOf(outcome: Extract<Outcome, { kind: "failed" }>) {
  const { path, code, message, exitCode } = outcome;
  return { path, code, message, exitCode };
}

/** The JSON document for a run (or a plan, with `dryRun`). */
export function summaryDocument(summary: MirrorSummary, facts: RunFacts) {
  const topics = summary.topics.map((topic) => ({
    name: topic.name,
    folder: topic.folder,
    error: topic.error ?? null,
    components: topic.components.map(componentDocument),
  }));
  const totals: Counts = {
    files: 0,
    bytes: 0,
    downloaded: 0,
    resumed: 0,
    skipped: 0,
    verified: 0,
    removed: 0,
    failed: 0,
    bytesTransferred: 0,
  };
  for (const component of topics.flatMap((topic) => topic.components)) {
    for (const key of COUNT_KEYS) totals[key] += component[key];
  }
  return {
    schema: SUMMARY_SCHEMA,
    version: VERSION,
    dryRun: facts.dryRun,
    exitCode: summary.exitCode,
    startedAt: facts.startedAt.toISOString(),
    finishedAt: facts.finishedAt.toISOString(),
    host: facts.host,
    durationMs: Math.round(summary.durationMs),
    warnings: facts.warnings.map(({ code, message }) => ({ code, message })),
    totals,
    topics,
  };
}
