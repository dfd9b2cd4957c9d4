import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scanTree, statFile } from "../../src/tree/scan.js";

let base: string;
let root: string;
const signal = new AbortController().signal;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), "dci-mirror-scan-"));
  root = join(base, "compose");
  await mkdir(join(root, "BaseOS/x86_64/os/Packages"), { recursive: true });
  await writeFile(join(root, "BaseOS/x86_64/os/Packages/a.rpm"), "aaaa");
  await writeFile(join(root, "COMPOSE_ID"), "RHEL-9.4.0-20240415.1");
  await symlink("BaseOS/x86_64/os", join(root, "latest"));
  // The tool's own bookkeeping at the root: never part of the inventory.
  await mkdir(join(root, ".dci-mirror/partial"), { recursive: true });
  await writeFile(join(root, ".dci-mirror/state.json"), "{}");
  await writeFile(join(root, ".dci-mirror-tmp-1234"), "leftover");
  // Deeper down, such a name is an ordinary entry (a leftover temp file prune should clear).
  await writeFile(join(root, "BaseOS/.dci-mirror-tmp-5678"), "leftover");
  await mkdir(join(base, "outside"));
  await writeFile(join(base, "outside/secret"), "s");
  await symlink(join(base, "outside"), join(root, "escape"));
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("scanTree", () => {
  it("lists files, directories and symlinks sorted by relative POSIX path, without bookkeeping", async () => {
    const entries = await scanTree(root, signal);
    expect(entries.map((entry) => [entry.path, entry.kind])).toEqual([
      ["BaseOS", "directory"],
      ["BaseOS/.dci-mirror-tmp-5678", "file"],
      ["BaseOS/x86_64", "directory"],
      ["BaseOS/x86_64/os", "directory"],
      ["BaseOS/x86_64/os/Packages", "directory"],
      ["BaseOS/x86_64/os/Packages/a.rpm", "file"],
      ["COMPOSE_ID", "file"],
      ["escape", "symlink"],
      ["latest", "symlink"],
    ]);
  });

  it("records size, mtime and inode from lstat, and the link text of symlinks", async () => {
    const entries = await scanTree(root, signal);
    const file = entries.find((entry) => entry.path === "BaseOS/x86_64/os/Packages/a.rpm");
    expect(file).toMatchObject({ kind: "file", sizeBytes: 4 });
    expect(file?.ino).toBeGreaterThan(0);
    expect(file?.mtimeMs).toBeGreaterThan(0);
    expect(file).not.toHaveProperty("linkTarget");
    expect(entries.find((entry) => entry.path === "latest")).toMatchObject({
      kind: "symlink",
      linkTarget: "BaseOS/x86_64/os",
    });
  });

  it("returns nothing for a root that does not exist yet", async () => {
    expect(await scanTree(join(base, "missing"), signal)).toEqual([]);
  });

  it("stops with the signal's reason when aborted", async () => {
    const reason = new Error("stop");
    await expect(scanTree(root, AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it("lists every entry of a tree wider than one batch, whatever the order directories fill the work list", async () => {
    const wide = join(base, "wide");
    for (let directory = 0; directory < 20; directory++) {
      await mkdir(join(wide, `d${directory}`), { recursive: true });
      await Promise.all(
        Array.from({ length: 20 }, (_unused, index) =>
          writeFile(join(wide, `d${directory}`, `f${index}`), ""),
        ),
      );
    }
    const entries = await scanTree(wide, signal);
    expect(entries).toHaveLength(20 + 20 * 20);
    const paths = entries.map((entry) => entry.path);
    expect(paths).toEqual([...paths].sort());
  });

  it("gives the same inventory with lstat on the thread pool and on the calling thread", async () => {
    const pooled = await scanTree(root, signal, { syncLstat: false });
    expect(pooled.length).toBeGreaterThan(5);
    expect(await scanTree(root, signal, { syncLstat: true })).toEqual(pooled);
    // Chosen by itself on this machine's temp dir (a local file system in CI), the same again.
    expect(await scanTree(root, signal)).toEqual(pooled);
  });
});

describe("statFile", () => {
  it("describes a file, and a symlink without following it", async () => {
    expect(await statFile(root, "COMPOSE_ID")).toMatchObject({
      path: "COMPOSE_ID",
      kind: "file",
      sizeBytes: 21,
    });
    expect(await statFile(root, "escape")).toMatchObject({
      kind: "symlink",
      linkTarget: join(base, "outside"),
    });
  });

  it("returns undefined when nothing is there, even below a file", async () => {
    expect(await statFile(root, "nope.rpm")).toBeUndefined();
    expect(await statFile(root, "COMPOSE_ID/child")).toBeUndefined();
  });

  it("refuses an unsafe path", async () => {
    await expect(statFile(root, "../compose/COMPOSE_ID")).rejects.toMatchObject({
      code: "UNSAFE_LOCAL_PATH",
    });
  });
});
