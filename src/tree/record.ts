/**
 * The verified-files record `<component folder>/.dci-mirror/state.json`: which files were last
 * hashed, and their size, mtime and inode at that moment. It only saves work (a file it no longer
 * vouches for is hashed again), so a missing or damaged record is never an error.
 */
import type { VerifiedEntry, VerifiedRecord } from "../model.js";
import { BOOKKEEPING_PREFIX } from "./bookkeeping.js";
import { jsonText, readBookkeepingJson } from "./json-file.js";
import { writeFileAtomic } from "./place.js";

const RECORD_REL_PATH = `${BOOKKEEPING_PREFIX}/state.json`;
const SCHEMA = "dci-mirror/state/1";

/** The record of a component folder, or undefined when it is missing, garbled or of another schema; throws LocalIOError only when the disk refuses. */
export async function readRecord(
  componentFolder: string,
  signal: AbortSignal,
): Promise<VerifiedRecord | undefined> {
  return readBookkeepingJson(componentFolder, RECORD_REL_PATH, isVerifiedRecord, signal);
}

/** Replaces the record atomically (temp file, fsync, rename, fsync of the directory). Throws LocalIOError. */
export async function writeRecord(
  componentFolder: string,
  record: VerifiedRecord,
  signal: AbortSignal,
): Promise<void> {
  await writeFileAtomic(componentFolder, RECORD_REL_PATH, jsonText(record), signal);
}

function isVerifiedRecord(value: unknown): value is VerifiedRecord {
  if (typeof value !== "object" || value === null) return false;
  const files: unknown = Reflect.get(value, "files");
  return (
    Reflect.get(value, "schema") === SCHEMA &&
    typeof Reflect.get(value, "componentId") === "string" &&
    typeof Reflect.get(value, "componentName") === "string" &&
    typeof files === "object" &&
    files !== null &&
    !Array.isArray(files) &&
    Object.values(files).every(isVerifiedEntry)
  );
}

function isVerifiedEntry(value: unknown): value is VerifiedEntry {
  if (typeof value !== "object" || value === null) return false;
  const sizeBytes: unknown = Reflect.get(value, "sizeBytes");
  const mtimeMs: unknown = Reflect.get(value, "mtimeMs");
  const ino: unknown = Reflect.get(value, "ino");
  const sha256: unknown = Reflect.get(value, "sha256");
  return (
    typeof sizeBytes === "number" &&
    Number.isSafeInteger(sizeBytes) &&
    sizeBytes >= 0 &&
    typeof mtimeMs === "number" &&
    Number.isFinite(mtimeMs) &&
    typeof ino === "number" &&
    Number.isFinite(ino) &&
    typeof sha256 === "string" &&
    /^[0-9a-f]{64}$/.test(sha256)
  );
}
