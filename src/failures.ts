/**
 * The one place that decides what a failure means for the run: how far it reaches (this file, this
 * component, this topic, or the whole run), whether another attempt may help, and the exit code
 * it leads to. Every stage asks `classify`; the error classes themselves (errors.ts) only say what
 * happened. Pure.
 */
import { EXIT_CODES, type ExitCode, isMirrorError } from "./errors.js";

/**
 * How far a failure reaches. `file`: only the item that raised it fails (a file's transfer; raised
 * outside a transfer, the step that asked fails its topic). `component`: the rest of that component
 * is skipped. `topic`: the topic stops, other topics go on. `run`: everything stops.
 */
export type FailureScope = "file" | "component" | "topic" | "run";

export interface Failure {
  readonly scope: FailureScope;
  /** True when a later attempt of the same request may succeed (network trouble, server errors). */
  readonly retryable: boolean;
  readonly exitCode: ExitCode;
}

/**
 * Errnos of the local machine (the disk, its permissions, the process' limits): another request
 * cannot fix them, so they are never retried as network errors, and they stop the topic (its files
 * share the disk).
 */
export const LOCAL_ERRNOS: ReadonlySet<string> = new Set([
  "ENOSPC",
  "EDQUOT",
  "EROFS",
  "EACCES",
  "EPERM",
  "EIO",
  "EMFILE",
  "ENFILE",
  "ENAMETOOLONG",
  "ELOOP",
  "EFBIG",
  "ENOTDIR",
  "EISDIR",
]);

/** Failure codes (MirrorError.code) that concern one component's content, not its topic. */
const COMPONENT_CODES: ReadonlySet<string> = new Set([
  "FILES_LIST_EMPTY",
  "FILES_LIST_FILTERED_EMPTY",
  // Raised for one component (its package filters match nothing); for a topic that selected no
  // component it is raised before any component, and its topic fails alone.
  "NOTHING_SELECTED",
]);

/**
 * OpenSSL's and Node's codes for a certificate the client refused: the next attempt would meet the
 * same certificate, so they are never retried.
 */
export const CERTIFICATE_CODES: ReadonlySet<string> = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "HOSTNAME_MISMATCH",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_REVOKED",
  "CERT_CHAIN_TOO_LONG",
  "INVALID_CA",
  "INVALID_PURPOSE",
]);

const BY_CLASS: Readonly<Record<string, Failure>> = {
  InterruptedError: { scope: "run", retryable: false, exitCode: EXIT_CODES.interrupted },
  AuthError: { scope: "run", retryable: false, exitCode: EXIT_CODES.auth },
  UsageError: { scope: "run", retryable: false, exitCode: EXIT_CODES.usage },
  ConflictError: { scope: "run", retryable: false, exitCode: EXIT_CODES.usage },
  LocalIOError: { scope: "topic", retryable: false, exitCode: EXIT_CODES.localIo },
  LockedError: { scope: "topic", retryable: false, exitCode: EXIT_CODES.locked },
  PruneLimitError: { scope: "component", retryable: false, exitCode: EXIT_CODES.pruneLimit },
  ImagesNotCopiedError: {
    scope: "component",
    retryable: false,
    exitCode: EXIT_CODES.imagesNotCopied,
  },
  UnsafePathError: { scope: "topic", retryable: false, exitCode: EXIT_CODES.integrity },
  IntegrityError: { scope: "file", retryable: false, exitCode: EXIT_CODES.integrity },
  NotFoundError: { scope: "file", retryable: false, exitCode: EXIT_CODES.notFound },
  ApiShapeError: { scope: "file", retryable: false, exitCode: EXIT_CODES.network },
  NetworkError: { scope: "file", retryable: true, exitCode: EXIT_CODES.network },
  // Every request of a run goes to the same API and store hosts: one refused certificate is all of them.
  CertificateError: { scope: "run", retryable: false, exitCode: EXIT_CODES.network },
};

const UNEXPECTED: Failure = { scope: "file", retryable: false, exitCode: EXIT_CODES.unexpected };

function errnoOf(error: unknown): string | undefined {
  const code = error instanceof Error ? Reflect.get(error, "code") : undefined;
  return typeof code === "string" ? code : undefined;
}

/**
 * What `error` means for the run. A dci-mirror error is judged by its class (and a few codes); a
 * raw error with a code by that code: a local errno stops the topic and is never retried, a refused
 * certificate is never retried, any other (ECONNRESET, UND_ERR_…, HPE_…) is network trouble worth
 * another attempt. Anything else is
 * a bug: it fails the item that met it, with exit code 1.
 */
export function classify(error: unknown): Failure {
  if (isMirrorError(error)) {
    if (COMPONENT_CODES.has(error.code))
      return { scope: "component", retryable: false, exitCode: error.exitCode };
    const known = BY_CLASS[error.name];
    if (known !== undefined) return known;
    return { scope: "file", retryable: false, exitCode: error.exitCode };
  }
  const errno = errnoOf(error);
  if (errno !== undefined && LOCAL_ERRNOS.has(errno))
    return { scope: "topic", retryable: false, exitCode: EXIT_CODES.localIo };
  if (errno !== undefined && CERTIFICATE_CODES.has(errno))
    return { scope: "file", retryable: false, exitCode: EXIT_CODES.network };
  if (errno !== undefined) return { scope: "file", retryable: true, exitCode: EXIT_CODES.network };
  return UNEXPECTED;
}

/** True when the failure reaches beyond the item that raised it (a file's transfer stops others). */
export function reachesBeyondFile(error: unknown): boolean {
  return classify(error).scope !== "file";
}

/** True when the failure stops everything, not just one topic. */
export function stopsRun(error: unknown): boolean {
  return classify(error).scope === "run";
}
