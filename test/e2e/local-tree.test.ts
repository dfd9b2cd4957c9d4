// The local tree and the checks made before any transfer, with the real CLI against the sandbox:
// names too long for the file system, space and inodes on a real tmpfs, pseudo file systems as
// DEST, a read-only DEST, bookkeeping reached through symlinks, and a folder that becomes a file.
import { execFileSync } from "node:child_process";
import {
  access,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FileInput, textFile } from "../../src/sandbox/catalog/component-builder.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { runCli, sandboxEnv } from "../helpers/run-cli.js";
import { addTestComponent } from "../helpers/sandbox-component.js";
import { mountTmpfs, TMPFS_UNAVAILABLE } from "../helpers/tmpfs.js";
import { readTree } from "../helpers/tree.js";

let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
  env = sandboxEnv(sandbox);
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  sandbox.setFaults([]);
  sandbox.requestLog.clear();
});

/** Adds a component of its own type to RHEL-9.4 and returns its id. */
function addComponent(type: string, files: readonly FileInput[]): string {
  const component = addTestComponent(sandbox, {
    seed: type,
    name: `${type}-1.0`,
    type,
    files,
  });
  return component.id;
}

/** Requests the object store got for listed files (the files and images lists aside). */
function fileRequests(): readonly string[] {
  const lists = ["dci_files_list.json", "images_list.yaml"];
  return sandbox.requestLog.entries
    .filter((entry) => entry.server === "store" && !lists.some((name) => entry.path.endsWith(name)))
    .map((entry) => entry.path);
}

describe("names too long for the file system", () => {
  it("refuses a listed name over 255 bytes before any download, naming it, with exit 6", async () => {
    const longName = "n".repeat(256);
    const id = addComponent("longname", [textFile("a.txt", "a\n"), textFile(longName, "b\n")]);
    const dest = await mkdtemp(join(tmpdir(), "dci-mirror-longname-"));
    const result = await runCli(["RHEL-9.4", dest, "--component-id", id], env);
    expect(result.exitCode).toBe(6);
    expect(result.stderr).toContain(`Unsafe entry "${longName}"`);
    expect(result.stderr).toContain("256-byte name");
    expect(fileRequests()).toEqual([]);
    expect((await readTree(join(dest, "RHEL-9.4"))).files.size).toBe(0);
  });

  it("refuses a path that would pass 4095 bytes under DEST before any download, with exit 6", async () => {
    const deep = Array.from({ length: 20 }, (_, index) => `${index}`.padEnd(200, "d")).join("/");
    const id = addComponent("deeppath", [textFile("a.txt", "a\n"), textFile(`${deep}/f`, "b\n")]);
    const parent = await mkdtemp(join(tmpdir(), "dci-mirror-deep-"));
    // A DEST long enough that DEST/RHEL-9.4/deeppath/<deep>/f passes 4095 bytes.
    const dest = join(parent, "x".repeat(200));
    await mkdir(dest);
    const result = await runCli(["RHEL-9.4", dest, "--component-id", id], env);
    expect(result.exitCode).toBe(6);
    expect(result.stderr).toContain("longest path the system allows (4095 bytes)");
    expect(fileRequests()).toEqual([]);
    expect(await readdir(join(dest, "RHEL-9.4", "deeppath")).catch(() => [])).not.toContain(
      "a.txt",
    );
  });
});

/** `count` one-byte files in folders of 100, named so their bytes differ. */
function tinyFiles(count: number): FileInput[] {
  return Array.from({ length: count }, (_, index) =>
    textFile(`d${Math.floor(index / 100)}/f${index}`, String.fromCharCode(65 + (index % 26))),
  );
}

describe("space and inodes, counted before any transfer", () => {
  it.skipIf(TMPFS_UNAVAILABLE !== undefined)(
    `refuses 600 one-byte files on a 1 MiB tmpfs up front with exit 7, downloading nothing (${TMPFS_UNAVAILABLE ?? "tmpfs available"})`,
    async () => {
      const id = addComponent("tiny600", tinyFiles(600));
      const tmpfs = await mountTmpfs(1024 * 1024);
      try {
        const result = await runCli(["RHEL-9.4", tmpfs.path, "--component-id", id], env);
        expect(result.exitCode).toBe(7);
        expect(result.stderr).toMatch(/Not enough space: the mirror needs .* free on .*600 files/);
        expect(fileRequests()).toEqual([]);
        expect((await readTree(join(tmpfs.path, "RHEL-9.4"))).files.size).toBe(0);
      } finally {
        await tmpfs.unmount();
      }
    },
  );

  it.skipIf(TMPFS_UNAVAILABLE !== undefined)(
    `refuses more files than the file system has free inodes up front with exit 7 (${TMPFS_UNAVAILABLE ?? "tmpfs available"})`,
    async () => {
      const id = addComponent("tiny120", tinyFiles(120));
      const tmpfs = await mountTmpfs(64 * 1024 * 1024, { inodes: 100 });
      try {
        const result = await runCli(["RHEL-9.4", tmpfs.path, "--component-id", id], env);
        expect(result.exitCode).toBe(7);
        expect(result.stderr).toMatch(
          /Not enough inodes: the mirror creates \d+ files and folders/,
        );
        expect(fileRequests()).toEqual([]);
        expect((await readTree(join(tmpfs.path, "RHEL-9.4"))).files.size).toBe(0);
      } finally {
        await tmpfs.unmount();
      }
    },
  );
});

/** Runs the CLI, killed (SIGKILL) if it has not exited within `limitMs`: /proc used to hang. */
async function runCliWithin(args: readonly string[], limitMs: number) {
  const result = await runCli(args, env, { killAfterMs: limitMs });
  return { ...result, killed: result.signal === "SIGKILL" };
}

describe("pseudo file systems as DEST", () => {
  it.each([
    ["/proc/dci-mirror-test", "proc"],
    ["/sys/dci-mirror-test", "sysfs"],
    ["/dev/dci-mirror-test", "devtmpfs"],
  ])(
    "refuses %s at once with exit 2, naming the %s file system, creating nothing",
    async (dest, fsType) => {
      try {
        const result = await runCliWithin(["RHEL-9.4", dest, "--filter", "compose"], 20_000);
        expect(result.killed).toBe(false);
        expect(result.exitCode).toBe(2);
        expect(result.stderr).toContain(`on a ${fsType} file system`);
        await expect(access(dest)).rejects.toThrow();
        expect(sandbox.requestLog.entries).toEqual([]);
      } finally {
        // Root may create folders on devtmpfs: never leave one behind, even when the test fails.
        if (fsType === "devtmpfs") await rm(dest, { recursive: true, force: true });
      }
    },
    30_000,
  );
});

describe("a read-only destination", () => {
  it.skipIf(TMPFS_UNAVAILABLE !== undefined).each([[""], ["not/yet/there"]])(
    `says "read-only file system" with exit 7 for DEST %j on a read-only tmpfs (${TMPFS_UNAVAILABLE ?? "tmpfs available"})`,
    async (below) => {
      const tmpfs = await mountTmpfs(1024 * 1024);
      try {
        execFileSync("mount", ["-o", "remount,ro", tmpfs.path]);
        const dest = join(tmpfs.path, below);
        const result = await runCli(["RHEL-9.4", dest, "--filter", "compose"], env);
        expect(result.exitCode).toBe(7);
        expect(result.stderr).toContain("Read-only file system");
        expect(result.stderr).not.toContain("ENOENT");
        expect(await readdir(tmpfs.path)).toEqual([]);
      } finally {
        await tmpfs.unmount();
      }
    },
  );
});

describe("bookkeeping reached through symlinks", () => {
  it("leaves an outside folder that a component's .dci-mirror links to unchanged, and mirrors", async () => {
    const id = addComponent("linkedbk", [textFile("a.txt", "a\n"), textFile("d/b.txt", "b\n")]);
    const parent = await mkdtemp(join(tmpdir(), "dci-mirror-bklink-"));
    const dest = join(parent, "dest");
    const outside = join(parent, "outside");
    const folder = join(dest, "RHEL-9.4", "linkedbk");
    await mkdir(folder, { recursive: true });
    await mkdir(join(outside, "partial"), { recursive: true });
    await writeFile(join(outside, "state.json"), "not ours\n");
    await writeFile(join(outside, "selection.json"), "not ours either\n");
    await symlink(outside, join(folder, ".dci-mirror"));
    const lockTarget = join(parent, "lock-target");
    await writeFile(lockTarget, "keep me\n");
    await symlink(lockTarget, join(dest, "RHEL-9.4", ".dci-mirror.lock"));
    const result = await runCli(["RHEL-9.4", dest, "--component-id", id], env);
    expect(result.exitCode).toBe(0);
    expect((await readdir(outside)).sort()).toEqual(["partial", "selection.json", "state.json"]);
    expect(await readdir(join(outside, "partial"))).toEqual([]);
    expect(await readFile(join(outside, "state.json"), "utf8")).toBe("not ours\n");
    expect(await readFile(join(outside, "selection.json"), "utf8")).toBe("not ours either\n");
    expect(await readFile(lockTarget, "utf8")).toBe("keep me\n");
    expect((await lstat(join(folder, ".dci-mirror"))).isDirectory()).toBe(true);
    expect([...(await readTree(folder)).files.keys()].sort()).toEqual(["a.txt", "d/b.txt"]);
  });
});

describe("a folder that becomes a file", () => {
  it("keeps the old folder and its unlisted contents when another file of the run fails, and replaces it on the next clean run", async () => {
    const type = "foldertofile";
    addTestComponent(sandbox, {
      seed: `${type}-1`,
      name: `${type}-1`,
      type,
      files: [textFile("x/a.txt", "a\n"), textFile("ok.txt", "ok\n")],
    });
    const dest = await mkdtemp(join(tmpdir(), "dci-mirror-foldertofile-"));
    const folder = join(dest, "RHEL-9.4", type);
    const first = await runCli(["RHEL-9.4", dest, "--filter", type], env);
    expect(first.exitCode).toBe(0);
    await writeFile(join(folder, "x", "mine.txt"), "not listed\n");
    addTestComponent(sandbox, {
      seed: `${type}-2`,
      name: `${type}-2`,
      type,
      createdAt: "2020-02-01T00:00:00",
      files: [
        textFile("x", "now a file\n"),
        textFile("bad.bin", "bad\n"),
        textFile("ok.txt", "ok\n"),
      ],
    });
    sandbox.setFaults([{ match: "bad.bin", corrupt: true }]);
    const failed = await runCli(["RHEL-9.4", dest, "--filter", type, "--json"], env);
    expect(failed.exitCode).toBe(6);
    const summary = JSON.parse(failed.stdout).topics[0].components[0];
    expect(summary.failed).toBe(2);
    expect(failed.stdout).toContain("FOLDER_IN_THE_WAY");
    expect(failed.stdout).toContain("a folder stands where x belongs");
    expect((await lstat(join(folder, "x"))).isDirectory()).toBe(true);
    expect(await readFile(join(folder, "x", "mine.txt"), "utf8")).toBe("not listed\n");
    expect(await readFile(join(folder, "x", "a.txt"), "utf8")).toBe("a\n");
    expect((await readdir(folder)).sort()).toEqual([".dci-mirror", "ok.txt", "x"]);
    sandbox.setFaults([]);
    const clean = await runCli(["RHEL-9.4", dest, "--filter", type], env);
    expect(clean.exitCode).toBe(0);
    expect(await readFile(join(folder, "x"), "utf8")).toBe("now a file\n");
    expect(await readFile(join(folder, "bad.bin"), "utf8")).toBe("bad\n");
  });
});

describe("every files list is checked before the run's first transfer", () => {
  it("refuses a too-long name in a later component before downloading the earlier one", async () => {
    addComponent("aaa-fine", [textFile("a.txt", "a\n")]);
    addComponent("zzz-long", [textFile("z".repeat(300), "z\n")]);
    const dest = await mkdtemp(join(tmpdir(), "dci-mirror-twolists-"));
    const result = await runCli(
      ["RHEL-9.4", dest, "--filter", "aaa-fine", "--filter", "zzz-long"],
      env,
    );
    expect(result.exitCode).toBe(6);
    expect(result.stderr).toContain("300-byte name");
    expect(fileRequests()).toEqual([]);
    expect((await readTree(join(dest, "RHEL-9.4"))).files.size).toBe(0);
  });
});
