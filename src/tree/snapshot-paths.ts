/**
 * Where snapshot mode keeps a component type's snapshots, `<topic>/.dci-mirror/snapshots/<type>/`,
 * and the checks that keep a snapshot name one plain folder name there. Pure.
 */
import { join, posix } from "node:path";
import { LocalIOError } from "../errors.js";
import { BOOKKEEPING_PREFIX } from "./bookkeeping.js";

/** The snapshots of a type, relative POSIX inside the topic folder (without the type). */
export const SNAPSHOTS_REL_DIR = `${BOOKKEEPING_PREFIX}/snapshots`;

/** The longest name most file systems take, in bytes. */
const NAME_MAX_BYTES = 255;

/** Control characters (NUL, C0, DEL, C1) have no place in a folder name a web server lists. */
function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/** Why `name` cannot be one folder name of ours, or undefined when it can. */
function folderNameProblem(name: string): string | undefined {
  if (name === "") return "it is empty";
  if (name === "." || name === "..") return `it is "${name}"`;
  if (name.includes("/")) return "it contains '/'";
  if (hasControlCharacter(name)) return "it contains a control character";
  if (Buffer.byteLength(name) > NAME_MAX_BYTES) return `it is longer than ${NAME_MAX_BYTES} bytes`;
  if (name.startsWith(BOOKKEEPING_PREFIX)) {
    return `it starts with ${BOOKKEEPING_PREFIX}, reserved for dci-mirror`;
  }
  return undefined;
}

/** True when `name` is a safe snapshot (or type) folder name. */
export function isSafeFolderName(name: string): boolean {
  return folderNameProblem(name) === undefined;
}

/** Returns `name` when it is one safe folder name; throws LocalIOError UNSAFE_LOCAL_PATH otherwise. */
export function checkFolderName(name: string, what: string): string {
  const problem = folderNameProblem(name);
  if (problem === undefined) return name;
  throw new LocalIOError(`Refusing the ${what} ${JSON.stringify(name)}: ${problem}.`, {
    code: "UNSAFE_LOCAL_PATH",
    hint: `A ${what} must be one folder name: no '/', not '.' or '..', no control characters, not starting with ${BOOKKEEPING_PREFIX}.`,
  });
}

/** `<topicFolder>/.dci-mirror/snapshots/<typeFolder>`; throws LocalIOError for an unsafe type folder. */
export function snapshotsRoot(topicFolder: string, typeFolder: string): string {
  return join(topicFolder, snapshotsRelRoot(typeFolder));
}

/** The snapshots of a type, relative POSIX inside the topic folder. */
export function snapshotsRelRoot(typeFolder: string): string {
  return `${SNAPSHOTS_REL_DIR}/${checkFolderName(typeFolder, "component type folder")}`;
}

/** `<snapshotsRoot>/<name>`; throws LocalIOError UNSAFE_LOCAL_PATH for an unsafe name. */
export function snapshotPath(topicFolder: string, typeFolder: string, name: string): string {
  return join(snapshotsRoot(topicFolder, typeFolder), checkFolderName(name, "snapshot name"));
}

/** The text of the type's link to a snapshot: relative, from the topic folder. */
export function snapshotLinkText(typeFolder: string, name: string): string {
  return `${snapshotsRelRoot(typeFolder)}/${checkFolderName(name, "snapshot name")}`;
}

/** The snapshot a link text names, when it is exactly one of ours for this type; else undefined. */
export function snapshotOfLinkText(typeFolder: string, linkText: string): string | undefined {
  const prefix = `${snapshotsRelRoot(typeFolder)}/`;
  if (!linkText.startsWith(prefix)) return undefined;
  const name = linkText.slice(prefix.length);
  // "a/../b" or "./a" would be a different folder (or none) once resolved: not our form.
  if (posix.normalize(linkText) !== linkText) return undefined;
  return isSafeFolderName(name) ? name : undefined;
}
