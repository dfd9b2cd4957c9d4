/**
 * Where a component's partials live and what they are named. A partial belongs to one path AND one
 * expected sha256, so a new compose that changes a file of the same name and size can never be
 * spliced onto an old partial. Partials live inside the component folder (same file system: the
 * final rename is atomic and never fails with EXDEV). Pure: names only, no disk access.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { RemoteFile } from "../model.js";
import { BOOKKEEPING_PREFIX } from "../tree/bookkeeping.js";

/** The partials' folder, inside the component's bookkeeping folder (`.dci-mirror`). */
export const PARTIAL_DIR = "partial";
/** The ending of a partial's own file; its meta file ends in `.json` instead. */
export const PART_SUFFIX = ".part";

/** The folder holding a component's partials and their meta files. */
export function partialDir(componentFolder: string): string {
  return join(componentFolder, BOOKKEEPING_PREFIX, PARTIAL_DIR);
}

/** A partial's name without its ending: the expected sha256, then a hash of the file's path. */
export function partialBaseName(file: Pick<RemoteFile, "path" | "sha256">): string {
  const pathHash = createHash("sha256").update(file.path).digest("hex").slice(0, 16);
  return `${file.sha256}-${pathHash}`;
}
