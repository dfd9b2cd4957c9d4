/**
 * Step "publish" (snapshot mode): once the component's snapshot is complete and verified (no file
 * failed, nothing refused), `<topic>/<type>` is switched to it by one atomic rename of a symlink;
 * then the published snapshots past `--snapshots N` are removed. A plain folder standing at the
 * type path (a mirror made without snapshots) is kept as a snapshot of its own on the first switch.
 */
import { join } from "node:path";
import { readRecord } from "../tree/record.js";
import { lstatIfPresent } from "../tree/snapshot-list.js";
import { isSafeFolderName } from "../tree/snapshot-paths.js";
import { removeOldSnapshots } from "../tree/snapshot-retention.js";
import { publishSnapshot } from "../tree/snapshots.js";
import type { PlannedComponent } from "./plan-files.js";
import type { Recorded } from "./record-files.js";
import type { RunContext } from "./types.js";

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
  const adoptAs = await adoptedName(join(topicFolder, typeFolder), name, signal);
  const { changed } = await publishSnapshot({ topicFolder, typeFolder, name, adoptAs, signal });
  await removeOldSnapshots({ topicFolder, typeFolder, keep: context.settings.snapshots, signal });
  return changed ? name : undefined;
}

/** The name a plain folder at the type path is kept under: its component's id, when it differs. */
async function adoptedName(
  typePath: string,
  name: string,
  signal: AbortSignal,
): Promise<string | undefined> {
  const stats = await lstatIfPresent(typePath, signal);
  if (stats?.isDirectory() !== true) return undefined;
  const recorded = (await readRecord(typePath, signal))?.componentId;
  const candidate = `plain-${recorded ?? "mirror"}`;
  return isSafeFolderName(candidate) && candidate !== name
    ? candidate
    : `plain-mirror-${Date.now()}`;
}
