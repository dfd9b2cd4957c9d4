/**
 * A component's partial downloads: making their folder, listing them for the planner, opening the
 * partial of one file to resume it, and removing the ones no longer needed. Names are in
 * partial-names.ts, meta files in partial-meta.ts, writing in partial-writer.ts.
 */
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { PartialFile, RemoteFile } from "../model.js";
import { BOOKKEEPING_PREFIX } from "../tree/bookkeeping.js";
import { ensureDirectoryInside } from "../tree/safe-join.js";
import { readMeta } from "./partial-meta.js";
import { PART_SUFFIX, PARTIAL_DIR, partialBaseName, partialDir } from "./partial-names.js";
import { unlinkEntry } from "./partial-open.js";

export interface PartialHandle {
  /** The partial's file path on disk. */
  readonly filePath: string;
  readonly heldBytes: number;
  readonly etag: string | undefined;
}

/**
 * True when `.dci-mirror` and its `partial` folder are real directories (lstat, not stat): a
 * symlink there is never listed or cleaned through, as it may lead outside DEST.
 */
async function isRealPartialDir(componentFolder: string): Promise<boolean> {
  for (const folder of [join(componentFolder, BOOKKEEPING_PREFIX), partialDir(componentFolder)]) {
    const stats = await lstat(folder).catch(() => undefined);
    if (stats?.isDirectory() !== true) return false;
  }
  return true;
}

/** The lstat of a path when it is a regular file (never followed through a symlink), else undefined. */
async function regularFile(path: string): Promise<{ readonly size: number } | undefined> {
  const stats = await lstat(path).catch(() => undefined);
  return stats?.isFile() === true ? stats : undefined;
}

/** The partial files present for a component, as the planner needs them; only regular files count. */
export async function listPartials(componentFolder: string): Promise<PartialFile[]> {
  if (!(await isRealPartialDir(componentFolder))) return [];
  const folder = partialDir(componentFolder);
  const names = await readdir(folder).catch(() => [] as string[]);
  const partials: PartialFile[] = [];
  for (const name of names.filter((candidate) => candidate.endsWith(PART_SUFFIX))) {
    const base = name.slice(0, -PART_SUFFIX.length);
    const meta = await readMeta(join(folder, `${base}.json`));
    const info = await regularFile(join(folder, name));
    if (meta === undefined || info === undefined) continue;
    partials.push({ path: meta.path, sha256: meta.sha256, heldBytes: info.size });
  }
  return partials;
}

/**
 * Makes the partial folder of a component (and `.dci-mirror` above it) real directories; call
 * once before its transfers. A symlink standing there is removed (the link only, never what it
 * points to) and replaced by a directory, so partials always live inside DEST. Throws LocalIOError.
 */
export async function preparePartialDir(
  componentFolder: string,
  signal: AbortSignal,
): Promise<void> {
  await ensureDirectoryInside(componentFolder, `${BOOKKEEPING_PREFIX}/${PARTIAL_DIR}`, signal);
}

/**
 * Opens the partial of a file; `heldBytes` is what a resume can build on. With `mayExist` false (the
 * planner saw no partial for this file) nothing is read from disk. Only a regular file is resumed.
 */
export async function openPartial(
  componentFolder: string,
  file: RemoteFile,
  { mayExist }: { mayExist: boolean },
): Promise<PartialHandle> {
  const base = join(partialDir(componentFolder), partialBaseName(file));
  if (!mayExist) return { filePath: `${base}${PART_SUFFIX}`, heldBytes: 0, etag: undefined };
  const meta = await readMeta(`${base}.json`);
  const info = await regularFile(`${base}${PART_SUFFIX}`);
  const isUsable = meta?.sha256 === file.sha256 && meta.path === file.path && info !== undefined;
  return {
    filePath: `${base}${PART_SUFFIX}`,
    heldBytes: isUsable && info.size <= file.sizeBytes ? info.size : 0,
    etag: isUsable ? meta.etag : undefined,
  };
}

/**
 * Deletes every partial not in `keep` (stale partials of older composes), after a clean run. Never
 * deletes outside DEST: nothing is done when the partial folder (or `.dci-mirror`) is a symlink,
 * a symlinked entry loses the link only, and directories are left alone.
 */
export async function removeStalePartials(
  componentFolder: string,
  keep: readonly RemoteFile[],
): Promise<number> {
  if (!(await isRealPartialDir(componentFolder))) return 0;
  const folder = partialDir(componentFolder);
  const names = await readdir(folder).catch(() => [] as string[]);
  // The usual case after a clean run: nothing left, so no need to name 20,000 partials to keep.
  if (names.length === 0) return 0;
  const wanted = new Set(keep.map((file) => partialBaseName(file)));
  let removed = 0;
  for (const name of names) {
    const base = name.replace(/\.(part|json)$/, "");
    if (wanted.has(base)) continue;
    const stats = await lstat(join(folder, name)).catch(() => undefined);
    if (stats === undefined || stats.isDirectory()) continue;
    await unlinkEntry(join(folder, name));
    if (name.endsWith(PART_SUFFIX)) removed++;
  }
  return removed;
}

/** Drops a partial whose bytes cannot be continued (changed object, ignored Range, bad hash). */
export async function discardPartial(filePath: string): Promise<void> {
  await unlinkEntry(filePath);
}
