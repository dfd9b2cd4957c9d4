import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalIOError } from "../../src/errors.js";
import { checkFreeSpace, freeBytes } from "../../src/tree/free-space.js";

let root: string;

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
    await expect(checkFreeSpace(1, root)).resolves.toBeUndefined();
  });

  it("refuses a need that does not fit, saying how much is needed and free", async () => {
    const attempt = checkFreeSpace(2 ** 52, root);
    await expect(attempt).rejects.toBeInstanceOf(LocalIOError);
    await expect(attempt).rejects.toMatchObject({
      code: "NO_SPACE",
      exitCode: 7,
      message: expect.stringMatching(
        new RegExp(`needs 4\\.0 PiB more, [0-9.]+ [KMGTP]?i?B free on ${root}\\.$`),
      ),
      hint: expect.stringContaining("--arch/--variant/--include"),
    });
  });
});
