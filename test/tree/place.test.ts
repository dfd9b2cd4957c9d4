import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Placer, writeFileAtomic } from "../../src/tree/place.js";
import { toLocalEntry } from "../../src/tree/scan.js";

let base: string;
let root: string;
let outside: string;
let partialPath: string;
const signal = new AbortController().signal;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), "dci-mirror-place-"));
  root = join(base, "compose");
  outside = join(base, "outside");
  await mkdir(join(root, ".dci-mirror/partial"), { recursive: true });
  await mkdir(outside);
  partialPath = join(root, ".dci-mirror/partial/abc.part");
  await writeFile(partialPath, "new bytes");
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

/** Places one partial the way a run does (place, then flush) and returns the placed entry. */
async function placeFile(options: {
  root: string;
  partialPath: string;
  relPath: string;
  signal: AbortSignal;
}) {
  const placer = new Placer(options.root, options.signal);
  await placer.place(options.partialPath, options.relPath);
  await placer.flush();
  return toLocalEntry(options.relPath, await lstat(join(options.root, options.relPath)));
}

describe("Placer", () => {
  it("moves the partial to its final path, creating the directories, and returns its entry", async () => {
    const entry = await placeFile({ root, partialPath, relPath: "BaseOS/os/a.rpm", signal });
    expect(entry).toMatchObject({ path: "BaseOS/os/a.rpm", kind: "file", sizeBytes: 9 });
    expect(entry.ino).toBe((await lstat(join(root, "BaseOS/os/a.rpm"))).ino);
    expect(await readFile(join(root, "BaseOS/os/a.rpm"), "utf8")).toBe("new bytes");
    expect(await readdir(join(root, ".dci-mirror/partial"))).toEqual([]);
  });

  it("replaces an older file of the same name", async () => {
    await writeFile(join(root, "a.rpm"), "old");
    await placeFile({ root, partialPath, relPath: "a.rpm", signal });
    expect(await readFile(join(root, "a.rpm"), "utf8")).toBe("new bytes");
  });

  it("holds a file back while a directory stands at its path, and replaces the directory in placeHeld", async () => {
    await mkdir(join(root, "a.rpm/inner"), { recursive: true });
    const placer = new Placer(root, signal);
    await placer.place(partialPath, "a.rpm");
    expect((await lstat(join(root, "a.rpm/inner"))).isDirectory()).toBe(true);
    expect(placer.heldPaths).toEqual(["a.rpm"]);
    await placer.placeHeld();
    await placer.flush();
    expect((await lstat(join(root, "a.rpm"))).isFile()).toBe(true);
    expect(placer.heldPaths).toEqual([]);
  });

  it("keeps the directory and deletes the held file in dropHeld (a run with failures)", async () => {
    await mkdir(join(root, "a.rpm/inner"), { recursive: true });
    const placer = new Placer(root, signal);
    await placer.place(partialPath, "a.rpm");
    expect(await placer.dropHeld()).toEqual(["a.rpm"]);
    expect((await lstat(join(root, "a.rpm/inner"))).isDirectory()).toBe(true);
    expect((await readdir(root)).sort()).toEqual([".dci-mirror", "a.rpm"]);
  });

  it("replaces a symlink at the final path instead of writing through it", async () => {
    await writeFile(join(outside, "victim"), "untouched");
    await symlink(join(outside, "victim"), join(root, "a.rpm"));
    await placeFile({ root, partialPath, relPath: "a.rpm", signal });
    expect((await lstat(join(root, "a.rpm"))).isFile()).toBe(true);
    expect(await readFile(join(outside, "victim"), "utf8")).toBe("untouched");
  });

  it("never writes through a symlinked parent directory out of the root", async () => {
    await symlink(outside, join(root, "BaseOS"));
    await placeFile({ root, partialPath, relPath: "BaseOS/a.rpm", signal });
    expect(await readdir(outside)).toEqual([]);
    expect(await readFile(join(root, "BaseOS/a.rpm"), "utf8")).toBe("new bytes");
  });

  it("refuses an unsafe path and leaves the partial where it was", async () => {
    await expect(
      placeFile({ root, partialPath, relPath: "../escape", signal }),
    ).rejects.toMatchObject({ code: "UNSAFE_LOCAL_PATH", exitCode: 7 });
    expect(await readFile(partialPath, "utf8")).toBe("new bytes");
  });

  it("reports a missing partial as a LocalIOError", async () => {
    await expect(
      placeFile({ root, partialPath: join(root, "missing.part"), relPath: "a.rpm", signal }),
    ).rejects.toMatchObject({ code: "LOCAL_IO", message: expect.stringContaining("ENOENT") });
  });
});

describe("writeFileAtomic", () => {
  it("writes the bytes under the final name and leaves no temp file", async () => {
    const entry = await writeFileAtomic(root, "meta/images_list.yaml", "images: []\n", signal);
    expect(entry).toMatchObject({ path: "meta/images_list.yaml", kind: "file", sizeBytes: 11 });
    expect(await readdir(join(root, "meta"))).toEqual(["images_list.yaml"]);
  });

  it("replaces an existing file and accepts raw bytes", async () => {
    await writeFile(join(root, "COMPOSE_ID"), "old");
    await writeFileAtomic(root, "COMPOSE_ID", new Uint8Array([0x6e, 0x65, 0x77]), signal);
    expect(await readFile(join(root, "COMPOSE_ID"), "utf8")).toBe("new");
  });

  it("leaves a file that already holds the same bytes untouched, and rewrites one that differs", async () => {
    const first = await writeFileAtomic(root, "state.json", '{"a":1}\n', signal);
    const again = await writeFileAtomic(root, "state.json", '{"a":1}\n', signal);
    // Same inode and mtime: nothing was written, renamed or fsynced.
    expect(again).toEqual(first);
    const changed = await writeFileAtomic(root, "state.json", '{"a":2}\n', signal);
    expect(changed.ino).not.toBe(first.ino);
    expect(await readFile(join(root, "state.json"), "utf8")).toBe('{"a":2}\n');
  });

  it("writes content given in pieces, many chunks long, and keeps it when the pieces are the same", async () => {
    const lines = Array.from({ length: 30_000 }, (_, index) => `"entry ${index}",`);
    const pieces = (last: string) => () => [...lines, last];
    const first = await writeFileAtomic(root, "state.json", pieces("end\n"), signal);
    const text = await readFile(join(root, "state.json"), "utf8");
    expect(text).toBe(`${lines.join("")}end\n`);
    expect(text.length).toBeGreaterThan(4 * 64 * 1024);
    expect(await writeFileAtomic(root, "state.json", pieces("end\n"), signal)).toEqual(first);
    // A change in the last chunk only, a longer text and a shorter one are each written anew.
    for (const last of ["END\n", "end\nmore\n", ""]) {
      const before = await lstat(join(root, "state.json"));
      const entry = await writeFileAtomic(root, "state.json", pieces(last), signal);
      expect(entry.ino).not.toBe(before.ino);
      expect(await readFile(join(root, "state.json"), "utf8")).toBe(`${lines.join("")}${last}`);
    }
  });

  it("replaces a symlink at the final name even when its target holds the same bytes", async () => {
    await writeFile(join(outside, "same"), "bytes");
    await symlink(join(outside, "same"), join(root, "x"));
    const entry = await writeFileAtomic(root, "x", "bytes", signal);
    expect(entry.kind).toBe("file");
    expect((await lstat(join(root, "x"))).isSymbolicLink()).toBe(false);
  });

  it("stops with the signal's reason when aborted, leaving no temp file", async () => {
    const reason = new Error("stop");
    await expect(writeFileAtomic(root, "x", "bytes", AbortSignal.abort(reason))).rejects.toBe(
      reason,
    );
    expect((await readdir(root)).sort()).toEqual([".dci-mirror"]);
  });
});
