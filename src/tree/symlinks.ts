/**
 * Symlinks of the mirror. A link is made under a temporary name in its directory and renamed over
 * the old one, so the name always resolves to the old target or the new one, never to nothing.
 */
import { randomUUID } from "node:crypto";
import { lstat, readlink, rename, rm, symlink, unlink } from "node:fs/promises";
import { join, posix } from "node:path";
import { hasErrno, throwLocalIo } from "./io-errors.js";
import { syncDirectory, TEMP_PREFIX } from "./place.js";
import { ensureDirectoryInside, safeJoin, unsafeLocalPathError } from "./safe-join.js";

export type SymlinkChange = "created" | "updated" | "unchanged";

export interface PlaceSymlinkOptions {
  readonly root: string;
  /** Where the link goes, relative POSIX inside root. */
  readonly relPath: string;
  /** The link text, as listed (relative to the link's directory). */
  readonly target: string;
  readonly signal: AbortSignal;
}

/** Makes `root/relPath` a symlink to target (replacing a file, link or directory there); throws LocalIOError, UNSAFE_LOCAL_PATH when target leaves root. */
export async function placeSymlink(options: PlaceSymlinkOptions): Promise<SymlinkChange> {
  const { root, relPath, target, signal } = options;
  const linkPath = safeJoin(root, relPath);
  checkTargetInside(relPath, target);
  // Parents first: with a symlink among them, the lstat below would look outside root.
  const directory = await ensureDirectoryInside(root, posix.dirname(relPath), signal);
  try {
    const current = await lstat(linkPath).catch((error: unknown) => {
      if (hasErrno(error, "ENOENT")) return undefined;
      throw error;
    });
    if (current?.isSymbolicLink() && (await readlink(linkPath)) === target) return "unchanged";
    // rename cannot replace a directory; this one is inside root and not wanted there.
    if (current?.isDirectory()) await rm(linkPath, { recursive: true, force: true });
    const tempPath = join(directory, `${TEMP_PREFIX}${randomUUID()}`);
    await symlink(target, tempPath);
    await rename(tempPath, linkPath).catch(async (error: unknown) => {
      await unlink(tempPath).catch(() => undefined); // Best effort: a leftover is pruned next run.
      throw error;
    });
    await syncDirectory(directory);
    return current === undefined ? "created" : "updated";
  } catch (error) {
    throwLocalIo(error, signal, "create the symlink", linkPath);
  }
}

/**
 * Defence in depth: planning/safe-path.ts already validated the target. This lexical check cannot
 * see through other links of the tree, which is why every listed link is validated the same way.
 */
function checkTargetInside(relPath: string, target: string): void {
  const subject = `the symlink ${JSON.stringify(relPath)} -> ${JSON.stringify(target)}`;
  if (target === "" || target.includes("\0")) {
    throw unsafeLocalPathError(subject, "its target is empty or holds a NUL byte");
  }
  if (target.startsWith("/")) throw unsafeLocalPathError(subject, "its target is absolute");
  const resolved = posix.normalize(posix.join(posix.dirname(relPath), target));
  if (resolved === ".." || resolved.startsWith("../")) {
    throw unsafeLocalPathError(subject, "its target leaves the component folder");
  }
}
