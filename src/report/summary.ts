/**
 * The human summary printed at the end of a run. Pure: a MirrorSummary in, lines of text out.
 */

import type { ComponentSummary, MirrorSummary } from "../run/types.js";
import { formatBytes, formatRate, formatSeconds } from "../units.js";

export interface ComponentTotals {
  readonly downloaded: number;
  readonly resumed: number;
  readonly skipped: number;
  readonly verified: number;
  readonly failed: number;
  readonly removed: number;
  readonly bytesTransferred: number;
}

/** Counts the outcomes of one component. */
export function componentTotals(component: ComponentSummary): ComponentTotals {
  const count = (kind: string) =>
    component.outcomes.filter((outcome) => outcome.kind === kind).length;
  return {
    downloaded: count("downloaded"),
    resumed: count("resumed"),
    skipped: component.plan.skipFiles,
    verified: count("verified"),
    failed: count("failed"),
    removed: component.removed.length,
    bytesTransferred: component.outcomes.reduce(
      (sum, outcome) => sum + outcome.bytesTransferred,
      0,
    ),
  };
}

/** Files a component planned to fetch, resume or check that have no outcome (a stopped run). */
export function filesNotDone(component: ComponentSummary): number {
  const { fetchFiles, resumeFiles, checkFiles } = component.plan;
  return Math.max(0, fetchFiles + resumeFiles + checkFiles - component.outcomes.length);
}

function rate(bytes: number, durationMs: number): string {
  if (bytes === 0 || durationMs <= 0) return "";
  return ` at ${formatRate(bytes, durationMs)}`;
}

function componentLine(topic: string, component: ComponentSummary, dryRun: boolean): string {
  const where = `${topic}/${component.type} ${component.name}`;
  // The error itself went to stderr; the summary only records that the component failed.
  const failed = component.error === undefined ? "" : `; FAILED [${component.error.code}]`;
  const size = `${component.plan.totalFiles} files, ${formatBytes(component.plan.totalBytes)}`;
  if (dryRun) {
    const plan = component.plan;
    const free =
      component.freeBytes === undefined ? "" : `; ${formatBytes(component.freeBytes)} free`;
    return `${where}: ${size}; would fetch ${plan.fetchFiles} (${formatBytes(plan.bytesToFetch)}), resume ${plan.resumeFiles}, check ${plan.checkFiles}, keep ${plan.skipFiles}, remove ${plan.pruneEntries}${free}${previously(component)}${failed}`;
  }
  const totals = componentTotals(component);
  const parts = [
    `${totals.downloaded} downloaded`,
    ...(totals.resumed > 0 ? [`${totals.resumed} resumed`] : []),
    `${totals.skipped + totals.verified} up to date`,
    ...(component.reused > 0 ? [`${component.reused} reused`] : []),
    `${totals.removed} removed`,
    ...(component.notRemoved > 0 ? [`${component.notRemoved} not removed`] : []),
    ...(totals.failed > 0 ? [`${totals.failed} FAILED`] : []),
    ...(filesNotDone(component) > 0 ? [`${filesNotDone(component)} not done`] : []),
  ];
  const moved = `${formatBytes(totals.bytesTransferred)} in ${formatSeconds(component.durationMs)}${rate(totals.bytesTransferred, component.durationMs)}`;
  const published = component.snapshot === undefined ? "" : `; published ${component.snapshot}`;
  return `${where}: ${size}; ${parts.join(", ")}; ${moved}${published}${previously(component)}${failed}`;
}

/** "; previously X" when the folder held another component before this run. */
function previously(component: ComponentSummary): string {
  const previous = component.previous;
  if (previous === undefined || previous.id === component.id) return "";
  return `; previously ${previous.name}`;
}

/** The summary lines: one per component, one per failed file or topic, and a closing line. */
export function summaryLines(summary: MirrorSummary, options: { dryRun: boolean }): string[] {
  const lines: string[] = [];
  for (const topic of summary.topics) {
    if (topic.error !== undefined) {
      // The error itself went to stderr; the summary only records that the topic failed.
      lines.push(`${topic.name}: FAILED [${topic.error.code}]`);
      continue;
    }
    if (topic.components.length === 0) lines.push(`${topic.name}: nothing to mirror`);
    for (const component of topic.components) {
      lines.push(componentLine(topic.name, component, options.dryRun));
      for (const outcome of component.outcomes) {
        if (outcome.kind === "failed")
          lines.push(`  failed ${outcome.path}: ${outcome.message} [${outcome.code}]`);
      }
    }
  }
  const verdict =
    summary.exitCode === 0 ? "done" : `finished with errors (exit code ${summary.exitCode})`;
  lines.push(`dci-mirror: ${verdict} in ${formatSeconds(summary.durationMs)}`);
  return lines;
}
