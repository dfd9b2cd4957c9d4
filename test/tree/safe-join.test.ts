import { lstat, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureDirectoryInside, safeJoin } from "../../src/tree/safe-join.js";

let base: string;
let root: string;
let outside: string;
const signal = new AbortController().signal;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), "dci-mirror-safe-join-"));
  root = join(base, "root");
  outside = join(base, "outside");
  await mkdir(root);
  await mkdir(outside);
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("safeJoin", () => {
  it.each([
    ["BaseOS/x86_64/os/Packages/a.rpm", "/r/BaseOS/x86_64/os/Packages/a.rpm"],
    [".composeinfo", "/r/.composeinfo"],
    ["..hidden/x", "/r/..hidden/x"],
    ["with space/a\\b", "/r/with space/a\\b"],
  ])("joins the safe path %j inside the root", (relPath, expected) => {
    expect(safeJoin("/r", relPath)).toBe(expected);
  });

  it.each([
    ["", "empty"],
    ["/etc/passwd", "absolute"],
    ["../x", '".."'],
    ["a/../../x", '".."'],
    ["a//b", "empty segment"],
    ["a/", "empty segment"],
    ["./a", '"."'],
    ["a/./b", '"."'],
    ["a\0b", "NUL"],
  ])("refuses %j with UNSAFE_LOCAL_PATH", (relPath, why) => {
    expect(() => safeJoin("/r", relPath)).toThrow(
      expect.objectContaining({
        code: "UNSAFE_LOCAL_PATH",
        exitCode: 7,
        message: expect.stringContaining(why),
      }),
    );
  });
});

describe("ensureDirectoryInside", () => {
  it("creates every missing directory and returns the deepest", async () => {
    const created = await ensureDirectoryInside(root, "a/b/c", signal);
    expect(created).toBe(join(root, "a/b/c"));
    expect((await lstat(created)).isDirectory()).toBe(true);
  });

  it("returns the root itself for an empty or dot path, creating it if needed", async () => {
    const fresh = join(base, "fresh", "component");
    expect(await ensureDirectoryInside(fresh, "", signal)).toBe(fresh);
    expect(await ensureDirectoryInside(fresh, ".", signal)).toBe(fresh);
    expect((await lstat(fresh)).isDirectory()).toBe(true);
  });

  it("replaces a symlink out of the root with a real directory, leaving its target alone", async () => {
    await writeFile(join(outside, "precious"), "keep me");
    await symlink(outside, join(root, "a"));
    await ensureDirectoryInside(root, "a/b", signal);
    expect((await lstat(join(root, "a"))).isDirectory()).toBe(true);
    expect(await readdir(outside)).toEqual(["precious"]);
    expect(await readdir(join(root, "a"))).toEqual(["b"]);
  });

  it("replaces a regular file standing where a directory is needed", async () => {
    await mkdir(join(root, "a"));
    await writeFile(join(root, "a", "b"), "in the way");
    await ensureDirectoryInside(root, "a/b/c", signal);
    expect((await lstat(join(root, "a/b"))).isDirectory()).toBe(true);
  });

  it("refuses a path that climbs out of the root", async () => {
    await expect(ensureDirectoryInside(root, "a/../../x", signal)).rejects.toMatchObject({
      code: "UNSAFE_LOCAL_PATH",
    });
    expect(await readdir(base)).toEqual(["outside", "root"]);
  });

  it("stops with the signal's reason when aborted", async () => {
    const reason = new Error("stop");
    await expect(ensureDirectoryInside(root, "a/b", AbortSignal.abort(reason))).rejects.toBe(
      reason,
    );
  });
});
