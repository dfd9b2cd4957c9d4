import { describe, expect, it } from "vitest";
import {
  ApiShapeError,
  AuthError,
  CertificateError,
  EXIT_CODES,
  IntegrityError,
  InterruptedError,
  LocalIOError,
  LockedError,
  NetworkError,
  NotFoundError,
  PruneLimitError,
  UnsafePathError,
  UsageError,
} from "../src/errors.js";
import { classify, LOCAL_ERRNOS, reachesBeyondFile, stopsRun } from "../src/failures.js";

function errnoError(code: string): Error {
  return Object.assign(new Error(`${code}: something`), { code });
}

describe("classify", () => {
  it.each([
    [new InterruptedError("x", { code: "INTERRUPTED" }), "run", false, EXIT_CODES.interrupted],
    [new AuthError("x", { code: "AUTH" }), "run", false, EXIT_CODES.auth],
    [new UsageError("x", { code: "USAGE" }), "run", false, EXIT_CODES.usage],
    [new LocalIOError("x", { code: "NO_SPACE" }), "topic", false, EXIT_CODES.localIo],
    [new LockedError("x", { code: "LOCKED" }), "topic", false, EXIT_CODES.locked],
    [
      new UnsafePathError({ entry: "../x", reason: "it climbs", source: "the list" }),
      "topic",
      false,
      EXIT_CODES.integrity,
    ],
    [new ApiShapeError("x", { code: "FILES_LIST_EMPTY" }), "component", false, EXIT_CODES.network],
    [new PruneLimitError("x", { code: "PRUNE_LIMIT" }), "component", false, EXIT_CODES.pruneLimit],
    [new IntegrityError("x", { code: "SHA256_MISMATCH" }), "file", false, EXIT_CODES.integrity],
    [new NotFoundError("x", { code: "FILE_NOT_FOUND" }), "file", false, EXIT_CODES.notFound],
    [new NetworkError("x", { code: "DOWNLOAD_FAILED" }), "file", true, EXIT_CODES.network],
    [errnoError("ECONNRESET"), "file", true, EXIT_CODES.network],
    [errnoError("UND_ERR_SOCKET"), "file", true, EXIT_CODES.network],
    [new CertificateError("x", { code: "TLS_CERT_UNKNOWN_CA" }), "run", false, EXIT_CODES.network],
    [errnoError("SELF_SIGNED_CERT_IN_CHAIN"), "file", false, EXIT_CODES.network],
    [errnoError("ERR_TLS_CERT_ALTNAME_INVALID"), "file", false, EXIT_CODES.network],
    [new TypeError("a bug"), "file", false, EXIT_CODES.unexpected],
  ] as const)("%s: %s scope, retryable %s, exit %i", (error, scope, retryable, exitCode) => {
    expect(classify(error)).toEqual({ scope, retryable, exitCode });
  });

  it.each([...LOCAL_ERRNOS])("never retries the local errno %s, and stops the topic", (code) => {
    expect(classify(errnoError(code))).toEqual({
      scope: "topic",
      retryable: false,
      exitCode: EXIT_CODES.localIo,
    });
  });

  it("covers the disk faults a lab meets", () => {
    for (const code of ["ENOSPC", "EROFS", "EACCES", "EDQUOT", "EIO"])
      expect(LOCAL_ERRNOS.has(code)).toBe(true);
  });

  it("answers the two questions the stages ask", () => {
    expect(reachesBeyondFile(errnoError("ENOSPC"))).toBe(true);
    expect(reachesBeyondFile(errnoError("ECONNRESET"))).toBe(false);
    expect(stopsRun(new AuthError("x", { code: "AUTH" }))).toBe(true);
    expect(stopsRun(new LocalIOError("x", { code: "NO_SPACE" }))).toBe(false);
  });
});
