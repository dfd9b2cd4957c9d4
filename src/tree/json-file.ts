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
