/**
 * Step "reuse" (snapshot mode): before anything is planned, every selected file whose content is
 * already on disk, verified, in a kept snapshot or in the plain mirror it replaces, is hard-linked
 * into the snapshot being assembled (copied when the file system refuses links) and recorded as
 * verified, so the plan skips it: an unchanged file costs no download and no disk. A plan (dry
 * run) links nothing and only counts what would be reused.
 */
import { join } from "node:path";
import type { RemoteFile, VerifiedEntry } from "../model.js";
import { linkInto } from "../tree/link-into.js";
import { LinkPool, type LinkSource } from "../tree/link-pool.js";
import { readRecord, writeRecord } from "../tree/record.js";
import { ensureDirectoryInside } from "../tree/safe-join.js";
import { statFile } from "../tree/scan.js";
import { listSnapshots, lstatIfPresent } from "../tree/snapshot-list.js";
import { SNAPSHOTS_REL_DIR, snapshotPath } from "../tree/snapshot-paths.js";
import type { ComponentTarget, RunContext } from "./types.js";

export interface Reused {
  /** Files linked or copied in (a plan: that would be). */
  readonly count: number;
  readonly bytes: number;
}

const NONE: Reused = { count: 0, bytes: 0 };

export async function reuseFiles(
  target: ComponentTarget,
  files: readonly RemoteFile[],
  context: RunContext,
): Promise<Reused> {
  const { snapshot, folder } = target;
  if (snapshot === undefined) return NONE;
  const { signal } = context;
  if (!context.settings.dryRun) {
    // Every folder from the topic folder down to the snapshot is made real: a link planted in the
    // bookkeeping area must not take the snapshot elsewhere.
    const { topicFolder, typeFolder, name } = snapshot;
    await ensureDirectoryInside(topicFolder, `${SNAPSHOTS_REL_DIR}/${typeFolder}/${name}`, signal);
  }
  const found = await reusableFiles(target, files, signal);
  if (context.settings.dryRun || found.length === 0) return totals(found.map(({ file }) => file));
  const record = await readRecord(folder, signal);
  const entries: Record<string, VerifiedEntry> = { ...record?.files };
  const onFallback = onceFallback(folder, context);
  const placed: RemoteFile[] = [];
  for (const { file, source } of found) {
    const result = await linkInto({ source, root: folder, relPath: file.path, signal, onFallback });
    if (result === undefined) continue;
    entries[file.path] = { ...result.stats, sha256: file.sha256 };
    placed.push(file);
  }
  if (placed.length === 0) return NONE;
  const { id: componentId, name: componentName, version } = target.component;
  const state = {
    schema: "dci-mirror/state/1" as const,
    componentId,
    componentName,
    componentVersion: version,
  };
  await writeRecord(folder, { ...state, files: entries }, signal);
  return totals(placed);
}

/**
 * The selected files the snapshot lacks whose content a kept folder holds, verified, with where.
 * The kept folders' records are read only when a file is missing: an unchanged snapshot reads none.
 */
async function reusableFiles(
  target: ComponentTarget,
  files: readonly RemoteFile[],
  signal: AbortSignal,
): Promise<{ file: RemoteFile; source: LinkSource }[]> {
  const missing: RemoteFile[] = [];
  for (const file of files)
    if ((await statFile(target.folder, file.path)) === undefined) missing.push(file);
  if (missing.length === 0) return [];
  const pool = await LinkPool.fromFolders(await sourceFolders(target, signal), signal);
  const found: { file: RemoteFile; source: LinkSource }[] = [];
  for (const file of missing) {
    if (pool.size === 0) break;
    const source = await pool.find(file.sha256, file.sizeBytes, signal);
    if (source !== undefined) found.push({ file, source });
  }
  return found;
}

/**
 * The other snapshots of the type, newest first, then the plain folder a first snapshot run
 * replaces (a published type path is a link to one of those snapshots: not read twice).
 */
async function sourceFolders(target: ComponentTarget, signal: AbortSignal): Promise<string[]> {
  const snapshot = target.snapshot;
  if (snapshot === undefined) return [];
  const { topicFolder, typeFolder, name } = snapshot;
  const others = (await listSnapshots(topicFolder, typeFolder, signal))
    .filter((other) => other.name !== name)
    .reverse()
    .map((other) => snapshotPath(topicFolder, typeFolder, other.name));
  const typePath = join(topicFolder, typeFolder);
  const isPlain = (await lstatIfPresent(typePath, signal))?.isDirectory() === true;
  return isPlain ? [...others, typePath] : others;
}

function totals(files: readonly RemoteFile[]): Reused {
  return { count: files.length, bytes: files.reduce((sum, file) => sum + file.sizeBytes, 0) };
}

/** Copies instead of links are said once per component, with the reason the file system gave. */
function onceFallback(folder: string, context: RunContext): (code: string) => void {
  let said = false;
  return (code) => {
    if (said) return;
    said = true;
    const message = `${folder}: hard links refused (${code}); reused files are copied instead.`;
    context.emit({ type: "warning", code: "LINKS_REFUSED", message });
  };
}
