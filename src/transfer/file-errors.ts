/**
 * How one file's download fails: the typed errors it ends with (each with a code, a message naming
 * the file, and a hint) and the Outcome of a failed file. Which failures stop more than the file
 * is failures.ts' decision.
 */
import { EXIT_CODES, IntegrityError, isMirrorError, NetworkError } from "../errors.js";
import { classify } from "../failures.js";
import type { Outcome, RemoteFile } from "../model.js";

/**
 * The outcome of a file that failed: a known MirrorError keeps its code; an interruption
 * (`isAbort`) is ABORTED; anything else keeps its errno-style code, or is UNEXPECTED (a bug). The
 * exit code is classify's.
 */
export function failedOutcome(
  path: string,
  error: unknown,
  { isAbort = false, bytesTransferred = 0 }: { isAbort?: boolean; bytesTransferred?: number } = {},
): Outcome {
  const known = isMirrorError(error);
  return {
    kind: "failed",
    path,
    code: known ? error.code : isAbort ? "ABORTED" : rawCode(error),
    message: error instanceof Error ? error.message : String(error),
    exitCode: !known && isAbort ? EXIT_CODES.interrupted : classify(error).exitCode,
    bytesTransferred,
  };
}

/** A system or undici error's own code (ECONNRESET, UND_ERR_…); UNEXPECTED for anything else. */
function rawCode(error: unknown): string {
  const code = error instanceof Error ? Reflect.get(error, "code") : undefined;
  return typeof code === "string" ? code : "UNEXPECTED";
}

function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}

/** A file whose retries are used up (DEFAULT_FILE_RETRY_BUDGET, or the backoff policy). */
export function gaveUpError(file: RemoteFile, attemptsMade: number, reason: string): NetworkError {
  return new NetworkError(`Gave up on ${file.path} after ${attemptsMade} attempts: ${reason}.`, {
    code: "DOWNLOAD_FAILED",
    hint: "The object store kept failing; run again later (partial files are kept and resumed).",
  });
}

/** Downloaded bytes whose sha256 (or length, when `digest` is "") is not the listed one. */
export function integrityError(
  file: RemoteFile,
  digest: string,
  { isSecond }: { isSecond: boolean },
): IntegrityError {
  const got = digest === "" ? "more bytes than listed" : `sha256 ${digest}`;
  const times = isSecond ? ", twice" : "";
  return new IntegrityError(`${file.path}: got ${got}, expected sha256 ${file.sha256}${times}.`, {
    code: "SHA256_MISMATCH",
    hint: "The server keeps sending other bytes than its files list promises; report it to your Red Hat contact. Nothing was placed.",
  });
}

/**
 * The store states another size for the object than the files list (a 200's Content-Length, a
 * 206's or a 416's Content-Range total): no retry can complete the file.
 */
export function sizeMismatchError(file: RemoteFile, storedBytes: number): IntegrityError {
  return new IntegrityError(
    `${file.path}: the object store holds ${formatCount(storedBytes)} bytes but the files list says ${formatCount(file.sizeBytes)}.`,
    {
      code: "SIZE_MISMATCH",
      hint: "The component's files list and its objects disagree; report it to your Red Hat contact. Nothing was placed for this file.",
    },
  );
}
