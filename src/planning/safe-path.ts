/**
 * Checks everything a files list says about paths before any of it reaches the disk: nothing in
 * DCI's files list format guarantees safety. Pure: strings in, a verdict out.
 *
 * Backslashes are allowed: they are ordinary characters in POSIX file names, and the mirror only
 * runs on POSIX systems. Control characters (C0, DEL and C1) and unpaired UTF-16 surrogates are
 * refused: no compose needs them, they can rewrite a terminal when printed, and a lone surrogate
 * is encoded as U+FFFD on disk, so two distinct listed names could land on one file.
 */

import { UnsafePathError } from "../errors.js";
import type {
  FilesList,
  FilesListFile,
  FilesListSymlink,
  RemoteFile,
  RemoteSymlink,
} from "../model.js";
import { BOOKKEEPING_PREFIX } from "../tree/bookkeeping.js";

/** Longest file or folder name Linux file systems accept (NAME_MAX), in bytes. */
export const NAME_MAX_BYTES = 255;
/** Longest path the system calls accept (PATH_MAX is 4096 with its closing NUL), in bytes. */
export const PATH_MAX_BYTES = 4095;

const utf8 = new TextEncoder();

/** Bytes of a name or path once encoded as UTF-8, as the file system counts them. */
export function utf8Bytes(text: string): number {
  return utf8.encode(text).length;
}

/**
 * True when `text` may take more than `maxBytes` in UTF-8. A UTF-16 code unit never takes more
 * than 3 bytes, so short text is cleared without encoding it (20,000 paths a run: ~90 ms saved).
 */
function mayExceedBytes(text: string, maxBytes: number): boolean {
  return text.length * 3 > maxBytes && utf8Bytes(text) > maxBytes;
}

/** True for a first segment reserved for dci-mirror (case-insensitive: some file systems are). */
export function isReservedSegment(segment: string): boolean {
  return segment.toLowerCase().startsWith(BOOKKEEPING_PREFIX);
}

/** The first unsafe character of `text` described as a noun phrase, or undefined when none. */
export function unsafeCharacter(text: string): string | undefined {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0) return "a NUL character";
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) {
      return `the control character U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = text.charCodeAt(index + 1);
      const isPair = code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
      if (!isPair) return "an unpaired UTF-16 surrogate";
      index++;
    }
  }
  return undefined;
}

/**
 * The reason a relative POSIX path is unsafe to create inside a component folder (absolute, empty
 * or `.`/`..` segments, control characters, reserved first segment), or undefined when it is safe.
 */
export function validateRelativePath(path: string): string | undefined {
  if (path === "") return "it is empty";
  const character = unsafeCharacter(path);
  if (character !== undefined) return `it contains ${character}`;
  if (path.startsWith("/")) return "it is an absolute path";
  const segments = path.split("/");
  for (const segment of segments) {
    if (segment === "") return "it has an empty segment (a doubled or trailing '/')";
    if (segment === "." || segment === "..") return `it has a '${segment}' segment`;
    // Refused here, before any download, rather than as ENAMETOOLONG once its bytes are fetched.
    if (mayExceedBytes(segment, NAME_MAX_BYTES)) {
      return `it has a ${utf8Bytes(segment)}-byte name, and file systems take names of at most ${NAME_MAX_BYTES} bytes`;
    }
  }
  if (isReservedSegment(segments[0] ?? "")) {
    return `its first segment starts with ${BOOKKEEPING_PREFIX}, which is reserved for dci-mirror's own records`;
  }
  return undefined;
}

type Reject = (entry: string, reason: string) => UnsafePathError;

export interface ValidateOptions {
  /**
   * UTF-8 length of the absolute component folder the entries land in; with it, an entry whose
   * full path would be longer than PATH_MAX_BYTES is refused too. Passed in to keep this pure.
   */
  readonly rootPathBytes?: number;
}

/** Refuses an entry whose path under the component folder is longer than the system allows. */
function checkTotalLength(path: string, options: ValidateOptions, reject: Reject): void {
  if (options.rootPathBytes === undefined) return;
  if (!mayExceedBytes(path, PATH_MAX_BYTES - options.rootPathBytes - 1)) return;
  const totalBytes = options.rootPathBytes + 1 + utf8Bytes(path);
  throw reject(
    path,
    `under the destination it would be ${totalBytes} bytes long, more than the longest path the system allows (${PATH_MAX_BYTES} bytes)`,
  );
}

/** The relative path of a listed file or symlink, checked; throws what `reject` builds. */
function entryPath(entry: FilesListFile | FilesListSymlink, reject: Reject): string {
  const path = entry.path === "" ? entry.name : `${entry.path}/${entry.name}`;
  if (entry.name === "") throw reject(path, "its name is empty");
  if (entry.name.includes("/")) throw reject(path, "its name contains '/'");
  const reason = validateRelativePath(path);
  if (reason !== undefined) throw reject(path, reason);
  return path;
}

function checkedFile(file: FilesListFile, reject: Reject): RemoteFile {
  const path = entryPath(file, reject);
  if (!Number.isSafeInteger(file.sizeBytes) || file.sizeBytes < 0) {
    throw reject(path, `its size ${String(file.sizeBytes)} is not a non-negative integer`);
  }
  // Partial downloads are named after the sha256, so it is a path component too.
  if (!/^[0-9a-f]{64}$/i.test(file.sha256)) {
    throw reject(path, `its sha256 ${JSON.stringify(file.sha256)} is not 64 hex digits`);
  }
  return { path, sizeBytes: file.sizeBytes, sha256: file.sha256.toLowerCase() };
}

/** Refuses a path listed twice, or listed and also used as the parent folder of another entry. */
function checkCollisions(
  kindByPath: Map<string, string>,
  path: string,
  kind: string,
  reject: Reject,
) {
  const earlier = kindByPath.get(path);
  if (earlier !== undefined) {
    throw reject(path, `it is listed twice (as a ${earlier} and as a ${kind})`);
  }
  kindByPath.set(path, kind);
}

function checkParents(kindByPath: ReadonlyMap<string, string>, reject: Reject): void {
  for (const path of kindByPath.keys()) {
    for (let slash = path.indexOf("/"); slash !== -1; slash = path.indexOf("/", slash + 1)) {
      const parent = path.slice(0, slash);
      const kind = kindByPath.get(parent);
      if (kind !== undefined) {
        throw reject(parent, `it is listed as a ${kind} and is also the folder of ${path}`);
      }
    }
  }
}

/**
 * Resolves a symlink's destination against the link's folder, lexically; returns the target
 * relative to the component folder, or the reason it is unsafe. `linkPaths` are all listed links.
 */
function resolveTarget(
  linkPath: string,
  destination: string,
  linkPaths: ReadonlySet<string>,
): { readonly resolvedTarget: string } | { readonly reason: string } {
  if (destination === "") return { reason: "its target is empty" };
  const character = unsafeCharacter(destination);
  if (character !== undefined) return { reason: `its target contains ${character}` };
  if (destination.startsWith("/")) return { reason: "its target is an absolute path" };
  // The link's own folders are real folders: checkParents refused links used as folders.
  const stack = linkPath.split("/").slice(0, -1);
  for (const segment of destination.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment !== "..") {
      stack.push(segment);
      continue;
    }
    if (stack.length === 0) return { reason: "its target escapes the component folder" };
    // The system resolves `link/..` from where the link points, not lexically: refuse it.
    const through = stack.join("/");
    if (linkPaths.has(through))
      return { reason: `its target climbs out of the symlink ${through}` };
    stack.pop();
  }
  return checkResolved(linkPath, stack.join("/"));
}

function checkResolved(
  linkPath: string,
  resolvedTarget: string,
): { readonly resolvedTarget: string } | { readonly reason: string } {
  // A link to the root or to one of its own folders makes a loop for anything that follows links.
  if (resolvedTarget === "") return { reason: "its target is the component folder itself" };
  if (resolvedTarget === linkPath) return { reason: "its target is the link itself" };
  if (linkPath.startsWith(`${resolvedTarget}/`)) {
    return { reason: "its target is a folder that holds the link (a loop)" };
  }
  if (isReservedSegment(resolvedTarget.split("/")[0] ?? "")) {
    return { reason: `its target is inside ${BOOKKEEPING_PREFIX}, reserved for dci-mirror` };
  }
  return { resolvedTarget };
}

/**
 * Checks every file and symlink of a files list (the `directories` array is informational and
 * unused) and returns them as relative paths, in list order; throws UnsafePathError on the first
 * unsafe entry (names over 255 bytes and, given the folder's length, paths over 4095 bytes too),
 * so nothing of an unsafe list is written.
 */
export function validateFilesList(
  list: FilesList,
  componentName: string,
  options: ValidateOptions = {},
): { files: RemoteFile[]; symlinks: RemoteSymlink[] } {
  const source = `the files list of component ${componentName}`;
  const reject: Reject = (entry, reason) => new UnsafePathError({ entry, reason, source });
  const kindByPath = new Map<string, string>();
  const files = list.files.map((file) => {
    const checked = checkedFile(file, reject);
    checkTotalLength(checked.path, options, reject);
    checkCollisions(kindByPath, checked.path, "file", reject);
    return checked;
  });
  const linkPaths = list.symlinks.map((link) => {
    const path = entryPath(link, reject);
    checkTotalLength(path, options, reject);
    checkCollisions(kindByPath, path, "symlink", reject);
    return path;
  });
  checkParents(kindByPath, reject);
  const linkSet = new Set(linkPaths);
  const symlinks = list.symlinks.map((link, index): RemoteSymlink => {
    const path = linkPaths[index] ?? "";
    const resolved = resolveTarget(path, link.destination, linkSet);
    if ("reason" in resolved)
      throw reject(path, `${resolved.reason} (${JSON.stringify(link.destination)})`);
    return { path, target: link.destination, resolvedTarget: resolved.resolvedTarget };
  });
  return { files, symlinks };
}
