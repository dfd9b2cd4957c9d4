import { lstat, mkdir, mkdtemp, readdir, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { placeSymlink } from "../../src/tree/symlinks.js";

let base: string;
let root: string;
const signal = new AbortController().signal;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), "dci-mirror-symlinks-"));
  root = join(base, "compose");
  await mkdir(root);
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("placeSymlink", () => {
  it("creates a link and its parent directories, then leaves an identical one unchanged", async () => {
    const options = { root, relPath: "a/b/latest", target: "../../Packages", signal };
    expect(await placeSymlink(options)).toBe("created");
    expect(await readlink(join(root, "a/b/latest"))).toBe("../../Packages");
    const { ino } = await lstat(join(root, "a/b/latest"));
    expect(await placeSymlink(options)).toBe("unchanged");
    expect((await lstat(join(root, "a/b/latest"))).ino).toBe(ino);
  });

  it("updates a link whose target changed, leaving no temp entry", async () => {
    await symlink("old", join(root, "latest"));
    expect(await placeSymlink({ root, relPath: "latest", target: "new", signal })).toBe("updated");
    expect(await readlink(join(root, "latest"))).toBe("new");
    expect(await readdir(root)).toEqual(["latest"]);
  });

  it("replaces a regular file and a real directory standing at the link's name", async () => {
    await writeFile(join(root, "file-here"), "x");
    await mkdir(join(root, "dir-here/inner"), { recursive: true });
    expect(await placeSymlink({ root, relPath: "file-here", target: "t", signal })).toBe("updated");
    expect(await placeSymlink({ root, relPath: "dir-here", target: "t", signal })).toBe("updated");
    expect((await lstat(join(root, "dir-here"))).isSymbolicLink()).toBe(true);
  });

  it.each([
    ["../outside", "latest", "leaves the component folder"],
    ["../../x", "a/latest", "leaves the component folder"],
    ["b/../../../x", "a/latest", "leaves the component folder"],
    ["/etc", "latest", "absolute"],
    ["", "latest", "empty"],
  ])("refuses the target %j for %j", async (target, relPath, why) => {
    await expect(placeSymlink({ root, relPath, target, signal })).rejects.toMatchObject({
      code: "UNSAFE_LOCAL_PATH",
      message: expect.stringContaining(why),
    });
    expect(await readdir(root)).toEqual([]);
  });

  it("refuses an unsafe link path", async () => {
    await expect(
      placeSymlink({ root, relPath: "../latest", target: "compose", signal }),
    ).rejects.toMatchObject({ code: "UNSAFE_LOCAL_PATH" });
  });
});
