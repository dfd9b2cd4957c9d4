/**
 * Step "reuse" (snapshot mode): before anything is planned, every selected file whose content is
 * already on disk, verified, in a kept snapshot or in the plain mirror it replaces, is hard-linked
 * into the snapshot being assembled (copied when the file system refuses links) and recorded as
 * verified, so the plan skips it: an unchanged file costs no download and no disk.
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

/** Returns how many files were linked or copied in. */
export async function reuseFiles(
  target: ComponentTarget,
  files: readonly RemoteFile[],
  context: RunContext,
): Promise<number> {
  const { snapshot, folder, component } = target;
  if (snapshot === undefined || context.settings.dryRun) return 0;
  const { signal } = context;
  // Every folder from the topic folder down to the snapshot is made real: a link planted in the
  // bookkeeping area must not take the snapshot elsewhere.
  const { topicFolder, typeFolder, name } = snapshot;
  await ensureDirectoryInside(topicFolder, `${SNAPSHOTS_REL_DIR}/${typeFolder}/${name}`, signal);
  const pool = await LinkPool.fromFolders(await sourceFolders(target, signal), signal);
  if (pool.size === 0) return 0;
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
  for (const file of files) {
    if ((await statFile(folder, file.path)) !== undefined) continue;
    const source = await pool.find(file.sha256, file.sizeBytes, signal);
    if (source === undefined) continue;
    const placed = await linkInto({ source, root: folder, relPath: file.path, signal, onFallback });
    if (placed === undefined) continue;
    entries[file.path] = { ...placed.stats, sha256: file.sha256 };
    reused++;
  }
  if (reused === 0) return 0;
  const schema = "dci-mirror/state/1" as const;
  const { id: componentId, name: componentName } = component;
  await writeRecord(folder, { schema, componentId, componentName, files: entries }, signal);
  return reused;
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
