/**
 * The `--json` document of a run, schema `dci-mirror/summary/1` (docs/summary.schema.json). Pure: a
 * MirrorSummary in, a plain object out. Fields are only ever added within a schema version.
 */

import type { ComponentSummary, MirrorSummary } from "../run/types.js";
import { VERSION } from "../version.js";
import { componentTotals } from "./summary.js";

const SUMMARY_SCHEMA = "dci-mirror/summary/1";

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
  return {
    id: component.id,
    name: component.name,
    type: component.type,
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
    failures: component.outcomes.flatMap((outcome) =>
      outcome.kind === "failed"
        ? [
            {
              path: outcome.path,
              code: outcome.code,
              message: outcome.message,
              exitCode: outcome.exitCode,
            },
          ]
        : [],
    ),
  };
}

/** The JSON document for a run (or a plan, with `dryRun`). */
export function summaryDocument(summary: MirrorSummary, options: { dryRun: boolean }) {
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
    dryRun: options.dryRun,
    exitCode: summary.exitCode,
    durationMs: Math.round(summary.durationMs),
    totals,
    topics,
  };
}
