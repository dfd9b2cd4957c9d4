/**
 * Turns relative POSIX paths from the files list into paths inside a root, and creates directories
 * so that no component of them is a symlink: nothing the tool writes can land outside DEST.
 */
import { lstat, mkdir, unlink } from "node:fs/promises";
import { join } from "node:path";
import { LocalIOError } from "../errors.js";
import { hasErrno, throwLocalIo } from "./io-errors.js";
import { makeDirectories } from "./make-directory.js";

/** The error for a path or link target that would leave the root. */
export function unsafeLocalPathError(subject: string, why: string): LocalIOError {
  return new LocalIOError(`Refusing ${subject}: ${why}.`, {
    code: "UNSAFE_LOCAL_PATH",
    hint: "The files list names a path outside the component folder; report it to the component's owner.",
  });
}

function unsafe(relPath: string, why: string): LocalIOError {
  return unsafeLocalPathError(`the local path ${JSON.stringify(relPath)}`, why);
}

/** The segments of a relative POSIX path; throws LocalIOError UNSAFE_LOCAL_PATH when unsafe. */
export function safeSegments(relPath: string): string[] {
  if (relPath === "") throw unsafe(relPath, "it is empty");
  if (relPath.includes("\0")) throw unsafe(relPath, "it contains a NUL byte");
  if (relPath.startsWith("/")) throw unsafe(relPath, "it is absolute");
  const segments = relPath.split("/");
  for (const segment of segments) {
    if (segment === "") throw unsafe(relPath, "it has an empty segment");
    if (segment === "." || segment === "..") throw unsafe(relPath, `it has a "${segment}" segment`);
  }
  return segments;
}

/** Joins a relative POSIX path onto root; throws LocalIOError UNSAFE_LOCAL_PATH for absolute, `..`, `.`, empty segments or NUL. */
export function safeJoin(root: string, relPath: string): string {
  return join(root, ...safeSegments(relPath));
}

/**
 * Makes `root/relDir` a real directory (`""` or `"."`: root itself), one segment at a time: a
 * symlink, file or other entry standing where a directory is needed is removed first, so no later
 * write can go through a link out of root. Returns the directory's path; throws LocalIOError.
 */
export async function ensureDirectoryInside(
  root: string,
  relDir: string,
  signal: AbortSignal,
): Promise<string> {
  // Root itself is DEST/<topic>/<type>, chosen by the user: it may legitimately be (or sit under) a link.
  await makeDirectories(root).catch((error: unknown) =>
    throwLocalIo(error, signal, "create the directory", root),
  );
  let current = root;
  if (relDir === "" || relDir === ".") return current;
  for (const segment of safeSegments(relDir)) {
    signal.throwIfAborted();
    current = join(current, segment);
    await ensureRealDirectory(current, signal);
  }
  return current;
}

async function ensureRealDirectory(path: string, signal: AbortSignal): Promise<void> {
  try {
    const stats = await lstat(path).catch((error: unknown) => {
      if (hasErrno(error, "ENOENT")) return undefined;
      throw error;
    });
    if (stats?.isDirectory()) return;
    if (stats !== undefined) {
      // A symlink here could point out of root; a file blocks the directory. Both are ours to replace.
      // unlink never follows the link, and removes files and fifos alike.
      await unlink(path);
    }
    await mkdir(path).catch(async (error: unknown) => {
      // Lost a race with another creator: fine only if what now stands there is a real directory.
      if (!hasErrno(error, "EEXIST") || !(await lstat(path)).isDirectory()) throw error;
    });
  } catch (error) {
    throwLocalIo(error, signal, "create the directory", path);
  }
}
