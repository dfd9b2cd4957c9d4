/**
 * Writes the `--metrics-file` atomically, as node_exporter's textfile collector asks: the text goes
 * to `PATH.tmp-<pid>` in the same folder, is fsynced, then renamed over PATH, so the collector
 * never reads half a file. The folder itself is the user's: nothing else there is touched.
 */
import { open, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { LocalIOError } from "../errors.js";
import { toLocalIoError } from "./io-errors.js";
import { syncDirectory } from "./place.js";

/** Replaces the file at `path` with `text`; throws LocalIOError (METRICS_FILE) naming the path. */
export async function writeMetricsFile(path: string, text: string): Promise<void> {
  const tempPath = `${path}.tmp-${process.pid}`;
  try {
    const handle = await open(tempPath, "w", 0o644);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tempPath, path);
    await syncDirectory(dirname(path));
  } catch (error) {
    await unlink(tempPath).catch(() => undefined); // Best effort: it may never have been made.
    const cause = toLocalIoError(error, "write the metrics file", path);
    throw new LocalIOError(cause.message, {
      code: "METRICS_FILE",
      hint: "The mirror run itself finished and is kept. Make the metrics file's folder exist and writable for this user (or fix --metrics-file / metrics_file); the next run writes it again.",
      cause: error,
    });
  }
}
