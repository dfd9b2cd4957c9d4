import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pruneEntries, removeEmptyDirectories } from "../../src/tree/prune.js";
import { scanTree } from "../../src/tree/scan.js";

let base: string;
let root: string;
let outside: string;
const signal = new AbortController().signal;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), "dci-mirror-prune-"));
  root = join(base, "compose");
  outside = join(base, "outside");
  await mkdir(join(root, "old/deeper"), { recursive: true });
  await mkdir(join(root, ".dci-mirror/partial"), { recursive: true });
  await mkdir(outside);
  await writeFile(join(outside, "victim"), "untouched");
  await writeFile(join(root, "old/deeper/gone.rpm"), "x");
  await writeFile(join(root, "keep.rpm"), "x");
  await writeFile(join(root, ".dci-mirror/state.json"), "{}");
  await symlink(join(outside, "victim"), join(root, "to-victim"));
  await symlink(outside, join(root, "linked-dir"));
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function paths(): Promise<string[]> {
  return (await scanTree(root, signal)).map((entry) => entry.path);
}

describe("pruneEntries", () => {
  it("removes the listed files and symlinks, never what a symlink points to", async () => {
    const removed = await pruneEntries(root, ["old/deeper/gone.rpm", "to-victim"], signal);
    expect(removed).toEqual(["old/deeper/gone.rpm", "to-victim"]);
    expect(await paths()).toEqual(["keep.rpm", "linked-dir", "old", "old/deeper"]);
    expect(await readFile(join(outside, "victim"), "utf8")).toBe("untouched");
  });

  it("skips bookkeeping, directories, missing entries and paths through a symlinked directory", async () => {
    const removed = await pruneEntries(
      root,
      [".dci-mirror/state.json", ".dci-mirror", "old", "missing.rpm", "linked-dir/victim"],
      signal,
    );
    expect(removed).toEqual([]);
    expect(await readFile(join(root, ".dci-mirror/state.json"), "utf8")).toBe("{}");
    expect(await readFile(join(outside, "victim"), "utf8")).toBe("untouched");
  });

  it("refuses an unsafe path", async () => {
    await expect(pruneEntries(root, ["../outside/victim"], signal)).rejects.toMatchObject({
      code: "UNSAFE_LOCAL_PATH",
    });
    expect(await readFile(join(outside, "victim"), "utf8")).toBe("untouched");
  });
});

describe("removeEmptyDirectories", () => {
  it("removes empty directories bottom-up, keeping the root, bookkeeping and linked directories", async () => {
    await pruneEntries(root, ["old/deeper/gone.rpm"], signal);
    await mkdir(join(root, "full/empty"), { recursive: true });
    await writeFile(join(root, "full/file"), "x");
    await mkdir(join(outside, "empty-target"));
    await symlink(join(outside, "empty-target"), join(root, "full/link-to-empty"));
    await rm(join(root, ".dci-mirror/state.json"));

    expect(await removeEmptyDirectories(root, signal)).toEqual(["full/empty", "old/deeper", "old"]);
    expect(await paths()).toEqual([
      "full",
      "full/file",
      "full/link-to-empty",
      "keep.rpm",
      "linked-dir",
      "to-victim",
    ]);
    expect((await readdir(root)).includes(".dci-mirror")).toBe(true);
    expect((await readdir(outside)).sort()).toEqual(["empty-target", "victim"]);
  });

  it("leaves an empty root in place", async () => {
    const empty = join(base, "empty");
    await mkdir(empty);
    expect(await removeEmptyDirectories(empty, signal)).toEqual([]);
    expect(await readdir(base)).toContain("empty");
  });
});
