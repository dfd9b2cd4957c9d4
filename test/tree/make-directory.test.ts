import { execFileSync } from "node:child_process";
import { lstat, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeDirectories, makeTopicFolder } from "../../src/tree/make-directory.js";
import { mountTmpfs, TMPFS_UNAVAILABLE } from "../helpers/tmpfs.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "dci-mirror-mkdir-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("makeDirectories", () => {
  it("creates every missing level and accepts one that exists", async () => {
    await makeDirectories(join(root, "a/b/c"));
    await makeDirectories(join(root, "a/b/c"));
    expect((await lstat(join(root, "a/b/c"))).isDirectory()).toBe(true);
  });

  it("reports ENOTDIR, not ENOENT, when a file stands in the way", async () => {
    await writeFile(join(root, "file"), "x");
    await expect(makeDirectories(join(root, "file/sub"))).rejects.toMatchObject({
      code: "ENOTDIR",
    });
  });

  it.skipIf(TMPFS_UNAVAILABLE !== undefined)(
    `reports EROFS on a read-only file system, where Node's recursive mkdir said ENOENT (${TMPFS_UNAVAILABLE ?? "tmpfs available"})`,
    async () => {
      const tmpfs = await mountTmpfs(64 * 1024);
      try {
        execFileSync("mount", ["-o", "remount,ro", tmpfs.path]);
        await expect(makeDirectories(join(tmpfs.path, "x/y"))).rejects.toMatchObject({
          code: "EROFS",
        });
        await expect(makeTopicFolder(join(tmpfs.path, "RHEL-9.4"))).rejects.toMatchObject({
          code: "READ_ONLY_FS",
          exitCode: 7,
          message: expect.stringContaining("Read-only file system"),
        });
      } finally {
        await tmpfs.unmount();
      }
    },
  );
});

describe("makeTopicFolder", () => {
  it("creates DEST and the topic folder, and accepts an existing real one", async () => {
    await makeTopicFolder(join(root, "dest/RHEL-9.4"));
    await mkdir(join(root, "dest/RHEL-9.4"), { recursive: true });
    await makeTopicFolder(join(root, "dest/RHEL-9.4"));
    expect((await lstat(join(root, "dest/RHEL-9.4"))).isDirectory()).toBe(true);
  });
});
