// A small, real file system for local-fault tests: a tmpfs of a given size (and inode count),
// mounted on a fresh folder. Mounting needs root; elsewhere the tests that need it are skipped with
// the reason below, never silently.
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Tmpfs {
  /** Where the file system is mounted (an empty folder when mounted). */
  readonly path: string;
  /** Unmounts it and removes the mount point. */
  unmount(): Promise<void>;
}

function probeMount(): string | undefined {
  if (process.getuid?.() !== 0) return "mounting a tmpfs needs root; these tests run as root in CI";
  const probe = join(tmpdir(), `dci-mirror-tmpfs-probe-${process.pid}`);
  try {
    execFileSync("mkdir", ["-p", probe]);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe], { stdio: "ignore" });
    execFileSync("umount", [probe], { stdio: "ignore" });
    return undefined;
  } catch (error) {
    return `mount -t tmpfs failed here (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    execFileSync("rm", ["-rf", probe]);
  }
}

/** Why tmpfs tests cannot run on this machine, or undefined when they can. */
export const TMPFS_UNAVAILABLE: string | undefined = probeMount();

/** Mounts a tmpfs of `sizeBytes` (and at most `inodes` inodes when given) on a fresh folder. */
export async function mountTmpfs(
  sizeBytes: number,
  { inodes }: { inodes?: number } = {},
): Promise<Tmpfs> {
  const path = await mkdtemp(join(tmpdir(), "dci-mirror-tmpfs-"));
  const options = [`size=${sizeBytes}`, ...(inodes === undefined ? [] : [`nr_inodes=${inodes}`])];
  execFileSync("mount", ["-t", "tmpfs", "-o", options.join(","), "tmpfs", path]);
  return {
    path,
    unmount: async () => {
      // Lazy: a child process a failed test left behind may still hold a file open there.
      execFileSync("umount", ["-l", path]);
      await rm(path, { recursive: true, force: true });
    },
  };
}
