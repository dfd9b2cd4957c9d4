/**
 * `verifyMirror()`: re-hashes a mirrored topic folder offline against the selection its last run
 * recorded, and reports missing files, wrong content and wrong symlinks.
 */
import { join } from "node:path";
import pLimit from "p-limit";
import { DEFAULTS } from "../config/run-settings.js";
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

async function verifyComponent(
  folder: string,
  options: VerifyOptions,
  signal: AbortSignal,
): Promise<ComponentVerification | undefined> {
  const selection = await readSelection(folder, signal);
  if (selection === undefined) return undefined;
  const limit = pLimit(options.jobs ?? DEFAULTS.verifyJobs);
  const problems: VerifyProblem[] = [];
  const checks = selection.files.map((file) =>
    limit(async () => {
      const entry = await statFile(folder, file.path);
      if (entry === undefined)
        return problems.push({ path: file.path, problem: "missing", detail: "not on disk" });
      if (entry.kind !== "file")
        return problems.push({ path: file.path, problem: "not-a-file", detail: `a ${entry.kind}` });
      if (entry.sizeBytes !== file.sizeBytes) {
        return problems.push({
          path: file.path,
          problem: "size-mismatch",
          detail: `${entry.sizeBytes} bytes, expected ${file.sizeBytes}`,
        });
      }
      const digest = await sha256OfFile(join(folder, file.path), signal);
      options.onFile?.(file.path, file.sizeBytes);
      if (digest !== file.sha256)
        problems.push({
          path: file.path,
          problem: "sha256-mismatch",
          detail: `sha256 ${digest}, expected ${file.sha256}`,
        });
      return 0;
    }),
  );
  // p-limit bounds the concurrency; this only waits for the queued checks.
  await Promise.all(checks);
  for (const link of selection.symlinks) {
    const entry = await statFile(folder, link.path);
    if (entry?.kind !== "symlink" || entry.linkTarget !== link.target) {
      problems.push({
        path: link.path,
        problem: "symlink-mismatch",
        detail: `expected a symlink to ${link.target}`,
      });
    }
  }
  problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
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
