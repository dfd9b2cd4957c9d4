/**
 * Leaving snapshot mode: the published snapshot becomes the plain folder at `<topic>/<type>`
 * again, by renames only (no byte copied, every file keeps its inode, so the verified-files record
 * still vouches for it). A folder cannot be renamed over a link, so the link is moved aside first:
 * there is a window of two renames where the path is missing, as on the first adoption. Callers
 * hold the topic lock.
 */
import { randomUUID } from "node:crypto";
import { rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { throwLocalIo } from "./io-errors.js";
import { syncDirectory, TEMP_PREFIX } from "./place.js";
import { currentSnapshot } from "./snapshot-list.js";
import { snapshotPath } from "./snapshot-paths.js";

/** Returns the snapshot turned back into the plain folder, or undefined when none was published. */
export async function unpublishSnapshot(
  topicFolder: string,
  typeFolder: string,
  signal: AbortSignal,
): Promise<string | undefined> {
  const current = await currentSnapshot(topicFolder, typeFolder, signal);
  if (current === undefined) return undefined;
  const typePath = join(topicFolder, typeFolder);
  const parked = join(topicFolder, `${TEMP_PREFIX}${randomUUID()}`);
  const moved = (from: string, to: string) =>
    rename(from, to).catch((error: unknown) => throwLocalIo(error, signal, "rename", from));
  await moved(typePath, parked);
  try {
    await moved(snapshotPath(topicFolder, typeFolder, current), typePath);
  } catch (error) {
    // Put the link back: the snapshot stays published, whole.
    await rename(parked, typePath).catch(() => undefined);
    throw error;
  }
  await unlink(parked).catch((error: unknown) => throwLocalIo(error, signal, "remove", parked));
  await syncDirectory(topicFolder);
  return current;
}
