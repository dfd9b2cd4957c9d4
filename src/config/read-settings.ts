/**
 * The single file read of the configuration stage (test/architecture.test.ts lets only
 * config/read-*.ts touch the file system): the `--settings` files, as text.
 * Parsing and merging are pure, in config/settings-file.ts and config/resolve.ts.
 */
import { readFile } from "node:fs/promises";
import { LocalIOError } from "../errors.js";
import type { SettingsFile } from "./settings-file.js";

export type { SettingsFile } from "./settings-file.js";

/**
 * Reads the settings files in the order given (later ones win when merged);
 * throws LocalIOError CONFIG_SETTINGS_UNREADABLE naming the first path that cannot be read.
 */
export async function readSettingsFiles(
  paths: readonly string[],
  signal?: AbortSignal,
): Promise<SettingsFile[]> {
  const files: SettingsFile[] = [];
  // One after the other: a handful of small files, and the first failure is the one reported.
  for (const path of paths) {
    try {
      const text = await readFile(
        path,
        signal === undefined ? { encoding: "utf8" } : { encoding: "utf8", signal },
      );
      files.push({ path, text });
    } catch (error) {
      // An abort is not the file's fault: let the caller see it as such.
      if (signal?.aborted === true) throw error;
      throw new LocalIOError(`Cannot read the settings file ${path}.`, {
        code: "CONFIG_SETTINGS_UNREADABLE",
        hint: "Check the path given to --settings and that this user may read it.",
        cause: error,
      });
    }
  }
  return files;
}
