/**
 * Creating DEST's folders one level at a time, like `mkdir -p`, so a failure reports the errno of
 * the level that failed: Node's recursive mkdir reports ENOENT on a read-only file system (EROFS
 * was the truth) and never returns on /proc.
 */
import { lstat, mkdir, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { LocalIOError } from "../errors.js";
import { hasErrno, toLocalIoError } from "./io-errors.js";

/** Makes `path` and its missing parents a directory (existing links to folders are followed, as DEST may be one). Throws the raw fs error. */
export async function makeDirectories(path: string): Promise<void> {
  const missing: string[] = [];
  for (let current = resolve(path); ; current = dirname(current)) {
    try {
      // Exists: whatever stands there, the mkdir below it reports it (ENOTDIR for a file).
      await stat(current);
      break;
    } catch (error) {
      if (!hasErrno(error, "ENOENT") || dirname(current) === current) throw error;
      missing.push(current);
    }
  }
  for (const directory of missing.reverse()) {
    await mkdir(directory).catch(async (error: unknown) => {
      // Another creator won the race: fine when a folder now stands there.
      if (!hasErrno(error, "EEXIST") || !(await stat(directory)).isDirectory()) throw error;
    });
  }
}

/**
 * Makes `DEST/<topic>` a real folder (DEST itself may be a link, chosen by the user): the lock and
 * every component's bookkeeping live in it, so a symlink there, which would carry them out of
 * DEST, is refused, never followed. Throws LocalIOError.
 */
export async function makeTopicFolder(topicFolder: string): Promise<void> {
  try {
    await makeDirectories(dirname(topicFolder));
    const stats = await lstat(topicFolder).catch((error: unknown) => {
      if (hasErrno(error, "ENOENT")) return undefined;
      throw error;
    });
    if (stats?.isSymbolicLink() === true) throw symlinkedTopicError(topicFolder);
    if (stats === undefined) await makeDirectories(topicFolder);
  } catch (error) {
    throw toLocalIoError(error, "create the topic folder", topicFolder);
  }
}

function symlinkedTopicError(topicFolder: string): LocalIOError {
  return new LocalIOError(
    `Refusing the topic folder ${topicFolder}: it is a symlink, and the lock and the records kept in it must not leave DEST.`,
    {
      code: "UNSAFE_LOCAL_PATH",
      hint: "Replace the link by a real folder (move the mirror there), or give the folder the link points to's parent as DEST.",
    },
  );
}
