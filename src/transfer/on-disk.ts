/**
 * The local file-system calls of a download: their failure is a LocalIOError (exit 7) naming the
 * path and what the errno means, never a network error to retry.
 */
import { throwLocalIo } from "../tree/io-errors.js";
import { PartialChangedError } from "./partial-writer.js";

/**
 * Runs a local file-system call for `path`: its failure is a LocalIOError (exit 7) naming the
 * path and what the errno means, never a network error to retry. Failures are told apart by where
 * they are thrown (here, or the body stream), not guessed from the errno. A PartialChangedError
 * passes through unchanged: the download starts that file again.
 */
export async function onDisk<T>(
  action: string,
  path: string,
  signal: AbortSignal,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PartialChangedError) throw error;
    throwLocalIo(error, signal, action, path);
  }
}
