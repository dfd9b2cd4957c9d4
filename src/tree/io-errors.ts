/**
 * Maps what the local file system says (Node's errno strings) to typed LocalIOErrors with a stable
 * code and a hint, so a full disk or a permission problem reads as such instead of a raw errno.
 */
import { isMirrorError, LocalIOError, type MirrorError } from "../errors.js";

/** The errno string of a Node system error (`ENOENT`, `EACCES`…), or undefined for anything else. */
export function errnoOf(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = Reflect.get(error, "code");
  return typeof code === "string" ? code : undefined;
}

/** True when the error is a system error with one of the given errno strings. */
export function hasErrno(error: unknown, ...codes: readonly string[]): boolean {
  const code = errnoOf(error);
  return code !== undefined && codes.includes(code);
}

interface ErrnoRule {
  readonly code: string;
  readonly message: (action: string, path: string, errno: string) => string;
  readonly hint: string;
}

const PERMISSION: ErrnoRule = {
  code: "PERMISSION_DENIED",
  message: (action, path, errno) => `Permission denied: could not ${action} ${path} (${errno}).`,
  hint: "Check the ownership and permissions of DEST, and run as the user who owns it.",
};
const TOO_MANY_FILES: ErrnoRule = {
  code: "TOO_MANY_FILES",
  message: (action, path, errno) => `Too many open files: could not ${action} ${path} (${errno}).`,
  hint: "Raise the open-files limit (ulimit -n), or run fewer downloads at once.",
};

// Errnos a user can act on get their own code; restic also treats these as not worth retrying.
const ERRNO_RULES: ReadonlyMap<string, ErrnoRule> = new Map([
  [
    "ENOSPC",
    {
      code: "NO_SPACE",
      message: (action: string, path: string) =>
        `No space left on the device holding ${path} (could not ${action}).`,
      hint: "Free some space on that device (or inodes: ENOSPC also means none is left, see df -i), or choose another DEST.",
    },
  ],
  ["EACCES", PERMISSION],
  ["EPERM", PERMISSION],
  [
    "EROFS",
    {
      code: "READ_ONLY_FS",
      message: (action: string, path: string) =>
        `Read-only file system: could not ${action} ${path}.`,
      hint: "Remount the file system read-write, or choose another DEST.",
    },
  ],
  [
    "EDQUOT",
    {
      code: "QUOTA",
      message: (action: string, path: string) =>
        `Disk quota exceeded: could not ${action} ${path}.`,
      hint: "Free some space within your quota, ask for a larger one, or choose another DEST.",
    },
  ],
  ["EMFILE", TOO_MANY_FILES],
  ["ENFILE", TOO_MANY_FILES],
  [
    "EIO",
    {
      code: "DISK_FAILED",
      message: (action: string, path: string) =>
        `Could not ${action} ${path}: input/output error: the disk or its driver failed (EIO).`,
      hint: "Check the disk and the kernel log (dmesg) before running again; the files already placed may need `dci-mirror verify <folder>`.",
    },
  ],
  [
    "ENAMETOOLONG",
    {
      code: "NAME_TOO_LONG",
      message: (action: string, path: string) =>
        `File name too long for the file system: could not ${action} ${path} (ENAMETOOLONG).`,
      hint: "Use a shorter DEST path, or a file system that allows longer names.",
    },
  ],
  [
    "ELOOP",
    {
      code: "SYMLINK_REFUSED",
      message: (action: string, path: string) =>
        `Could not ${action} ${path}: a symbolic link stands there, and dci-mirror never writes through links inside DEST (ELOOP).`,
      hint: "Check what put it there, remove the link (what it points to is not touched), and run again.",
    },
  ],
  [
    "EFBIG",
    {
      code: "FILE_TOO_LARGE",
      message: (action: string, path: string) =>
        `Could not ${action} ${path}: the file is too large for the file system (EFBIG).`,
      hint: "Choose another DEST on a file system without that limit (FAT32 stops at 4 GiB), or raise the file-size limit (ulimit -f).",
    },
  ],
  [
    "ENOTDIR",
    {
      code: "NOT_A_DIRECTORY",
      message: (action: string, path: string) =>
        `Could not ${action} ${path}: a part of that path is not a directory (ENOTDIR).`,
      hint: "Remove or rename the file standing where DEST needs a directory, and run again.",
    },
  ],
  [
    "EISDIR",
    {
      code: "IS_A_DIRECTORY",
      message: (action: string, path: string) =>
        `Could not ${action} ${path}: it is a directory where a file is needed (EISDIR).`,
      hint: "Remove or rename that directory, and run again.",
    },
  ],
]);

/** Turns any failure of `action` on `path` into a MirrorError (LocalIOError); MirrorErrors pass through as is. Never throws. */
export function toLocalIoError(error: unknown, action: string, path: string): MirrorError {
  if (isMirrorError(error)) return error;
  const errno = errnoOf(error);
  const rule = errno === undefined ? undefined : ERRNO_RULES.get(errno);
  if (errno !== undefined && rule !== undefined) {
    return new LocalIOError(rule.message(action, path, errno), {
      code: rule.code,
      hint: rule.hint,
      cause: error,
    });
  }
  return new LocalIOError(`Could not ${action} ${path} (${errno ?? describe(error)}).`, {
    code: "LOCAL_IO",
    hint: "Check that DEST is a healthy, writable local directory.",
    cause: error,
  });
}

/**
 * Throws the signal's reason when the run was aborted (so a cancelled run never reports an I/O
 * error), otherwise the error mapped by toLocalIoError.
 */
export function throwLocalIo(
  error: unknown,
  signal: AbortSignal,
  action: string,
  path: string,
): never {
  signal.throwIfAborted();
  throw toLocalIoError(error, action, path);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
