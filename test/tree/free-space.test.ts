import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalIOError } from "../../src/errors.js";
import {
  checkFreeSpace,
  freeBytes,
  neededBlockBytes,
  neededInodes,
} from "../../src/tree/free-space.js";
import type { SpaceNeed } from "../../src/tree/space-need.js";
import { mountTmpfs, TMPFS_UNAVAILABLE } from "../helpers/tmpfs.js";

let root: string;

/** A need of new files of these sizes, in no new folder, with no bookkeeping. */
function need(sizes: readonly number[], newDirectories = 0): SpaceNeed {
  return {
    files: sizes.map((sizeBytes) => ({ sizeBytes, heldBytes: 0 })),
    newDirectories,
    bookkeepingBytes: 0,
  };
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "dci-mirror-free-space-"));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("freeBytes", () => {
  it("measures the file system holding a directory", async () => {
    expect(await freeBytes(root)).toBeGreaterThan(0);
  });

  it("measures the nearest existing ancestor of a path that does not exist yet", async () => {
    expect(await freeBytes(join(root, "DEST/RHEL-9.4/compose"))).toBeGreaterThan(0);
  });
});

describe("checkFreeSpace", () => {
  it("accepts a need that fits", async () => {
    await expect(checkFreeSpace(need([1]), root)).resolves.toBeUndefined();
  });

  it("refuses a need that does not fit, saying how much is needed and free", async () => {
    const attempt = checkFreeSpace(need([2 ** 52]), root);
    await expect(attempt).rejects.toBeInstanceOf(LocalIOError);
    await expect(attempt).rejects.toMatchObject({
      code: "NO_SPACE",
      exitCode: 7,
      message: expect.stringMatching(
        new RegExp(`needs 4\\.0 PiB more, [0-9.]+ [KMGTP]?i?B free on ${root} \\(1 files, `),
      ),
      hint: expect.stringContaining("--arch/--variant/--include"),
    });
  });
});

describe("counting blocks and inodes", () => {
  it("rounds each file up to whole blocks, minus the blocks a partial already holds", () => {
    const resumed: SpaceNeed = {
      files: [
        { sizeBytes: 1, heldBytes: 0 },
        { sizeBytes: 10_000, heldBytes: 5_000 },
      ],
      newDirectories: 2,
      bookkeepingBytes: 100,
    };
    // 1 block + (3 - 2) blocks + 2 folders + 1 block of bookkeeping.
    expect(neededBlockBytes(resumed, 4096)).toBe(5 * 4096);
    // One new file (the resumed one has its partial), two folders, the bookkeeping allowance.
    expect(neededInodes(resumed)).toBe(1 + 2 + 8);
  });

  it.skipIf(TMPFS_UNAVAILABLE !== undefined)(
    `refuses 600 one-byte files on a 1 MiB tmpfs, as 600 blocks do not fit (${TMPFS_UNAVAILABLE ?? "tmpfs available"})`,
    async () => {
      const tmpfs = await mountTmpfs(1024 * 1024);
      try {
        const attempt = checkFreeSpace(need(Array.from({ length: 600 }, () => 1)), tmpfs.path);
        await expect(attempt).rejects.toMatchObject({
          code: "NO_SPACE",
          exitCode: 7,
          message: expect.stringMatching(
            /needs 2\.3 MiB more, 1\.0 MiB free .*600 files.*4\.0 KiB blocks/,
          ),
        });
        await expect(
          checkFreeSpace(need(Array.from({ length: 200 }, () => 1)), tmpfs.path),
        ).resolves.toBeUndefined();
      } finally {
        await tmpfs.unmount();
      }
    },
  );

  it.skipIf(TMPFS_UNAVAILABLE !== undefined)(
    `refuses more new files and folders than the file system has free inodes (${TMPFS_UNAVAILABLE ?? "tmpfs available"})`,
    async () => {
      const tmpfs = await mountTmpfs(64 * 1024 * 1024, { inodes: 50 });
      try {
        const attempt = checkFreeSpace(
          need(
            Array.from({ length: 45 }, () => 1),
            3,
          ),
          tmpfs.path,
        );
        await expect(attempt).rejects.toMatchObject({
          code: "NO_SPACE",
          exitCode: 7,
          message: expect.stringMatching(
            /Not enough inodes: the mirror creates 56 files and folders, only 49 inodes free/,
          ),
          hint: expect.stringContaining("inodes"),
        });
        await expect(checkFreeSpace(need([1, 1, 1], 3), tmpfs.path)).resolves.toBeUndefined();
      } finally {
        await tmpfs.unmount();
      }
    },
  );
});
