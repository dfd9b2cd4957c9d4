/**
 * Publishing a snapshot: `<topic>/<type>` becomes a relative symlink to
 * `.dci-mirror/snapshots/<type>/<name>`, switched by ONE rename of a link made under a temporary
 * name beside it. rename replaces the old link atomically, so a reader going through the type path
 * (a web server, a dnf client) sees the old snapshot whole or the new one whole, never a mix and
 * never nothing. Callers hold the topic lock: two publishers of one type must not race.
 */
import { randomUUID } from "node:crypto";
import { readdir, readlink, rename, symlink, unlink } from "node:fs/promises";
import { join } from "node:path";
import { LocalIOError } from "../errors.js";
import { throwLocalIo } from "./io-errors.js";
import { syncDirectory, TEMP_PREFIX } from "./place.js";
import { ensureDirectoryInside } from "./safe-join.js";
import { lstatIfPresent, snapshotFolderStats } from "./snapshot-list.js";
import { readPublications, withPublication, writePublications } from "./snapshot-log.js";
import {
  checkFolderName,
  snapshotLinkText,
  snapshotOfLinkText,
  snapshotPath,
  snapshotsRelRoot,
  snapshotsRoot,
} from "./snapshot-paths.js";

export interface PublishSnapshotOptions {
  readonly topicFolder: string;
  readonly typeFolder: string;
  /** The snapshot to publish: a complete, verified folder in the type's snapshots area. */
  readonly name: string;
  /** The snapshot name a plain folder standing at the type path is kept as; required then. */
  readonly adoptAs?: string | undefined;
  /** The clock of the publication log; the system clock by default. */
  readonly now?: (() => Date) | undefined;
  readonly signal: AbortSignal;
}

export interface PublishResult {
  /** The snapshot the type path pointed at before, if any (an adopted folder counts). */
  readonly previous: string | undefined;
  /** The name the plain folder was adopted as, when there was one. */
  readonly adopted: string | undefined;
  /** False when the type path already pointed at `name`. */
  readonly changed: boolean;
}

/** What stands at the type path, among what publishing can handle. */
type Standing = { kind: "missing" } | { kind: "folder" } | { kind: "snapshot"; name: string };

/**
 * Points `<topic>/<type>` at the snapshot `name` and records the publication. A plain folder there
 * (a mirror made before snapshot mode) is first moved into the snapshots area as `adoptAs`. Then
 * the temporary links a killed publication of this type left in the topic folder are removed.
 * Throws LocalIOError: UNSAFE_LOCAL_PATH for an unsafe name, SNAPSHOT_MISSING when the snapshot
 * folder is not there, TYPE_PATH_REFUSED for a file, a foreign link or any other entry at the type
 * path, or for a plain folder without `adoptAs`.
 */
export async function publishSnapshot(options: PublishSnapshotOptions): Promise<PublishResult> {
  const { topicFolder, typeFolder, name, signal } = options;
  const linkText = snapshotLinkText(typeFolder, name);
  signal.throwIfAborted();
  const standing = await inspectTypePath(topicFolder, typeFolder, signal);
  const adopted = standing.kind === "folder" ? adoptionName(options) : undefined;
  if (name !== adopted) await requireSnapshot(topicFolder, typeFolder, name, signal);
  const previous = standing.kind === "snapshot" ? standing.name : adopted;
  // Adopting a folder as `name` itself still turns the type path into a link.
  const changed = adopted !== undefined || previous !== name;
  if (changed) await switchLink(topicFolder, typeFolder, linkText, adopted, signal);
  await recordPublication(options, adopted);
  await removeLeftoverLinks(topicFolder, typeFolder, signal);
  return { previous, adopted, changed };
}

/** Classifies the type path (lstat: a link is never followed); throws for what must not be replaced. */
async function inspectTypePath(
  topicFolder: string,
  typeFolder: string,
  signal: AbortSignal,
): Promise<Standing> {
  const typePath = join(topicFolder, typeFolder);
  const stats = await lstatIfPresent(typePath, signal);
  if (stats === undefined) return { kind: "missing" };
  if (stats.isDirectory()) return { kind: "folder" };
  if (!stats.isSymbolicLink()) {
    throw refusedTypePath(typePath, stats.isFile() ? "it is a regular file" : "it is not a folder");
  }
  const text = await readlink(typePath).catch((error: unknown) =>
    throwLocalIo(error, signal, "read the link", typePath),
  );
  const name = snapshotOfLinkText(typeFolder, text);
  if (name !== undefined) return { kind: "snapshot", name };
  throw refusedTypePath(typePath, `it is a symlink to ${JSON.stringify(text)}, not a snapshot`);
}

function adoptionName(options: PublishSnapshotOptions): string {
  const typePath = join(options.topicFolder, options.typeFolder);
  if (options.adoptAs === undefined) {
    throw refusedTypePath(typePath, "it is a plain folder and no snapshot name to adopt it as");
  }
  return checkFolderName(options.adoptAs, "snapshot name");
}

/** Throws SNAPSHOT_MISSING unless `name` is a real folder in the snapshots area (no link on the way). */
async function requireSnapshot(
  topicFolder: string,
  typeFolder: string,
  name: string,
  signal: AbortSignal,
): Promise<void> {
  if ((await snapshotFolderStats(topicFolder, typeFolder, name, signal)) !== undefined) return;
  throw new LocalIOError(
    `Cannot publish the snapshot ${snapshotPath(topicFolder, typeFolder, name)}: it is not a folder.`,
    {
      code: "SNAPSHOT_MISSING",
      hint: "Assemble and verify the snapshot before publishing it.",
    },
  );
}

/**
 * Makes the link under a temporary name, then renames it over the type path, then fsyncs. The
 * first switch from a plain folder has a window of two renames (the folder into the snapshots
 * area, then the link into place) where the type path is missing; every later switch is one
 * atomic rename of a link over a link.
 */
async function switchLink(
  topicFolder: string,
  typeFolder: string,
  linkText: string,
  adopted: string | undefined,
  signal: AbortSignal,
): Promise<void> {
  const typePath = join(topicFolder, typeFolder);
  const tempPath = join(topicFolder, `${TEMP_PREFIX}${randomUUID()}`);
  try {
    await symlink(linkText, tempPath);
  } catch (error) {
    throwLocalIo(error, signal, "create the symlink", tempPath);
  }
  try {
    if (adopted !== undefined) await adoptFolder(topicFolder, typeFolder, adopted, signal);
    await rename(tempPath, typePath).catch(async (error: unknown) => {
      // Best effort: put the adopted folder back, so the type path is not left missing.
      if (adopted !== undefined) {
        await rename(snapshotPath(topicFolder, typeFolder, adopted), typePath).catch(() => {});
      }
      throw error;
    });
    await syncDirectory(topicFolder);
  } catch (error) {
    await unlink(tempPath).catch(() => undefined); // Best effort: the next publication clears it.
    throwLocalIo(error, signal, "switch the snapshot link", typePath);
  }
}

/**
 * Unlinks the temporary links a kill between symlink() and rename() left in the topic folder: a
 * link under the temporary prefix whose text is a snapshot of this type (only switchLink makes
 * those). Anything else there, a file or a folder or a foreign link, is left alone.
 */
async function removeLeftoverLinks(
  topicFolder: string,
  typeFolder: string,
  signal: AbortSignal,
): Promise<void> {
  const names = await readdir(topicFolder).catch((error: unknown) =>
    throwLocalIo(error, signal, "list", topicFolder),
  );
  for (const name of names.filter((entry) => entry.startsWith(TEMP_PREFIX))) {
    const path = join(topicFolder, name);
    // readlink fails (EINVAL) on anything but a link: that entry is not ours to remove.
    const text = await readlink(path).catch(() => undefined);
    if (text === undefined || snapshotOfLinkText(typeFolder, text) === undefined) continue;
    await unlink(path).catch((error: unknown) => throwLocalIo(error, signal, "remove", path));
  }
}

/** Moves the plain folder at the type path into the snapshots area as `adopted` (which must be free). */
async function adoptFolder(
  topicFolder: string,
  typeFolder: string,
  adopted: string,
  signal: AbortSignal,
): Promise<void> {
  await ensureDirectoryInside(topicFolder, snapshotsRelRoot(typeFolder), signal);
  const adoptedPath = snapshotPath(topicFolder, typeFolder, adopted);
  if ((await lstatIfPresent(adoptedPath, signal)) !== undefined) {
    throw refusedTypePath(adoptedPath, "the name to adopt the plain folder as is taken");
  }
  // rename never follows a link; both names sit on the topic folder's file system.
  await rename(join(topicFolder, typeFolder), adoptedPath);
  await syncDirectory(snapshotsRoot(topicFolder, typeFolder));
}

/** Appends the publication (and the adoption before it) to the log, unless already the newest. */
async function recordPublication(
  options: PublishSnapshotOptions,
  adopted: string | undefined,
): Promise<void> {
  const { topicFolder, typeFolder, name, signal } = options;
  const publishedAt = (options.now?.() ?? new Date()).toISOString();
  const logged = await readPublications(topicFolder, typeFolder, signal);
  let published = logged;
  if (adopted !== undefined) published = withPublication(published, { name: adopted, publishedAt });
  if (published.at(-1)?.name !== name)
    published = withPublication(published, { name, publishedAt });
  if (published === logged) return;
  await writePublications(topicFolder, typeFolder, published, signal);
}

function refusedTypePath(path: string, why: string): LocalIOError {
  return new LocalIOError(`Refusing to publish a snapshot at ${path}: ${why}.`, {
    code: "TYPE_PATH_REFUSED",
    hint: "Look at what stands there and move it away (dci-mirror removes nothing it did not make), then run again.",
  });
}
