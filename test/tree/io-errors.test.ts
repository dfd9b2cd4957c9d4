import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LocalIOError, LockedError } from "../../src/errors.js";
import { errnoOf, throwLocalIo, toLocalIoError } from "../../src/tree/io-errors.js";

function systemError(code: string): Error {
  return Object.assign(new Error(`${code}: something failed`), { code });
}

describe("toLocalIoError", () => {
  it.each([
    [
      "ENOSPC",
      "NO_SPACE",
      "No space left on the device holding /dest/a.rpm",
      "choose another DEST",
    ],
    ["EACCES", "PERMISSION_DENIED", "Permission denied", "run as the user who owns it"],
    ["EPERM", "PERMISSION_DENIED", "Permission denied", "ownership and permissions"],
    ["EROFS", "READ_ONLY_FS", "Read-only file system", "read-write"],
    ["EDQUOT", "QUOTA", "quota exceeded", "quota"],
    ["EMFILE", "TOO_MANY_FILES", "Too many open files", "ulimit -n"],
    ["ENFILE", "TOO_MANY_FILES", "Too many open files", "ulimit -n"],
    ["EIO", "DISK_FAILED", "input/output error: the disk or its driver failed", "dmesg"],
    ["ENAMETOOLONG", "NAME_TOO_LONG", "name too long", "shorter DEST"],
    ["ELOOP", "SYMLINK_REFUSED", "symbolic link", "remove the link"],
    ["EFBIG", "FILE_TOO_LARGE", "too large for the file system", "another DEST"],
    ["ENOTDIR", "NOT_A_DIRECTORY", "not a directory", "Remove or rename"],
    ["EISDIR", "IS_A_DIRECTORY", "is a directory", "Remove or rename"],
    ["EEXIST", "LOCAL_IO", "(EEXIST)", "healthy"],
  ])("maps %s to a LocalIOError with code %s", (errno, code, messagePart, hintPart) => {
    const cause = systemError(errno);
    const error = toLocalIoError(cause, "write", "/dest/a.rpm");
    expect(error).toBeInstanceOf(LocalIOError);
    expect(error).toMatchObject({ code, exitCode: 7, cause });
    expect(error.message).toContain(messagePart);
    expect(error.message).toContain("/dest/a.rpm");
    expect(error.hint).toContain(hintPart);
  });

  it("names the errno of a real failure it has no special code for", async () => {
    const missing = join(tmpdir(), "dci-mirror-surely-missing", "file");
    const cause = await readFile(missing).catch((error: unknown) => error);
    expect(errnoOf(cause)).toBe("ENOENT");
    expect(toLocalIoError(cause, "read", missing)).toMatchObject({
      code: "LOCAL_IO",
      message: `Could not read ${missing} (ENOENT).`,
    });
  });

  it("returns a MirrorError as it is", () => {
    const locked = new LockedError("held", { code: "LOCKED" });
    expect(toLocalIoError(locked, "write", "/dest")).toBe(locked);
  });

  it("describes a thrown non-error value", () => {
    expect(toLocalIoError("boom", "write", "/dest").message).toBe("Could not write /dest (boom).");
  });
});

describe("throwLocalIo", () => {
  it("throws the signal's reason instead of an I/O error once the run is aborted", () => {
    const reason = new Error("stop");
    expect(() =>
      throwLocalIo(systemError("ENOSPC"), AbortSignal.abort(reason), "write", "/d"),
    ).toThrow(reason);
  });

  it("throws the mapped error while the run goes on", () => {
    const signal = new AbortController().signal;
    expect(() => throwLocalIo(systemError("EROFS"), signal, "write", "/d")).toThrow(
      expect.objectContaining({ code: "READ_ONLY_FS" }),
    );
  });
});
