import { readFile } from "node:fs/promises";
import { hasErrno, throwLocalIo } from "./io-errors.js";

/**
 * Reads a bookkeeping JSON file: undefined when it is missing, unparsable or fails `isValid` (it
 * only ever saves work, so a damaged one is rebuilt, never an error); throws LocalIOError when the
 * disk refuses.
 */
export async function readJsonIfValid<T>(
  path: string,
  isValid: (value: unknown) => value is T,
  signal: AbortSignal,
): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, { encoding: "utf8", signal });
  } catch (error) {
    // Not written yet, or something odd stands where it should be: start without it.
    if (hasErrno(error, "ENOENT", "ENOTDIR", "EISDIR")) return undefined;
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

/**
 * `JSON.stringify(value)` in pieces, the same text once joined: arrays and plain objects down to
 * `depth` levels are opened up, anything deeper is one piece. Used to write a 20,000-entry
 * bookkeeping file without building it as one string.
 */
export function* jsonPieces(value: unknown, depth = 2): Generator<string> {
  if (depth <= 0 || typeof value !== "object" || value === null || !isPlainContainer(value)) {
    // As JSON.stringify inside an array: what has no JSON form (undefined, a function) is null.
    yield JSON.stringify(value) ?? "null";
    return;
  }
  if (Array.isArray(value)) {
    yield "[";
    for (const [index, item] of value.entries()) {
      if (index > 0) yield ",";
      yield* jsonPieces(item, depth - 1);
    }
    yield "]";
    return;
  }
  yield "{";
  let first = true;
  for (const [key, item] of Object.entries(value)) {
    // As JSON.stringify: a key whose value has no JSON form is left out.
    if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
    yield `${first ? "" : ","}${JSON.stringify(key)}:`;
    first = false;
    yield* jsonPieces(item, depth - 1);
  }
  yield "}";
}

function isPlainContainer(value: object): boolean {
  if (Array.isArray(value)) return true;
  const prototype: unknown = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && !("toJSON" in value);
}
