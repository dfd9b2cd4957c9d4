/**
 * The last selection of a component folder, `.dci-mirror/selection.json`: the files (with sha256)
 * and symlinks the last run was asked to mirror. `dci-mirror verify` checks the tree against it
 * offline, without asking the API again.
 */
import { readdir, readlink } from "node:fs/promises";
import { join } from "node:path";
import type { RemoteFile, RemoteSymlink } from "../model.js";
import { BOOKKEEPING_PREFIX } from "./bookkeeping.js";
import { jsonText, readBookkeepingJson } from "./json-file.js";
import { writeFileAtomic } from "./place.js";
import { snapshotOfLinkText } from "./snapshot-paths.js";

const SELECTION_REL_PATH = `${BOOKKEEPING_PREFIX}/selection.json`;
const SCHEMA = "dci-mirror/selection/1";

export interface Selection {
  readonly schema: typeof SCHEMA;
  readonly componentId: string;
  readonly componentName: string;
  readonly files: readonly RemoteFile[];
  readonly symlinks: readonly RemoteSymlink[];
}

function isRemoteFile(value: unknown): value is RemoteFile {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof Reflect.get(value, "path") === "string" &&
    typeof Reflect.get(value, "sizeBytes") === "number" &&
    typeof Reflect.get(value, "sha256") === "string"
  );
}

function isSelection(value: unknown): value is Selection {
  if (typeof value !== "object" || value === null) return false;
  const files: unknown = Reflect.get(value, "files");
  const symlinks: unknown = Reflect.get(value, "symlinks");
  return (
    Reflect.get(value, "schema") === SCHEMA &&
    typeof Reflect.get(value, "componentId") === "string" &&
    Array.isArray(files) &&
    files.every(isRemoteFile) &&
    Array.isArray(symlinks)
  );
}

/** The folder's last selection, or undefined when there is none (never mirrored, or damaged). */
export async function readSelection(
  componentFolder: string,
  signal: AbortSignal,
): Promise<Selection | undefined> {
  return readBookkeepingJson(componentFolder, SELECTION_REL_PATH, isSelection, signal);
}

/** Saves the selection atomically. Throws LocalIOError. */
export async function writeSelection(
  componentFolder: string,
  selection: Omit<Selection, "schema">,
  signal: AbortSignal,
): Promise<void> {
  const full: Selection = { schema: SCHEMA, ...selection };
  await writeFileAtomic(componentFolder, SELECTION_REL_PATH, jsonText(full), signal);
}

/**
 * The sub-folders of a topic folder that may be component folders (bookkeeping excluded), sorted;
 * a type path published in snapshot mode (a link to its current snapshot) counts as one.
 */
export async function componentFoldersOf(topicFolder: string): Promise<string[]> {
  const entries = await readdir(topicFolder, { withFileTypes: true }).catch(() => []);
  const folders: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(BOOKKEEPING_PREFIX)) continue;
    const isSnapshotLink =
      entry.isSymbolicLink() &&
      snapshotOfLinkText(
        entry.name,
        await readlink(join(topicFolder, entry.name)).catch(() => ""),
      ) !== undefined;
    if (entry.isDirectory() || isSnapshotLink) folders.push(join(topicFolder, entry.name));
  }
  return folders.sort();
}
