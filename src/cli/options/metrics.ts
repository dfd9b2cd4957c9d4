/**
 * --metrics-file PATH: the run-level report for monitoring, declared for sync and plan (a plan
 * writes no metrics: it is not a run of the mirror).
 */
import type { Argv } from "yargs";

/** Declares --metrics-file on a command builder. */
export function metricsOptions<T>(command: Argv<T>) {
  return command.option("metrics-file", {
    type: "string",
    describe:
      "after each run, write its metrics to PATH (Prometheus text format, for node_exporter's textfile collector; atomic)",
  });
}
