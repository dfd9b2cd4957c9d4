/**
 * The error hierarchy of dci-mirror. Every failure a user can meet is one of these classes, with a
 * stable `code`, the process exit code it maps to, and a `hint` saying what to do next.
 * Messages never contain secrets, Authorization headers or presigned query strings.
 */

/** The short name of a failure for messages: its errno-style `code` (ECONNRESET, UND_ERR_…), else its class name. */
export function errorCode(error: unknown, fallback: string): string {
  const code = typeof error === "object" && error !== null ? Reflect.get(error, "code") : undefined;
  if (typeof code === "string") return code;
  return error instanceof Error ? error.name : fallback;
}

/** Exit codes, one table for the CLI, the README and `--help`. */
export const EXIT_CODES = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  auth: 3,
  notFound: 4,
  network: 5,
  integrity: 6,
  localIo: 7,
  locked: 8,
  pruneLimit: 9,
  imagesNotCopied: 10,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

export interface MirrorErrorOptions {
  readonly code: string;
  readonly hint?: string;
  readonly cause?: unknown;
}

/** Base class: never thrown directly, always through one of the subclasses below. */
export class MirrorError extends Error {
  override name = "MirrorError";
  readonly code: string;
  readonly hint: string;
  readonly exitCode: ExitCode = EXIT_CODES.unexpected;

  constructor(message: string, options: MirrorErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.hint = options.hint ?? "";
  }
}

/** Bad flags, settings or library options. */
export class UsageError extends MirrorError {
  override name = "UsageError";
  override readonly exitCode = EXIT_CODES.usage;
}

/** The server refused the credentials or the signature (HTTP 400 HmacMechanism, 401, 403, 412). */
export class AuthError extends MirrorError {
  override name = "AuthError";
  override readonly exitCode = EXIT_CODES.auth;
}

/** A topic, component or file is missing, or the credentials may not see it. */
export class NotFoundError extends MirrorError {
  override name = "NotFoundError";
  override readonly exitCode = EXIT_CODES.notFound;
}

/** The network failed or the server kept failing after every retry. */
export class NetworkError extends MirrorError {
  override name = "NetworkError";
  override readonly exitCode = EXIT_CODES.network;
}

/**
 * A server's TLS certificate was refused (unknown CA, another host's name, expired): no retry can
 * change it, so it stops the run at the first connection (exit 5, as any network failure).
 */
export class CertificateError extends NetworkError {
  override name = "CertificateError";
}

/** The server answered something the client cannot use (bad JSON shape, unexpected status). */
export class ApiShapeError extends MirrorError {
  override name = "ApiShapeError";
  override readonly exitCode = EXIT_CODES.network;
}

/**
 * The resource changed since the caller read it (a stale etag): the request was refused and nothing
 * changed. A usage error: the caller re-reads the resource and retries with its current etag.
 */
export class ConflictError extends MirrorError {
  override name = "ConflictError";
  override readonly exitCode = EXIT_CODES.usage;
}

/** Downloaded bytes did not match the files list even after one fresh download. */
export class IntegrityError extends MirrorError {
  override name = "IntegrityError";
  override readonly exitCode = EXIT_CODES.integrity;
}

/** The local disk refused: no space, no permission, read-only file system. */
export class LocalIOError extends MirrorError {
  override name = "LocalIOError";
  override readonly exitCode = EXIT_CODES.localIo;
}

export interface UnsafePathErrorOptions {
  /** The offending entry as the server sent it. */
  readonly entry: string;
  /** Why it is unsafe, a clause such as "it has a '..' segment". */
  readonly reason: string;
  /** Where the entry came from, e.g. "the files list of component RHEL-9.4.0-20240419.5". */
  readonly source: string;
  readonly hint?: string;
}

/** A path, name or symlink target from the server that would be unsafe to write (exit 6). */
export class UnsafePathError extends IntegrityError {
  override name = "UnsafePathError";
  readonly entry: string;
  readonly reason: string;

  constructor(options: UnsafePathErrorOptions) {
    const source = options.source;
    super(`Unsafe entry ${JSON.stringify(options.entry)} in ${source}: ${options.reason}.`, {
      code: "UNSAFE_PATH",
      hint:
        options.hint ??
        `${source.charAt(0).toUpperCase()}${source.slice(1)} holds an unsafe entry; nothing was written. Report it to your Red Hat contact.`,
    });
    this.entry = options.entry;
    this.reason = options.reason;
  }
}

/** Another run holds the topic lock. */
export class LockedError extends MirrorError {
  override name = "LockedError";
  override readonly exitCode = EXIT_CODES.locked;
}

/** A component would lose more entries than --max-delete allows: nothing of it was removed. */
export class PruneLimitError extends MirrorError {
  override name = "PruneLimitError";
  override readonly exitCode = EXIT_CODES.pruneLimit;
}

/**
 * `--registry` was asked, but a component's container images were not copied (no registry
 * credentials on its topic, or skopeo failed). Its files were still mirrored.
 */
export class ImagesNotCopiedError extends MirrorError {
  override name = "ImagesNotCopiedError";
  override readonly exitCode = EXIT_CODES.imagesNotCopied;
}

/** The run was stopped by SIGINT or SIGTERM. */
export class InterruptedError extends MirrorError {
  override name = "InterruptedError";
  override readonly exitCode = EXIT_CODES.interrupted;
}

/** True for any dci-mirror error, even across two loaded copies of the package. */
export function isMirrorError(value: unknown): value is MirrorError {
  // Unlike `instanceof`, a duck-typed check also holds when two copies of the package are loaded.
  return (
    value instanceof MirrorError ||
    (value instanceof Error &&
      typeof Reflect.get(value, "code") === "string" &&
      typeof Reflect.get(value, "exitCode") === "number" &&
      typeof Reflect.get(value, "hint") === "string")
  );
}
