/**
 * Local folder names of a topic and of a component type, as dci-downloader names them. Both come
 * from the server, so a hostile name must not become `..` or a path: each is checked as one folder
 * name.
 */

import { UnsafePathError } from "../errors.js";
import { isReservedSegment, unsafeCharacter } from "./safe-path.js";

/** The reason `folder` is unsafe as a single folder name, or undefined when it is safe. */
function folderNameProblem(folder: string, reserved: readonly string[]): string | undefined {
  if (folder === "") return "it is empty once trimmed";
  if (folder === "." || folder === "..") return `it becomes the folder name '${folder}'`;
  if (folder.includes("/")) return "it contains '/'";
  const character = unsafeCharacter(folder);
  if (character !== undefined) return `it contains ${character}`;
  if (isReservedSegment(folder)) return "it starts with .dci-mirror, reserved for dci-mirror";
  if (reserved.includes(folder)) return `${folder} is reserved for dci-mirror's own use`;
  return undefined;
}

function checkedFolderName(
  folder: string,
  sent: string,
  what: string,
  reserved: readonly string[],
): string {
  const reason = folderNameProblem(folder, reserved);
  if (reason === undefined) return folder;
  throw new UnsafePathError({
    entry: sent,
    reason,
    source: `the ${what} sent by the server`,
    hint: `The server sent a ${what} that cannot be a folder name; nothing was written. Report it to your Red Hat contact.`,
  });
}

/**
 * The folder of a topic: the name trimmed, spaces turned into `_`, as dci-downloader does; throws
 * UnsafePathError when that is not a safe single folder name.
 */
export function topicFolderName(topicName: string): string {
  return checkedFolderName(topicName.trim().replaceAll(" ", "_"), topicName, "topic name", []);
}

/**
 * The folder of a component type inside its topic folder: trimmed, spaces turned into `_`,
 * lower-cased; throws UnsafePathError when that is not a safe single folder name (or is `.lock`,
 * the name dci-downloader gives its topic lock, which may share the topic folder).
 */
export function componentFolderName(componentType: string): string {
  const folder = componentType.trim().replaceAll(" ", "_").toLowerCase();
  return checkedFolderName(folder, componentType, "component type", [".lock"]);
}
