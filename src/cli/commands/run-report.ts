/**
 * What `sync` and `plan` print when the run is over, and the metrics file they leave: errors on
 * stderr, then the summary (text, or one JSON line with --json; with --quiet only the failure
 * line), then `--metrics-file`, written whatever the outcome.
 */
import { isMirrorError } from "../../errors.js";
import { type RunFacts, summaryDocument } from "../../report/json.js";
import { type MetricsFacts, metricsText } from "../../report/metrics.js";
import { summaryLines } from "../../report/summary.js";
import type { MirrorSummary } from "../../run/types.js";
import { writeMetricsFile } from "../../tree/metrics-file.js";
import type { Output } from "../output.js";

/** Prints the run's failures on stderr, then its summary on stdout. */
export function reportRun(output: Output, summary: MirrorSummary, facts: RunFacts): void {
  for (const topic of summary.topics) {
    if (topic.error !== undefined)
      output.error({ ...topic.error, message: `${topic.name}: ${topic.error.message}` });
    for (const component of topic.components) {
      if (component.error === undefined) continue;
      const message = `${topic.name}/${component.type}: ${component.error.message}`;
      output.error({ ...component.error, message });
    }
  }
  if (output.json) {
    output.document(summaryDocument(summary, facts));
    return;
  }
  const lines = summaryLines(summary, { dryRun: facts.dryRun });
  // --quiet: a cron job mails only when something is wrong, and then says how it ended.
  if (output.quiet) {
    const verdict = lines.at(-1);
    if (summary.exitCode !== 0 && verdict !== undefined) output.result(verdict);
    return;
  }
  for (const line of lines) output.result(line);
}

/**
 * Writes the metrics file of a finished run (a failed one too) and returns the run's exit code.
 * When the file cannot be written, the error is printed and a run that succeeded ends with its
 * exit code (7); a run that already failed keeps its own.
 */
export async function writeRunMetrics(
  output: Output,
  path: string,
  facts: MetricsFacts,
): Promise<number> {
  try {
    await writeMetricsFile(path, metricsText(facts));
    return facts.exitCode;
  } catch (error) {
    if (!isMirrorError(error)) throw error;
    const { code, message, hint, exitCode } = error;
    output.error({ code, message, hint, exitCode });
    return facts.exitCode === 0 ? exitCode : facts.exitCode;
  }
}
