/**
 * Writes the `--metrics-file` atomically, as node_exporter's textfile collector asks: the text goes
 * to a new `PATH.tmp-<random>` in the same folder (never a name that already exists, so never
 * through a link someone left there), is fsynced, then renamed over PATH, so the collector never
 * reads half a file. The folder itself is the user's: nothing else there is touched.
 */
import { randomUUID } from "node:crypto";
import { LocalIOError } from "../errors.js";
import { toLocalIoError } from "./io-errors.js";
import { replaceFile } from "./place.js";

/** Replaces the file at `path` with `text`; throws LocalIOError (METRICS_FILE) naming the path. */
export async function writeMetricsFile(path: string, text: string): Promise<void> {
  try {
    await replaceFile(path, `${path}.tmp-${randomUUID()}`, [text]);
  } catch (error) {
    const cause = toLocalIoError(error, "write the metrics file", path);
    throw new LocalIOError(cause.message, {
      code: "METRICS_FILE",
      hint: "The mirror run itself finished and is kept. Make the metrics file's folder exist and writable for this user (or fix --metrics-file / metrics_file); the next run writes it again.",
      cause: error,
    });
  }
}
