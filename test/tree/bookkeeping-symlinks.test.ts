// Bookkeeping reached through symlinks: a link where the topic folder, `.dci-mirror`, state.json
// or the lock should be is refused or replaced (the link itself), never followed, so nothing
// outside DEST is read as ours, written or deleted.
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { VerifiedRecord } from "../../src/model.js";
import { acquireTopicLock } from "../../src/tree/lock.js";
import { readRecord, writeRecord } from "../../src/tree/record.js";
import { readSelection } from "../../src/tree/selection.js";

const signal = new AbortController().signal;
let dest: string;
let outside: string;

const record: VerifiedRecord = {
  schema: "dci-mirror/state/1",
  componentId: "c-1",
  componentName: "C-1",
  files: { a: { sizeBytes: 1, mtimeMs: 1, ino: 1, sha256: "a".repeat(64) } },
};

beforeEach(async () => {
  const parent = await mkdtemp(join(tmpdir(), "dci-mirror-bk-links-"));
  dest = join(parent, "dest");
  outside = join(parent, "outside");
  await mkdir(dest);
  await mkdir(outside);
});
afterEach(async () => {
  await rm(join(dest, ".."), { recursive: true, force: true });
});

/** Every name and text under the outside folder, to compare before and after. */
async function snapshot(folder: string): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};
  for (const name of (await readdir(folder, { recursive: true })).sort()) {
    const path = join(folder, name);
    const stats = await lstat(path);
    entries[name] = stats.isFile()
      ? await readFile(path, "utf8")
      : stats.isDirectory()
        ? "<dir>"
        : "<other>";
  }
  return entries;
}

describe("bookkeeping reached through symlinks", () => {
  it("does not read a record or selection through a .dci-mirror symlinked out of DEST", async () => {
    const folder = join(dest, "T", "compose");
    await mkdir(folder, { recursive: true });
    await writeFile(join(outside, "state.json"), JSON.stringify(record));
    await writeFile(
      join(outside, "selection.json"),
      JSON.stringify({
        schema: "dci-mirror/selection/1",
        componentId: "c-1",
        componentName: "C-1",
        files: [],
        symlinks: [],
      }),
    );
    await symlink(outside, join(folder, ".dci-mirror"));
    expect(await readRecord(folder, signal)).toBeUndefined();
    expect(await readSelection(folder, signal)).toBeUndefined();
  });

  it("does not read a state.json that is a symlink to a file out of DEST", async () => {
    const folder = join(dest, "T", "compose");
    await mkdir(join(folder, ".dci-mirror"), { recursive: true });
    await writeFile(join(outside, "record"), JSON.stringify(record));
    await symlink(join(outside, "record"), join(folder, ".dci-mirror", "state.json"));
    expect(await readRecord(folder, signal)).toBeUndefined();
  });

  it("replaces a symlinked .dci-mirror by a real folder when writing, leaving the outside folder unchanged", async () => {
    const folder = join(dest, "T", "compose");
    await mkdir(folder, { recursive: true });
    await writeFile(join(outside, "state.json"), "theirs\n");
    const before = await snapshot(outside);
    await symlink(outside, join(folder, ".dci-mirror"));
    await writeRecord(folder, record, signal);
    expect(await snapshot(outside)).toEqual(before);
    expect((await lstat(join(folder, ".dci-mirror"))).isDirectory()).toBe(true);
    expect(await readRecord(folder, signal)).toEqual(record);
  });

  it("replaces a state.json symlinked out of DEST by a file of its own, the target unchanged", async () => {
    const folder = join(dest, "T", "compose");
    await mkdir(join(folder, ".dci-mirror"), { recursive: true });
    await writeFile(join(outside, "target"), "theirs\n");
    await symlink(join(outside, "target"), join(folder, ".dci-mirror", "state.json"));
    await writeRecord(folder, record, signal);
    expect(await readFile(join(outside, "target"), "utf8")).toBe("theirs\n");
    expect((await lstat(join(folder, ".dci-mirror", "state.json"))).isFile()).toBe(true);
  });

  it("removes a symlink standing at the lock's name (the link, not its target) and takes the lock", async () => {
    const topicFolder = join(dest, "T");
    await mkdir(topicFolder);
    await writeFile(join(outside, "target"), "theirs\n");
    await symlink(join(outside, "target"), join(topicFolder, ".dci-mirror.lock"));
    const lock = await acquireTopicLock(topicFolder, { timeoutMs: 0, signal });
    expect((await lstat(lock.path)).isFile()).toBe(true);
    await lock.release();
    expect(await snapshot(outside)).toEqual({ target: "theirs\n" });
  });

  it("refuses a topic folder that is a symlink out of DEST, writing nothing through it", async () => {
    await symlink(outside, join(dest, "T"));
    await expect(acquireTopicLock(join(dest, "T"), { timeoutMs: 0, signal })).rejects.toMatchObject(
      {
        code: "UNSAFE_LOCAL_PATH",
        exitCode: 7,
        message: expect.stringContaining("it is a symlink"),
        hint: expect.stringContaining("real folder"),
      },
    );
    expect(await readdir(outside)).toEqual([]);
    expect(await readlink(join(dest, "T"))).toBe(outside);
  });
});
