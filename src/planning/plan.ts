/**
 * The planner: rclone's march as a pure function. The remote list, the local tree, the verified
 * record and the partial files go in; one action per path comes out, sorted by path, so the same
 * input always gives the same plan.
 */
import type {
  Action,
  LocalEntry,
  PartialFile,
  RemoteFile,
  RemoteSymlink,
  VerifiedRecord,
} from "../model.js";

export interface PlanInput {
  readonly files: readonly RemoteFile[];
  readonly symlinks: readonly RemoteSymlink[];
  /** The component folder as scanned (bookkeeping entries excluded). */
  readonly local: readonly LocalEntry[];
  readonly record: VerifiedRecord | undefined;
  readonly partials: readonly PartialFile[];
  /** `--verify`: hash every present file instead of trusting the record. */
  readonly verifyAll: boolean;
  /** Paths the run writes itself (images_list.yaml): never pruned. */
  readonly keepPaths: readonly string[];
}

export interface Plan {
  readonly actions: readonly Action[];
  /** Bytes still to download: whole files to fetch plus the missing part of resumed ones. */
  readonly bytesToFetch: number;
}

/**
 * True when the record vouches for this local file: same size, mtime and inode as when its sha256
 * was last verified, and that sha256 is the one expected now. Nothing is read from disk.
 */
function isVouchedFor(
  file: RemoteFile,
  entry: LocalEntry,
  record: VerifiedRecord | undefined,
): boolean {
  const known = record?.files[file.path];
  return (
    known !== undefined &&
    known.sha256 === file.sha256 &&
    known.sizeBytes === entry.sizeBytes &&
    known.mtimeMs === entry.mtimeMs &&
    known.ino === entry.ino
  );
}

function fileAction(
  file: RemoteFile,
  entry: LocalEntry | undefined,
  partial: PartialFile | undefined,
  input: PlanInput,
): Action {
  if (entry?.kind === "file" && entry.sizeBytes === file.sizeBytes) {
    // Same size: the content decides, from the record when it vouches, else by hashing it.
    if (!input.verifyAll && isVouchedFor(file, entry, input.record)) return { kind: "skip", file };
    return { kind: "check", file };
  }
  if (partial !== undefined && partial.heldBytes > 0 && partial.heldBytes <= file.sizeBytes) {
    return { kind: "resume", file, heldBytes: partial.heldBytes };
  }
  return { kind: "fetch", file };
}

/** Plans one component folder; see the module comment. Never throws. */
export function planMirror(input: PlanInput): Plan {
  const localByPath = new Map(input.local.map((entry) => [entry.path, entry]));
  const partialByKey = new Map(
    input.partials.map((partial) => [partialKey(partial.path, partial.sha256), partial]),
  );
  const wanted = new Set<string>(input.keepPaths);
  const actions: Action[] = [];
  let bytesToFetch = 0;
  for (const file of input.files) {
    wanted.add(file.path);
    // Most runs hold no partials: skip building 20,000 keys to look up in an empty map.
    const partial =
      partialByKey.size === 0 ? undefined : partialByKey.get(partialKey(file.path, file.sha256));
    const action = fileAction(file, localByPath.get(file.path), partial, input);
    if (action.kind === "fetch") bytesToFetch += file.sizeBytes;
    if (action.kind === "resume") bytesToFetch += file.sizeBytes - action.heldBytes;
    actions.push(action);
  }
  for (const link of input.symlinks) {
    wanted.add(link.path);
    const entry = localByPath.get(link.path);
    if (entry?.kind !== "symlink" || entry.linkTarget !== link.target)
      actions.push({ kind: "link", link });
  }
  for (const entry of input.local) {
    // Directories go when they end up empty (tree/prune), never by name here.
    if (entry.kind === "directory" || wanted.has(entry.path)) continue;
    actions.push({ kind: "prune", path: entry.path, entryKind: entry.kind });
  }
  return { actions: sortedByPath(actions), bytesToFetch };
}

function partialKey(path: string, sha256: string): string {
  return `${path}\0${sha256}`;
}

/** The actions by path (UTF-16 code units); a list already in order, the usual case, is kept as is. */
function sortedByPath(actions: Action[]): Action[] {
  const paths = actions.map(actionPath);
  if (paths.every((path, index) => index === 0 || (paths[index - 1] ?? "") <= path)) return actions;
  const order = paths.map((_, index) => index);
  order.sort((left, right) => {
    const [a, b] = [paths[left] ?? "", paths[right] ?? ""];
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return order.map((index) => actions[index] as Action);
}

function actionPath(action: Action): string {
  switch (action.kind) {
    case "link":
      return action.link.path;
    case "prune":
      return action.path;
    default:
      return action.file.path;
  }
}
