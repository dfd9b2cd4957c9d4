/**
 * `--explain PATH`: says, for people, whether a path is in a component's files list and why the
 * filter keeps or drops it (rclone's DumpFilters idea, for one path).
 */

import type { RemoteFile, RemoteSymlink } from "../model.js";
import { type FilterInput, linkOnTheWay, symlinkKeeper } from "./apply.js";
import type { FileFilter } from "./compile.js";

/** The path as a user may type it: without `./` in front or `/` behind. */
function cleanPath(relPath: string): string {
  return relPath.replace(/^(\.\/)+/, "").replace(/\/+$/, "");
}

function keptFilesOf(input: FilterInput, filter: FileFilter): Set<string> {
  return new Set(input.files.filter((file) => filter.keep(file.path)).map((file) => file.path));
}

function targetLine(link: RemoteSymlink, input: FilterInput, filter: FileFilter): string {
  const target = link.resolvedTarget;
  if (input.files.some((file) => file.path === target)) {
    return `  target: file ${target}, ${filter.explain(target).reason}`;
  }
  const linksByPath = new Map(input.symlinks.map((other) => [other.path, other] as const));
  const onTheWay = linkOnTheWay(target, linksByPath);
  if (onTheWay !== undefined) {
    return `  target: ${target}, through the symlink ${onTheWay.link.path} (followed to decide)`;
  }
  const under = filesUnder(target, input);
  if (under.length > 0) {
    const kept = under.filter((file) => filter.keep(file.path)).length;
    return `  target: folder ${target}, ${kept} of ${under.length} files under it kept`;
  }
  return `  target: ${target}, not in the files list (the link would dangle)`;
}

function explainSymlink(link: RemoteSymlink, input: FilterInput, filter: FileFilter): string[] {
  const decision = filter.explain(link.path);
  const isKept = symlinkKeeper(input, filter, keptFilesOf(input, filter))(link);
  const verdict = isKept
    ? "kept: the symlink and its target are kept"
    : decision.kept
      ? "dropped: its target is not kept, so the link would dangle"
      : decision.reason;
  return [
    `  in the files list: symlink to ${link.target}`,
    `  own path: ${decision.reason} [rule ${decision.rule}]`,
    targetLine(link, input, filter),
    `  decision: ${verdict}`,
  ];
}

/** Files under `folder` ("" for the component folder itself). */
function filesUnder(folder: string, input: FilterInput): RemoteFile[] {
  const prefix = folder === "" ? "" : `${folder}/`;
  return input.files.filter((file) => file.path.startsWith(prefix));
}

function explainFolder(folder: string, input: FilterInput, filter: FileFilter): string[] {
  const under = filesUnder(folder, input);
  const kept = under.filter((file) => filter.keep(file.path)).length;
  return [
    `  in the files list: a folder holding ${under.length} files`,
    `  decision: ${kept} of ${under.length} files under it kept (use --explain on a file for why)`,
  ];
}

/**
 * A multi-line explanation of what `filter` does with `relPath`: whether it is a file, a symlink,
 * a folder or absent from the files list (of `componentName`, when given), the decision and why.
 */
export function explainPath(
  relPath: string,
  input: FilterInput,
  filter: FileFilter,
  componentName?: string,
): string {
  const path = cleanPath(relPath);
  const ofComponent = componentName === undefined ? "" : ` of component ${componentName}`;
  const header = componentName === undefined ? path : `${path} (component ${componentName})`;
  const file = input.files.find((entry) => entry.path === path);
  if (file !== undefined) {
    const decision = filter.explain(path);
    return [
      header,
      `  in the files list: file of ${file.sizeBytes} bytes, sha256 ${file.sha256}`,
      `  decision: ${decision.reason} [rule ${decision.rule}]`,
    ].join("\n");
  }
  const link = input.symlinks.find((entry) => entry.path === path);
  if (link !== undefined) return [header, ...explainSymlink(link, input, filter)].join("\n");
  if (path === "" || filesUnder(path, input).length > 0) {
    return [header, ...explainFolder(path, input, filter)].join("\n");
  }
  const decision = filter.explain(path);
  return [
    header,
    `  not in the files list${ofComponent}`,
    `  if it were: ${decision.reason} [rule ${decision.rule}]`,
  ].join("\n");
}
