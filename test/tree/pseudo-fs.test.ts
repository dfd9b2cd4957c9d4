import { describe, expect, it } from "vitest";
import { mountOf, parseMountinfo, refusePseudoFileSystem } from "../../src/tree/pseudo-fs.js";

// Lines as a container's /proc/self/mountinfo shows them (devtmpfs on /dev, tmpfs on /dev/shm).
const MOUNTINFO = [
  "22 27 0:21 / /proc rw,relatime - proc proc rw",
  "23 27 0:22 / /sys rw,relatime - sysfs sysfs rw",
  "24 27 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw,size=12358600k,mode=755",
  "25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24731400k",
  "27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw",
  "31 23 0:28 / /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw",
  "40 27 0:30 / /srv/my\\040mirror rw,relatime - xfs /dev/vdb rw",
  "",
].join("\n");

describe("mountOf", () => {
  const mounts = parseMountinfo(MOUNTINFO);
  it.each([
    ["/proc", "proc"],
    ["/proc/dci-mirror-test", "proc"],
    ["/sys/kernel", "sysfs"],
    ["/sys/fs/cgroup/x", "cgroup2"],
    ["/dev/dci-mirror-test", "devtmpfs"],
    ["/dev/shm/mirror", "tmpfs"],
    ["/devices", "ext4"],
    ["/srv/my mirror/DEST", "xfs"],
    ["/home/user/mirror", "ext4"],
  ])("finds the file system holding %s: %s", (path, fsType) => {
    expect(mountOf(path, mounts)?.fsType).toBe(fsType);
  });
});

describe("refusePseudoFileSystem", () => {
  it.each([
    ["/proc/dci-mirror-test", "proc"],
    ["/sys/dci-mirror-test", "sysfs"],
  ])("refuses %s as a %s file system with exit code 2", async (dest, fsType) => {
    await expect(refusePseudoFileSystem(dest)).rejects.toMatchObject({
      code: "USAGE_PSEUDO_FS",
      exitCode: 2,
      message: expect.stringContaining(`on a ${fsType} file system`),
      hint: expect.stringContaining("disk-backed"),
    });
  });

  it("accepts a folder on the disk, existing or not", async () => {
    await expect(refusePseudoFileSystem("/tmp/dci-mirror-not-there/x")).resolves.toBeUndefined();
  });
});
