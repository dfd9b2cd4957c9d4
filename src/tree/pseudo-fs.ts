/**
 * Refuses a destination on a pseudo file system (proc, sysfs, devtmpfs, cgroup…) before anything
 * is created: they hold kernel objects, not files, and some make Node's recursive mkdir loop for
 * ever (`/proc/x` answers ENOENT to every attempt). The mount table names the file system type
 * exactly; statfs's magic number is the fallback where /proc/self/mountinfo is unreadable (it
 * cannot tell devtmpfs from tmpfs, which share a magic).
 */
import { readFile, realpath, statfs } from "node:fs/promises";

import { UsageError } from "../errors.js";
import { askNearestExisting } from "./nearest-existing.js";

/** Types of file systems that never hold a mirror, by their mountinfo name. */
const PSEUDO_TYPES: ReadonlySet<string> = new Set([
  "proc",
  "sysfs",
  "devtmpfs",
  "cgroup",
  "cgroup2",
  "debugfs",
  "tracefs",
  "securityfs",
  "devpts",
  "mqueue",
  "bpf",
  "configfs",
  "pstore",
  "efivarfs",
  "autofs",
  "binfmt_misc",
  "fusectl",
  "selinuxfs",
  "nsfs",
  "rpc_pipefs",
  "hugetlbfs",
]);

/** statfs `type` magic numbers of the same file systems (linux/magic.h). */
const PSEUDO_MAGICS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, "proc"],
  [0x62656572, "sysfs"],
  [0x27e0eb, "cgroup"],
  [0x63677270, "cgroup2"],
  [0x64626720, "debugfs"],
  [0x74726163, "tracefs"],
  [0x73636673, "securityfs"],
  [0x1cd1, "devpts"],
  [0x19800202, "mqueue"],
  [0xcafe4a11, "bpf"],
  [0x62656570, "configfs"],
  [0x6165676c, "pstore"],
  [0xde5e81e4, "efivarfs"],
  [0x0187, "autofs"],
  [0x42494e4d, "binfmt_misc"],
  [0x65735543, "fusectl"],
  [0xf97cff8c, "selinuxfs"],
  [0x6e736673, "nsfs"],
  [0x67596969, "rpc_pipefs"],
  [0x958458f6, "hugetlbfs"],
]);

export interface MountEntry {
  readonly mountPoint: string;
  readonly fsType: string;
}

/** The mounts of a /proc/self/mountinfo text (mount point, then the type after " - "). Pure. */
export function parseMountinfo(text: string): MountEntry[] {
  const mounts: MountEntry[] = [];
  for (const line of text.split("\n")) {
    const fields = line.split(" ");
    const separator = fields.indexOf("-");
    const mountPoint = fields[4];
    const fsType = fields[separator + 1];
    if (separator < 6 || mountPoint === undefined || fsType === undefined) continue;
    // The kernel writes space, tab, newline and backslash in paths as octal escapes.
    const unescaped = mountPoint.replace(/\\([0-7]{3})/g, (_, octal: string) =>
      String.fromCharCode(Number.parseInt(octal, 8)),
    );
    mounts.push({ mountPoint: unescaped, fsType });
  }
  return mounts;
}

/** The mount holding an absolute, resolved path: the longest mount point it lies under. Pure. */
export function mountOf(path: string, mounts: readonly MountEntry[]): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const mount of mounts) {
    const point = mount.mountPoint;
    const holds = point === "/" || path === point || path.startsWith(`${point}/`);
    // Later lines win ties: a mount stacked on the same point hides the earlier one.
    if (holds && (best === undefined || point.length >= best.mountPoint.length)) best = mount;
  }
  return best;
}

/** The nearest existing ancestor of path (itself included), with symlinks resolved. */
function nearestExisting(path: string): Promise<string> {
  return askNearestExisting(path, "look up", (existing) => realpath(existing));
}

/** The type of the file system holding an existing path, as the mount table or statfs names it. */
async function fileSystemOf(existing: string): Promise<MountEntry | undefined> {
  const mountinfo = await readFile("/proc/self/mountinfo", "utf8").catch(() => undefined);
  if (mountinfo !== undefined) return mountOf(existing, parseMountinfo(mountinfo));
  const stats = await statfs(existing).catch(() => undefined);
  const fsType = stats === undefined ? undefined : PSEUDO_MAGICS.get(stats.type);
  return fsType === undefined ? undefined : { mountPoint: existing, fsType };
}

/**
 * Throws UsageError USAGE_PSEUDO_FS when dest (or, as it may not exist yet, its nearest existing
 * ancestor) is on a pseudo file system; creates nothing. Throws LocalIOError when dest cannot be
 * looked up at all.
 */
export async function refusePseudoFileSystem(dest: string): Promise<void> {
  const existing = await nearestExisting(dest);
  const mount = await fileSystemOf(existing);
  if (mount === undefined || !PSEUDO_TYPES.has(mount.fsType)) return;
  throw new UsageError(
    `The destination ${dest} is on a ${mount.fsType} file system (mounted on ${mount.mountPoint}), which holds kernel objects, not files.`,
    {
      code: "USAGE_PSEUDO_FS",
      hint: "Choose a destination on a disk-backed file system (ext4, xfs, NFS…) or a tmpfs.",
    },
  );
}
