// The link pool on the real file system: files a verified record vouches for are hard-linked into
// a new folder (copied across file systems), and a file changed since it was verified, a symlink
// on the way or an unsafe path is never used.
import { createHash } from "node:crypto";
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  symlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalIOError } from "../../src/errors.js";
import type { VerifiedEntry } from "../../src/model.js";
import { type LinkRefusedCode, linkInto } from "../../src/tree/link-into.js";
import { type LinkPool, LinkPool as Pool } from "../../src/tree/link-pool.js";
import { writeRecord } from "../../src/tree/record.js";
import { mountTmpfs, TMPFS_UNAVAILABLE, type Tmpfs } from "../helpers/tmpfs.js";

const signal = new AbortController().signal;
const RPM = "BaseOS/x86_64/os/Packages/a.rpm";
const BYTES = "the bytes of a.rpm\n";
const SHA = sha256(BYTES);
/** Every verified file's mtime: a whole second, so a test can put it back exactly. */
const VERIFIED_AT = new Date("2024-04-15T08:00:00Z");

let base: string;
const mounts: Tmpfs[] = [];

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), "dci-mirror-link-pool-"));
});

afterEach(async () => {
  for (const mount of mounts.splice(0)) await mount.unmount();
  await rm(base, { recursive: true, force: true });
});

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Writes `files` under `folder` and a record vouching for each as it now stands. */
async function verifiedFolder(folder: string, files: Record<string, string>): Promise<void> {
  const entries: Record<string, VerifiedEntry> = {};
  for (const [relPath, text] of Object.entries(files)) {
    const path = join(folder, relPath);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    await utimes(path, VERIFIED_AT, VERIFIED_AT);
    const stats = await lstat(path);
    entries[relPath] = {
      sizeBytes: stats.size,
      mtimeMs: stats.mtimeMs,
      ino: stats.ino,
      sha256: sha256(text),
    };
  }
  await writeRecord(
    folder,
    { schema: "dci-mirror/state/1", componentId: "c1", componentName: "RHEL-9.4", files: entries },
    signal,
  );
}

async function poolOf(...folders: string[]): Promise<LinkPool> {
  return Pool.fromFolders(folders, signal);
}

/** Links RPM's source into `root` at `relPath`, collecting fallback codes. */
async function place(pool: LinkPool, root: string, relPath: string) {
  const source = await pool.find(SHA, BYTES.length, signal);
  if (source === undefined) throw new Error("the pool found no source");
  const fallbacks: LinkRefusedCode[] = [];
  const result = await linkInto({
    source,
    root,
    relPath,
    signal,
    onFallback: (code) => fallbacks.push(code),
  });
  return { source, result, fallbacks };
}

describe("LinkPool", () => {
  it("indexes the records of its folders by sha256 and size; a folder without one adds nothing", async () => {
    const old = join(base, "old");
    await verifiedFolder(old, { [RPM]: BYTES, COMPOSE_ID: "RHEL-9.4.0\n" });
    const bare = join(base, "bare");
    await mkdir(bare);
    await writeFile(join(bare, "a.rpm"), BYTES);
    const pool = await poolOf(bare, old, join(base, "missing"));
    expect(pool.size).toBe(2);
    const source = await pool.find(SHA, BYTES.length, signal);
    expect(source).toMatchObject({ folder: old, relPath: RPM, path: join(old, RPM) });
    expect(await pool.find(SHA, BYTES.length + 1, signal)).toBeUndefined();
    expect(await pool.find(sha256("other"), BYTES.length, signal)).toBeUndefined();
  });

  it.each([
    [
      "its size changed, its mtime put back",
      async (path: string) => {
        await writeFile(path, "more", { flag: "a" });
        await utimes(path, VERIFIED_AT, VERIFIED_AT);
      },
    ],
    ["only its mtime changed", (path: string) => utimes(path, VERIFIED_AT, new Date(2001, 1, 1))],
    [
      "it was replaced by the same bytes under a new inode, its mtime put back",
      async (path: string) => {
        await writeFile(`${path}.new`, BYTES);
        await utimes(`${path}.new`, VERIFIED_AT, VERIFIED_AT);
        await rename(`${path}.new`, path);
        expect((await lstat(path)).mtime).toEqual(VERIFIED_AT);
      },
    ],
    [
      "it was replaced by a symlink to a valid copy",
      async (path: string) => {
        await rename(path, `${path}.moved`);
        await symlink(`${path}.moved`, path);
      },
    ],
  ])("never offers a file verified once when %s", async (_why, change) => {
    const old = join(base, "old");
    await verifiedFolder(old, { [RPM]: BYTES });
    const pool = await poolOf(old);
    expect(await pool.find(SHA, BYTES.length, signal)).toBeDefined();
    await change(join(old, RPM));
    expect(await pool.find(SHA, BYTES.length, signal)).toBeUndefined();
  });

  it("falls through to another folder's valid copy of the same content, whatever its path", async () => {
    const stale = join(base, "stale");
    const kept = join(base, "kept");
    await verifiedFolder(stale, { [RPM]: BYTES });
    await verifiedFolder(kept, { "elsewhere/renamed.rpm": BYTES });
    const pool = await poolOf(stale, kept);
    await utimes(join(stale, RPM), new Date(), new Date(2001, 1, 1));
    expect(await pool.find(SHA, BYTES.length, signal)).toMatchObject({
      folder: kept,
      relPath: "elsewhere/renamed.rpm",
    });
  });

  it("never reaches a recorded file through a folder since replaced by a symlink", async () => {
    const old = join(base, "old");
    await verifiedFolder(old, { "sub/a.rpm": BYTES });
    // The link leads to the very same file (same inode), yet a link on the way is not followed.
    await rename(join(old, "sub"), join(old, "real"));
    await symlink(join(old, "real"), join(old, "sub"));
    expect(await (await poolOf(old)).find(SHA, BYTES.length, signal)).toBeUndefined();
  });

  it("ignores a record entry whose path leaves its folder", async () => {
    const old = join(base, "old");
    await verifiedFolder(old, { [RPM]: BYTES });
    await writeFile(join(base, "outside.rpm"), BYTES);
    const stats = await lstat(join(base, "outside.rpm"));
    const entry = { sizeBytes: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino, sha256: SHA };
    const files = { "../outside.rpm": entry };
    await writeRecord(
      old,
      { schema: "dci-mirror/state/1", componentId: "c1", componentName: "x", files },
      signal,
    );
    expect((await poolOf(old)).size).toBe(0);
  });
});

describe("linkInto", () => {
  it("hard-links on the same file system: the source's inode, two links, no byte copied", async () => {
    const old = join(base, "old");
    const root = join(base, "new");
    await verifiedFolder(old, { [RPM]: BYTES });
    const { source, result, fallbacks } = await place(await poolOf(old), root, "Packages/a.rpm");
    const placed = await lstat(join(root, "Packages/a.rpm"));
    expect(result).toEqual({
      how: "linked",
      stats: { sizeBytes: BYTES.length, mtimeMs: source.entry.mtimeMs, ino: source.entry.ino },
    });
    expect(placed.ino).toBe(source.entry.ino);
    expect(placed.nlink).toBe(2);
    expect((await lstat(source.path)).nlink).toBe(2);
    expect(fallbacks).toEqual([]);
    expect(await readdir(join(root, "Packages"))).toEqual(["a.rpm"]);
  });

  it("returns undefined and places nothing when the source changed after find", async () => {
    const old = join(base, "old");
    const root = join(base, "new");
    await verifiedFolder(old, { [RPM]: BYTES });
    const pool = await poolOf(old);
    const source = await pool.find(SHA, BYTES.length, signal);
    if (source === undefined) throw new Error("the pool found no source");
    await writeFile(`${source.path}.new`, "other bytes\n");
    await rename(`${source.path}.new`, source.path);
    const onFallback = () => undefined;
    const result = await linkInto({ source, root, relPath: "a.rpm", signal, onFallback });
    expect(result).toBeUndefined();
    expect(await readdir(root)).toEqual([]);
  });

  it("replaces a symlink planted on the way inside root, never writing through it", async () => {
    const old = join(base, "old");
    const root = join(base, "new");
    const outside = join(base, "outside");
    await verifiedFolder(old, { [RPM]: BYTES });
    await mkdir(outside);
    await writeFile(join(outside, "keep"), "kept");
    await mkdir(root);
    await symlink(outside, join(root, "Packages"));
    const { result } = await place(await poolOf(old), root, "Packages/a.rpm");
    expect(result?.how).toBe("linked");
    expect(await readdir(outside)).toEqual(["keep"]);
    expect(await readFile(join(outside, "keep"), "utf8")).toBe("kept");
    expect((await lstat(join(root, "Packages"))).isDirectory()).toBe(true);
    expect(await readFile(join(root, "Packages/a.rpm"), "utf8")).toBe(BYTES);
  });

  it("replaces a symlink standing at the final name itself, never what it points to", async () => {
    const old = join(base, "old");
    const root = join(base, "new");
    await verifiedFolder(old, { [RPM]: BYTES });
    await mkdir(root);
    await writeFile(join(base, "target"), "untouched");
    await symlink(join(base, "target"), join(root, "a.rpm"));
    const { result } = await place(await poolOf(old), root, "a.rpm");
    expect(result?.how).toBe("linked");
    expect((await lstat(join(root, "a.rpm"))).isFile()).toBe(true);
    expect(await readFile(join(base, "target"), "utf8")).toBe("untouched");
  });

  it("stops at once when the run is aborted, placing nothing", async () => {
    const old = join(base, "old");
    const root = join(base, "new");
    await verifiedFolder(old, { [RPM]: BYTES });
    const source = await (await poolOf(old)).find(SHA, BYTES.length, signal);
    if (source === undefined) throw new Error("the pool found no source");
    const aborted = AbortSignal.abort(new Error("stopped"));
    const onFallback = () => undefined;
    const placing = linkInto({ source, root, relPath: "a.rpm", signal: aborted, onFallback });
    await expect(placing).rejects.toThrow("stopped");
    expect(await readdir(base)).toEqual(["old"]);
  });

  it("refuses a relPath with a '..' segment and writes nothing", async () => {
    const old = join(base, "old");
    const root = join(base, "new");
    await verifiedFolder(old, { [RPM]: BYTES });
    const placing = place(await poolOf(old), root, "Packages/../../escaped.rpm");
    await expect(placing).rejects.toBeInstanceOf(LocalIOError);
    await expect(placing).rejects.toMatchObject({ code: "UNSAFE_LOCAL_PATH" });
    expect((await readdir(base)).sort()).toEqual(["old"]);
  });

  it("turns any other failure into a LocalIOError naming the path, leaving no temp file", async () => {
    const old = join(base, "old");
    const root = join(base, "new");
    await verifiedFolder(old, { [RPM]: BYTES });
    const name = `${"n".repeat(300)}.rpm`;
    const placing = place(await poolOf(old), root, `Packages/${name}`);
    await expect(placing).rejects.toBeInstanceOf(LocalIOError);
    await expect(placing).rejects.toMatchObject({ code: "NAME_TOO_LONG" });
    await expect(placing).rejects.toThrow(join(root, "Packages", name));
    expect(await readdir(join(root, "Packages"))).toEqual([]);
  });
});

describe.skipIf(TMPFS_UNAVAILABLE !== undefined)(
  `linkInto across two file systems (${TMPFS_UNAVAILABLE ?? "tmpfs"})`,
  () => {
    it("copies when link says EXDEV: same bytes, its own inode, onFallback told EXDEV", async () => {
      const from = await mountTmpfs(1024 * 1024);
      mounts.push(from);
      const to = await mountTmpfs(1024 * 1024);
      mounts.push(to);
      const old = join(from.path, "old");
      const root = join(to.path, "new");
      await verifiedFolder(old, { [RPM]: BYTES });
      const { source, result, fallbacks } = await place(await poolOf(old), root, RPM);
      const placed = await lstat(join(root, RPM));
      expect(result?.how).toBe("copied");
      expect(fallbacks).toEqual(["EXDEV"]);
      expect(await readFile(join(root, RPM), "utf8")).toBe(BYTES);
      // Two fresh tmpfs number their inodes alike: the inode is told apart by its device too.
      const sourceStats = await lstat(source.path);
      expect(placed.dev).not.toBe(sourceStats.dev);
      expect(`${placed.dev}:${placed.ino}`).not.toBe(`${sourceStats.dev}:${sourceStats.ino}`);
      expect(placed.nlink).toBe(1);
      expect(sourceStats.nlink).toBe(1);
      expect(result?.stats).toEqual({
        sizeBytes: BYTES.length,
        mtimeMs: placed.mtimeMs,
        ino: placed.ino,
      });
      expect(await readdir(dirname(join(root, RPM)))).toEqual(["a.rpm"]);
    });

    it("places no copy of a source changed after find", async () => {
      const from = await mountTmpfs(1024 * 1024);
      mounts.push(from);
      const to = await mountTmpfs(1024 * 1024);
      mounts.push(to);
      const old = join(from.path, "old");
      const root = join(to.path, "new");
      await verifiedFolder(old, { [RPM]: BYTES });
      const source = await (await poolOf(old)).find(SHA, BYTES.length, signal);
      if (source === undefined) throw new Error("the pool found no source");
      // Same size, in place: only its mtime tells, and the copy must not be kept.
      await writeFile(source.path, BYTES.toUpperCase());
      const fallbacks: LinkRefusedCode[] = [];
      const onFallback = (code: LinkRefusedCode) => fallbacks.push(code);
      const result = await linkInto({ source, root, relPath: "a.rpm", signal, onFallback });
      expect(result).toBeUndefined();
      expect(fallbacks).toEqual(["EXDEV"]);
      expect(await readdir(root)).toEqual([]);
    });
  },
);
