/**
 * The single file read of the configuration stage (test/architecture.test.ts lets only
 * config/read-*.ts touch the file system): the `--settings` files, read as text and handed with
 * the YAML parser to the pure config/settings-file.ts. Merging is config/resolve.ts.
 */
import { readFile } from "node:fs/promises";
import { LocalIOError, UsageError } from "../errors.js";
import { parseSettingsFile } from "./settings-file.js";
import type { ParsedSettingsFile, SettingsFile } from "./settings-types.js";

export type { ParsedSettingsFile, SettingsFile } from "./settings-types.js";

/** Errnos of a path that names no readable file: a mistyped --settings, not a disk fault. */
const NOT_A_FILE = new Set(["ENOENT", "ENOTDIR", "EISDIR"]);

/** The error for a settings file that could not be read: a usage error, or a disk fault. */
export function settingsReadError(path: string, error: unknown): UsageError | LocalIOError {
  const errno = error instanceof Error ? Reflect.get(error, "code") : undefined;
  if (typeof errno === "string" && NOT_A_FILE.has(errno)) {
    const what = errno === "EISDIR" ? "is a directory" : "does not exist";
    return new UsageError(`The settings file ${path} ${what}.`, {
      code: "CONFIG_SETTINGS_MISSING",
      hint: "Check the path given to --settings: it names a YAML file.",
      cause: error,
    });
  }
  return new LocalIOError(`Cannot read the settings file ${path}.`, {
    code: "CONFIG_SETTINGS_UNREADABLE",
    hint: "Check that this user may read it (permissions), and the disk it is on.",
    cause: error,
  });
}

/**
 * Reads the settings files in the order given (later ones win when merged); throws, naming the
 * first path that cannot be read, UsageError CONFIG_SETTINGS_MISSING when it does not exist or is
 * a directory, else LocalIOError CONFIG_SETTINGS_UNREADABLE (no permission, I/O error).
 */
export async function readSettingsTexts(
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
      throw settingsReadError(path, error);
    }
  }
  return files;
}

/**
 * Reads and parses the settings files, in order. The YAML parser is loaded only when there is a
 * file: most runs have none, and loading it is tens of milliseconds of a no-op sync's start-up.
 * Throws what readSettingsTexts and parseSettingsFile throw.
 */
export async function readSettingsFiles(
  paths: readonly string[],
  signal?: AbortSignal,
): Promise<ParsedSettingsFile[]> {
  const files = await readSettingsTexts(paths, signal);
  if (files.length === 0) return [];
  const yaml = await import("yaml");
  return files.map((file) => ({ path: file.path, settings: parseSettingsFile(file, yaml) }));
}
