import { constants } from "node:fs";
import { lstat, readFile } from "node:fs/promises";
import { join } from "node:path";
import { hasErrno, throwLocalIo } from "./io-errors.js";

/** Opens for reading without following a symlink at the last name (ELOOP instead). */
const READ_NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW;

/**
 * Reads the bookkeeping file `root/relPath` (e.g. `.dci-mirror/state.json`) like readJsonIfValid,
 * but only through real folders: a symlink at `.dci-mirror` (or the file's name) could point out of
 * DEST, and what it leads to is not ours to trust, so the file counts as missing (the next write
 * replaces the link itself). Throws LocalIOError when the disk refuses.
 */
export async function readBookkeepingJson<T>(
  root: string,
  relPath: string,
  isValid: (value: unknown) => value is T,
  signal: AbortSignal,
): Promise<T | undefined> {
  const segments = relPath.split("/");
  let folder = root;
  for (const segment of segments.slice(0, -1)) {
    folder = join(folder, segment);
    const stats = await lstat(folder).catch(() => undefined);
    if (stats?.isDirectory() !== true) return undefined;
  }
  return readJsonIfValid(join(root, relPath), isValid, signal);
}

/**
 * Reads a bookkeeping JSON file: undefined when it is missing, a symlink, unparsable or fails
 * `isValid` (it only ever saves work, so a damaged one is rebuilt, never an error); throws LocalIOError when the
 * disk refuses.
 */
export async function readJsonIfValid<T>(
  path: string,
  isValid: (value: unknown) => value is T,
  signal: AbortSignal,
): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, { encoding: "utf8", flag: READ_NO_FOLLOW, signal });
  } catch (error) {
    // Not written yet, or something odd stands where it should be (ELOOP: a symlink, never
    // followed): start without it.
    if (hasErrno(error, "ENOENT", "ENOTDIR", "EISDIR", "ELOOP")) return undefined;
    throwLocalIo(error, signal, "read", path);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return isValid(parsed) ? parsed : undefined;
  } catch {
    // A torn or hand-edited file only costs the work it would have saved.
    return undefined;
  }
}

/** A bookkeeping file's text, `JSON.stringify(value)` and a newline, as writeFileAtomic pieces. */
export function jsonText(value: unknown): () => Iterable<string> {
  return function* () {
    yield* jsonPieces(value);
    yield "\n";
  };
}

/** How many entries of a container are stringified together, natively, into one piece. */
const RUN_ENTRIES = 256;

/**
 * `JSON.stringify(value)` in pieces, the same text once joined: arrays and plain objects down to
 * `depth` levels are opened up; their other entries are stringified RUN_ENTRIES at a time by
 * JSON.stringify itself (one call per entry was 2-3 times slower on a 20,000-entry record). Used to
 * write a 20,000-entry bookkeeping file without building it as one string.
 */
export function* jsonPieces(value: unknown, depth = 2): Generator<string> {
  if (depth <= 0 || !isPlainContainer(value)) {
    // As JSON.stringify inside an array: what has no JSON form (undefined, a function) is null.
    yield JSON.stringify(value) ?? "null";
    return;
  }
  const keys = Array.isArray(value) ? undefined : Object.keys(value);
  const count = keys?.length ?? (value as unknown[]).length;
  const entry = (index: number): unknown =>
    keys === undefined ? (value as unknown[])[index] : Reflect.get(value, keys[index] ?? "");
  yield keys === undefined ? "[" : "{";
  let separator = "";
  let runStart = 0;
  for (let index = 0; index <= count; index++) {
    const opens = index < count && depth > 1 && isPlainContainer(entry(index));
    if (index < count && !opens && index - runStart < RUN_ENTRIES) continue;
    const text = runText(value, keys, runStart, index);
    if (text !== "") {
      yield `${separator}${text}`;
      separator = ",";
    }
    runStart = index;
    if (!opens) continue;
    yield `${separator}${keys === undefined ? "" : `${JSON.stringify(keys[index])}:`}`;
    separator = ",";
    yield* jsonPieces(entry(index), depth - 1);
    runStart = index + 1;
  }
  yield keys === undefined ? "]" : "}";
}

/** Entries `from` to `to` (exclusive) as JSON.stringify writes them inside their container. */
function runText(value: object, keys: string[] | undefined, from: number, to: number): string {
  if (from >= to) return "";
  if (keys === undefined) return JSON.stringify((value as unknown[]).slice(from, to)).slice(1, -1);
  // No prototype, so a "__proto__" key is an entry like any other.
  const run: Record<string, unknown> = Object.create(null);
  for (const key of keys.slice(from, to)) run[key] = Reflect.get(value, key);
  return JSON.stringify(run).slice(1, -1);
}

function isPlainContainer(value: unknown): value is object {
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return true;
  const prototype: unknown = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && !("toJSON" in value);
}
