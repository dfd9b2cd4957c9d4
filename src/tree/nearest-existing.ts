/**
 * DEST may not exist yet: questions about its file system go to its nearest existing ancestor.
 */
import { dirname, resolve } from "node:path";
import { hasErrno, toLocalIoError } from "./io-errors.js";

/**
 * `ask(p)` for `path`, or for its nearest existing ancestor when `path` (or a level of it) does not
 * exist. Any other failure throws LocalIOError "could not `action` `path`".
 */
export async function askNearestExisting<T>(
  path: string,
  action: string,
  ask: (existingPath: string) => Promise<T>,
): Promise<T> {
  let current = resolve(path);
  for (;;) {
    try {
      return await ask(current);
    } catch (error) {
      const parent = dirname(current);
      if (!hasErrno(error, "ENOENT", "ENOTDIR") || parent === current) {
        throw toLocalIoError(error, action, path);
      }
      current = parent;
    }
  }
}
