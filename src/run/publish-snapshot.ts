/**
 * Step "publish" (snapshot mode): once the component's snapshot is complete and verified (no file
 * failed, nothing refused), `<topic>/<type>` is switched to it by one atomic rename of a symlink;
 * then the published snapshots past `--snapshots N` are removed. A plain folder standing at the
 * type path (a mirror made without snapshots) is kept as a snapshot of its own on the first switch.
 */
import { join } from "node:path";
import { readRecord } from "../tree/record.js";
import { lstatIfPresent } from "../tree/snapshot-list.js";
import { isSafeFolderName, snapshotPath } from "../tree/snapshot-paths.js";
import { removeOldSnapshots } from "../tree/snapshot-retention.js";
import { publishSnapshot } from "../tree/snapshots.js";
import type { PlannedComponent } from "./plan-files.js";
import type { Recorded } from "./record-files.js";
import type { RunContext, SnapshotTarget } from "./types.js";

/** Returns the snapshot this run switched the type path to, or undefined (not switched). */
export async function publishFiles(
  planned: PlannedComponent,
  recorded: Recorded,
  context: RunContext,
): Promise<string | undefined> {
  const snapshot = planned.target.snapshot;
  if (snapshot === undefined || recorded.hasFailures || planned.pruneRefusal !== undefined)
    return undefined;
  const { topicFolder, typeFolder, name } = snapshot;
  const { signal } = context;
  const adoptAs = await adoptedName(snapshot, signal);
  const { changed } = await publishSnapshot({ topicFolder, typeFolder, name, adoptAs, signal });
  await removeOldSnapshots({ topicFolder, typeFolder, keep: context.settings.snapshots, signal });
  return changed ? name : undefined;
}

/**
 * The name a plain folder at the type path is kept under: `plain-<its component id>`, or, when
 * that is taken (modes switched back and forth on one compose) or unusable, `plain-mirror-<ms>`.
 */
async function adoptedName(
  snapshot: SnapshotTarget,
  signal: AbortSignal,
): Promise<string | undefined> {
  const { topicFolder, typeFolder } = snapshot;
  const typePath = join(topicFolder, typeFolder);
  const stats = await lstatIfPresent(typePath, signal);
  if (stats?.isDirectory() !== true) return undefined;
  const recorded = (await readRecord(typePath, signal))?.componentId;
  const candidate = `plain-${recorded ?? "mirror"}`;
  const isFree =
    isSafeFolderName(candidate) &&
    (await lstatIfPresent(snapshotPath(topicFolder, typeFolder, candidate), signal)) === undefined;
  return isFree ? candidate : `plain-mirror-${Date.now()}`;
}
