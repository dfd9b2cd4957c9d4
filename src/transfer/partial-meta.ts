/**
 * A partial's meta file: whose bytes the partial holds (path, expected sha256, and the object's
 * strong ETag), written before its first byte so a later run can resume it. Smaller files get none.
 */
import { join } from "node:path";
import type { RemoteFile } from "../model.js";
import { partialBaseName, partialDir } from "./partial-names.js";
import { createFresh, openToRead, unlinkEntry } from "./partial-open.js";

export interface PartialMeta {
  readonly path: string;
  readonly sha256: string;
  /** The object's strong ETag when the first byte was written; resumes send it as If-Range. */
  readonly etag?: string;
}

/**
 * Smaller files get no meta file, so a partial of theirs is never resumed across runs: losing at
 * most this much is cheaper than the extra writes for every small file.
 */
const RESUMABLE_MIN_BYTES = 1024 * 1024;

function metaFilePath(componentFolder: string, file: RemoteFile): string {
  return join(partialDir(componentFolder), `${partialBaseName(file)}.json`);
}

function isMeta(value: unknown): value is PartialMeta {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof Reflect.get(value, "path") === "string" &&
    typeof Reflect.get(value, "sha256") === "string"
  );
}

/** The meta file at `metaPath`, or undefined when it is missing, torn or a symlink. */
export async function readMeta(metaPath: string): Promise<PartialMeta | undefined> {
  try {
    const handle = await openToRead(metaPath);
    try {
      const parsed: unknown = JSON.parse(await handle.readFile("utf8"));
      return isMeta(parsed) ? parsed : undefined;
    } finally {
      await handle.close();
    }
  } catch {
    // A missing, torn or symlinked meta file makes the partial unusable: it is downloaded afresh.
    return undefined;
  }
}

/**
 * Records who the partial's bytes belong to, before the first byte is written (large files only).
 * Rejects with the raw errno error on I/O failure.
 */
export async function writePartialMeta(
  componentFolder: string,
  file: RemoteFile,
  etag: string | undefined,
): Promise<void> {
  if (file.sizeBytes < RESUMABLE_MIN_BYTES) return;
  const meta: PartialMeta = {
    path: file.path,
    sha256: file.sha256,
    ...(etag === undefined ? {} : { etag }),
  };
  const handle = await createFresh(metaFilePath(componentFolder, file));
  try {
    await handle.writeFile(JSON.stringify(meta));
  } finally {
    await handle.close();
  }
}

/** Deletes a partial's meta after the partial was placed (small files have none). */
export async function removePartial(componentFolder: string, file: RemoteFile): Promise<void> {
  if (file.sizeBytes < RESUMABLE_MIN_BYTES) return;
  // The .part itself was renamed into place; only its meta is left.
  await unlinkEntry(metaFilePath(componentFolder, file));
}
