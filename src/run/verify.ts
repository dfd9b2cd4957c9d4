/**
 * `verifyMirror()`: re-hashes a mirrored topic folder offline against the selection its last run
 * recorded, and reports missing files, wrong content and wrong symlinks.
 */
import { join } from "node:path";
import pLimit from "p-limit";
import { DEFAULTS } from "../config/run-settings.js";
import type { RemoteFile, RemoteSymlink } from "../model.js";
import { sha256OfFile } from "../transfer/verify.js";
import { statFile } from "../tree/scan.js";
import { componentFoldersOf, readSelection } from "../tree/selection.js";

export interface VerifyProblem {
  readonly path: string;
  readonly problem:
    | "missing"
    | "sha256-mismatch"
    | "size-mismatch"
    | "not-a-file"
    | "symlink-mismatch";
  readonly detail: string;
}

export interface ComponentVerification {
  readonly folder: string;
  readonly componentId: string;
  readonly componentName: string;
  readonly checkedFiles: number;
  readonly checkedBytes: number;
  readonly problems: readonly VerifyProblem[];
}

export interface VerifyOptions {
  /** Files hashed at once; DEFAULTS.verifyJobs when absent. */
  readonly jobs?: number;
  readonly signal?: AbortSignal;
  readonly onFile?: (path: string, sizeBytes: number) => void;
}

/** The problem with one listed file, or undefined when it is there with the listed sha256. */
async function fileProblem(
  folder: string,
  file: RemoteFile,
  options: VerifyOptions,
  signal: AbortSignal,
): Promise<VerifyProblem | undefined> {
  const { path } = file;
  const entry = await statFile(folder, path);
  if (entry === undefined) return { path, problem: "missing", detail: "not on disk" };
  if (entry.kind !== "file") return { path, problem: "not-a-file", detail: `a ${entry.kind}` };
  if (entry.sizeBytes !== file.sizeBytes) {
    const detail = `${entry.sizeBytes} bytes, expected ${file.sizeBytes}`;
    return { path, problem: "size-mismatch", detail };
  }
  const digest = await sha256OfFile(join(folder, path), signal);
  options.onFile?.(path, file.sizeBytes);
  if (digest === file.sha256) return undefined;
  return { path, problem: "sha256-mismatch", detail: `sha256 ${digest}, expected ${file.sha256}` };
}

async function linkProblem(
  folder: string,
  link: RemoteSymlink,
): Promise<VerifyProblem | undefined> {
  const entry = await statFile(folder, link.path);
  if (entry?.kind === "symlink" && entry.linkTarget === link.target) return undefined;
  const detail = `expected a symlink to ${link.target}`;
  return { path: link.path, problem: "symlink-mismatch", detail };
}

async function verifyComponent(
  folder: string,
  options: VerifyOptions,
  signal: AbortSignal,
): Promise<ComponentVerification | undefined> {
  const selection = await readSelection(folder, signal);
  if (selection === undefined) return undefined;
  const limit = pLimit(options.jobs ?? DEFAULTS.verifyJobs);
  // p-limit bounds the concurrency; this only waits for the queued checks.
  const fileProblems = await Promise.all(
    selection.files.map((file) => limit(() => fileProblem(folder, file, options, signal))),
  );
  const linkProblems: (VerifyProblem | undefined)[] = [];
  for (const link of selection.symlinks) linkProblems.push(await linkProblem(folder, link));
  const problems = [...fileProblems, ...linkProblems]
    .filter((problem) => problem !== undefined)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    folder,
    componentId: selection.componentId,
    componentName: selection.componentName,
    checkedFiles: selection.files.length,
    checkedBytes: selection.files.reduce((sum, file) => sum + file.sizeBytes, 0),
    problems,
  };
}

/**
 * Verifies every component folder of a topic folder (`DEST/<topic>`), or one component folder.
 * Returns one verification per folder that has a recorded selection; an empty list means there
 * was nothing dci-mirror had mirrored there.
 */
export async function verifyMirror(
  folder: string,
  options: VerifyOptions = {},
): Promise<ComponentVerification[]> {
  const signal = options.signal ?? new AbortController().signal;
  const own = await verifyComponent(folder, options, signal);
  if (own !== undefined) return [own];
  const results: ComponentVerification[] = [];
  for (const componentFolder of await componentFoldersOf(folder)) {
    const verification = await verifyComponent(componentFolder, options, signal);
    if (verification !== undefined) results.push(verification);
  }
  return results;
}

/** One topic folder of a mirror root, verified. */
export interface TopicVerification {
  readonly folder: string;
  readonly components: readonly ComponentVerification[];
}

/**
 * Verifies every topic folder of a mirror root (`DEST`): each sub-folder whose component folders
 * were mirrored by dci-mirror, in name order. An empty list means DEST holds no mirrored topic.
 */
export async function verifyRoot(
  root: string,
  options: VerifyOptions = {},
): Promise<TopicVerification[]> {
  const topics: TopicVerification[] = [];
  for (const folder of await componentFoldersOf(root)) {
    const components = await verifyMirror(folder, options);
    if (components.length > 0) topics.push({ folder, components });
  }
  return topics;
}
