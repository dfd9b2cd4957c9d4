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
import { LinkPool } from "../tree/link-pool.js";
import { readRecord, writeRecord } from "../tree/record.js";
import { ensureDirectoryInside } from "../tree/safe-join.js";
import { statFile } from "../tree/scan.js";
import { listSnapshots } from "../tree/snapshot-list.js";
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
  const { snapshot, folder, component } = target;
  if (snapshot === undefined) return NONE;
  const { signal } = context;
  if (context.settings.dryRun) return countReusable(target, files, signal);
  // Every folder from the topic folder down to the snapshot is made real: a link planted in the
  // bookkeeping area must not take the snapshot elsewhere.
  const { topicFolder, typeFolder, name } = snapshot;
  await ensureDirectoryInside(topicFolder, `${SNAPSHOTS_REL_DIR}/${typeFolder}/${name}`, signal);
  const pool = await LinkPool.fromFolders(await sourceFolders(target, signal), signal);
  if (pool.size === 0) return NONE;
  const record = await readRecord(folder, signal);
  const entries: Record<string, VerifiedEntry> = { ...record?.files };
  let copiedOnce = false;
  const onFallback = (code: string) => {
    if (copiedOnce) return;
    copiedOnce = true;
    const message = `${folder}: hard links refused (${code}); reused files are copied instead.`;
    context.emit({ type: "warning", code: "LINKS_REFUSED", message });
  };
  let reused = 0;
  let bytes = 0;
  for (const file of files) {
    if ((await statFile(folder, file.path)) !== undefined) continue;
    const source = await pool.find(file.sha256, file.sizeBytes, signal);
    if (source === undefined) continue;
    const placed = await linkInto({ source, root: folder, relPath: file.path, signal, onFallback });
    if (placed === undefined) continue;
    entries[file.path] = { ...placed.stats, sha256: file.sha256 };
    reused++;
    bytes += file.sizeBytes;
  }
  if (reused === 0) return NONE;
  const schema = "dci-mirror/state/1" as const;
  const { id: componentId, name: componentName } = component;
  await writeRecord(folder, { schema, componentId, componentName, files: entries }, signal);
  return { count: reused, bytes };
}

/** A plan's count: the files not in the snapshot yet whose content a kept folder holds, verified. */
async function countReusable(
  target: ComponentTarget,
  files: readonly RemoteFile[],
  signal: AbortSignal,
): Promise<Reused> {
  const pool = await LinkPool.fromFolders(await sourceFolders(target, signal), signal);
  let count = 0;
  let bytes = 0;
  for (const file of files) {
    if (pool.size === 0) break;
    if ((await statFile(target.folder, file.path)) !== undefined) continue;
    if ((await pool.find(file.sha256, file.sizeBytes, signal)) === undefined) continue;
    count++;
    bytes += file.sizeBytes;
  }
  return { count, bytes };
}

/** The other snapshots of the type, then the plain folder a first snapshot run replaces. */
async function sourceFolders(target: ComponentTarget, signal: AbortSignal): Promise<string[]> {
  const snapshot = target.snapshot;
  if (snapshot === undefined) return [];
  const { topicFolder, typeFolder, name } = snapshot;
  const others = (await listSnapshots(topicFolder, typeFolder, signal))
    .filter((other) => other.name !== name)
    .reverse()
    .map((other) => snapshotPath(topicFolder, typeFolder, other.name));
  return [...others, join(topicFolder, typeFolder)];
}
