/**
 * The publication log of a type's snapshots, `<snapshots root>/.dci-mirror-published.json`: which
 * snapshots the type path was switched to, and when, oldest first. Retention and rollback read the
 * order from it. Its name starts with the reserved prefix, so no snapshot can ever be called that.
 */
import { BOOKKEEPING_PREFIX } from "./bookkeeping.js";
import { jsonText, readBookkeepingJson } from "./json-file.js";
import { writeFileAtomic } from "./place.js";
import { isSafeFolderName, snapshotsRelRoot } from "./snapshot-paths.js";

export const PUBLISHED_LOG_NAME = `${BOOKKEEPING_PREFIX}-published.json`;

/** One publication: the snapshot name and the ISO time the type path was switched to it. */
export interface Publication {
  readonly name: string;
  readonly publishedAt: string;
}

interface PublishedLog {
  /** Oldest first; a name appears at most once (its latest publication). */
  readonly published: readonly Publication[];
}

function isPublication(value: unknown): value is Publication {
  if (typeof value !== "object" || value === null) return false;
  const name: unknown = Reflect.get(value, "name");
  const publishedAt: unknown = Reflect.get(value, "publishedAt");
  return typeof name === "string" && isSafeFolderName(name) && typeof publishedAt === "string";
}

function isPublishedLog(value: unknown): value is PublishedLog {
  if (typeof value !== "object" || value === null) return false;
  const published: unknown = Reflect.get(value, "published");
  return Array.isArray(published) && published.every(isPublication);
}

function logRelPath(typeFolder: string): string {
  return `${snapshotsRelRoot(typeFolder)}/${PUBLISHED_LOG_NAME}`;
}

/**
 * The publications of a type, oldest first. A missing or damaged log reads as empty: every
 * snapshot then counts as unpublished, which retention never removes. Throws LocalIOError.
 */
export async function readPublications(
  topicFolder: string,
  typeFolder: string,
  signal: AbortSignal,
): Promise<Publication[]> {
  const log = await readBookkeepingJson(
    topicFolder,
    logRelPath(typeFolder),
    isPublishedLog,
    signal,
  );
  return [...(log?.published ?? [])];
}

/** Writes the publications (oldest first) atomically; throws LocalIOError. */
export async function writePublications(
  topicFolder: string,
  typeFolder: string,
  published: readonly Publication[],
  signal: AbortSignal,
): Promise<void> {
  const log: PublishedLog = { published };
  await writeFileAtomic(topicFolder, logRelPath(typeFolder), jsonText(log), signal);
}

/** The publications with `publication` as the newest (an earlier entry of its name dropped). */
export function withPublication(
  published: readonly Publication[],
  publication: Publication,
): Publication[] {
  return [...published.filter((entry) => entry.name !== publication.name), publication];
}
