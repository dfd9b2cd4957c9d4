/**
 * The `--metrics-file` text: the last run in Prometheus' text exposition format, for
 * node_exporter's textfile collector. Pure: the run's facts in, the file's text out. Every value
 * is a gauge (each run replaces the file); metric names start with `dci_mirror_`.
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 */
import type { ComponentSummary, MirrorSummary } from "../run/types.js";
import { componentTotals } from "./summary.js";

export interface MetricsFacts {
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly exitCode: number;
  /** Absent when the run stopped before it had one (refused credentials, an interruption). */
  readonly summary: MirrorSummary | undefined;
}

interface Metric {
  readonly name: string;
  readonly help: string;
  readonly samples: ReadonlyArray<{ readonly labels: string; readonly value: number }>;
}

type ComponentValue = (component: ComponentSummary) => number;

const COMPONENT_METRICS: ReadonlyArray<readonly [string, string, ComponentValue]> = [
  ["files", "Files selected for the mirror.", (component) => component.plan.totalFiles],
  ["bytes", "Total size of the files selected.", (component) => component.plan.totalBytes],
  [
    "fetched_files",
    "Files downloaded or resumed by the run.",
    (component) => componentTotals(component).downloaded + componentTotals(component).resumed,
  ],
  [
    "fetched_bytes",
    "Bytes received by the run.",
    (component) => componentTotals(component).bytesTransferred,
  ],
  ["failed_files", "Files that failed.", (component) => componentTotals(component).failed],
  ["removed_entries", "Entries removed (pruned).", (component) => component.removed.length],
];

/** A label value as the text format wants it: backslash, double quote and line feed escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function componentMetrics(summary: MirrorSummary | undefined): Metric[] {
  const rows = (summary?.topics ?? []).flatMap((topic) =>
    topic.components.map((component) => ({
      labels: `{topic="${escapeLabelValue(topic.name)}",type="${escapeLabelValue(component.type)}",component="${escapeLabelValue(component.name)}"}`,
      component,
    })),
  );
  return COMPONENT_METRICS.map(([suffix, help, value]) => ({
    name: `dci_mirror_${suffix}`,
    help: `${help} Per topic, component type and component name, last run.`,
    samples: rows.map((row) => ({ labels: row.labels, value: value(row.component) })),
  }));
}

function runMetrics(facts: MetricsFacts): Metric[] {
  const run = (name: string, help: string, value: number): Metric => ({
    name: `dci_mirror_last_run_${name}`,
    help,
    samples: [{ labels: "", value }],
  });
  return [
    run("start_timestamp_seconds", "When the last run started.", facts.startedAt.getTime() / 1000),
    run("end_timestamp_seconds", "When the last run ended.", facts.finishedAt.getTime() / 1000),
    run(
      "success",
      "1 if the last run succeeded (exit code 0), else 0.",
      facts.exitCode === 0 ? 1 : 0,
    ),
    run("exit_code", "The exit code of the last run.", facts.exitCode),
  ];
}

/** The metrics file's text: HELP and TYPE lines, then the samples, ending with a newline. */
export function metricsText(facts: MetricsFacts): string {
  const lines: string[] = [];
  for (const metric of [...runMetrics(facts), ...componentMetrics(facts.summary)]) {
    lines.push(`# HELP ${metric.name} ${metric.help}`, `# TYPE ${metric.name} gauge`);
    for (const sample of metric.samples)
      lines.push(`${metric.name}${sample.labels} ${sample.value}`);
  }
  return `${lines.join("\n")}\n`;
}
