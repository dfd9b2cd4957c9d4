// A full disk during a transfer, on a real small tmpfs with the real CLI. It once produced a
// zero-filled file recorded as verified: the write failed with ENOSPC, the bytes had already been
// hashed and counted, the resume got 416, and the short partial was padded with zeros and placed.
// Now a local-disk error fails at once with exit 7 naming the path, with no retried GET, nothing
// placed and nothing recorded; once space is freed, the next run completes the file correctly.
import { createHash } from "node:crypto";
import {
  chmod,
  chown,
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  rm,
  stat,
  statfs,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DciClient } from "../../src/api/client.js";
import { randomFile } from "../../src/sandbox/catalog/component-builder.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { runCli, sandboxEnv } from "../helpers/run-cli.js";
import { addTestComponent } from "../helpers/sandbox-component.js";
import { mountTmpfs, TMPFS_UNAVAILABLE, type Tmpfs } from "../helpers/tmpfs.js";

const DISK = "images/disk.img";
const DISK_BYTES = 2 * 1024 * 1024;
/** Left free by the ballast: room for state.json, none for the image. */
const SLACK_BYTES = 64 * 1024;

let sandbox: Sandbox;
let env: Record<string, string>;
let componentId: string;
let manyComponentId: string;
let diskSha256: string;
let tmpfs: Tmpfs | undefined;

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
  env = sandboxEnv(sandbox);
  const component = addTestComponent(sandbox, {
    seed: "local-disk",
    name: "disk-1.0",
    type: "disk",
    files: [randomFile(DISK, "disk", DISK_BYTES)],
  });
  componentId = component.id;
  const many = addTestComponent(sandbox, {
    seed: "local-disk-many",
    name: "many-1.0",
    type: "many",
    files: Array.from({ length: 40 }, (_, index) =>
      randomFile(`rpms/file-${index}.rpm`, `file-${index}`, 2_000),
    ),
  });
  manyComponentId = many.id;
  const client = new DciClient({ csUrl: sandbox.csUrl, ...sandbox.credentials });
  const list = await client.filesList(componentId);
  await client.close();
  diskSha256 = list.files.find((file) => file.name === "disk.img")?.sha256 ?? "";
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  sandbox.setFaults([]);
  sandbox.requestLog.clear();
});
afterEach(async () => {
  await tmpfs?.unmount();
  tmpfs = undefined;
});

/** Resolves once the run has opened its partial (the file exists), polling the folder. */
async function partialOpened(folder: string): Promise<void> {
  const partialDir = join(folder, ".dci-mirror", "partial");
  for (;;) {
    const names = await readdir(partialDir).catch(() => [] as string[]);
    if (names.some((name) => name.endsWith(".part"))) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Fills the file system at `root` with one file until only SLACK_BYTES are free. */
async function fillDisk(root: string): Promise<string> {
  const ballast = join(root, "ballast");
  const stats = await statfs(root);
  const handle = await open(ballast, "w");
  try {
    await handle.write(Buffer.alloc(Math.max(0, stats.bavail * stats.bsize - SLACK_BYTES)));
  } finally {
    await handle.close();
  }
  return ballast;
}

/** Creates empty files at `root` until the file system has no inode left. */
async function fillInodes(root: string): Promise<void> {
  for (let index = 0; ; index++) {
    try {
      await (await open(join(root, `inode-${index}`), "w")).close();
    } catch (error) {
      if (error instanceof Error && Reflect.get(error, "code") === "ENOSPC") return;
      throw error;
    }
  }
}

function diskRequests() {
  return sandbox.requestLog.entries.filter(
    (entry) => entry.server === "store" && entry.path === `/${componentId}/${DISK}`,
  );
}

async function runIntoFullDisk() {
  tmpfs = await mountTmpfs(4 * 1024 * 1024);
  const dest = join(tmpfs.path, "dest");
  const folder = join(dest, "RHEL-9.4", "disk");
  // Slow enough that the disk is filled while the body streams: the free-space check has passed.
  sandbox.setFaults([{ match: DISK, bytesPerSecond: 1024 * 1024 }]);
  const running = runCli(["RHEL-9.4", dest, "--component-id", componentId], env);
  await partialOpened(folder);
  const ballast = await fillDisk(tmpfs.path);
  return { result: await running, folder, dest, ballast };
}

describe.skipIf(TMPFS_UNAVAILABLE !== undefined)(
  `a full disk (${TMPFS_UNAVAILABLE ?? "tmpfs"})`,
  () => {
    it("fails the run with exit 7 and a NO_SPACE message naming the partial, places and records nothing, and sends no further GET", async () => {
      const { result, folder } = await runIntoFullDisk();
      expect(result.exitCode).toBe(7);
      expect(result.stderr).toContain("No space left on the device holding");
      expect(result.stderr).toContain(join(folder, ".dci-mirror", "partial"));
      expect(result.stderr).not.toContain("SHA256_MISMATCH");
      await expect(stat(join(folder, DISK))).rejects.toMatchObject({ code: "ENOENT" });
      const state = await readFile(join(folder, ".dci-mirror", "state.json"), "utf8").catch(
        () => "{}",
      );
      expect(state).not.toContain("disk.img");
      expect(diskRequests()).toHaveLength(1);
    }, 60_000);

    it("completes the file with the right bytes on the next run once space is freed", async () => {
      const { result, folder, dest, ballast } = await runIntoFullDisk();
      expect(result.exitCode).toBe(7);
      await rm(ballast);
      sandbox.setFaults([]);
      const rerun = await runCli(["RHEL-9.4", dest, "--component-id", componentId], env);
      expect(rerun.exitCode).toBe(0);
      const bytes = await readFile(join(folder, DISK));
      expect(bytes.length).toBe(DISK_BYTES);
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(diskSha256);
      const again = await runCli(["RHEL-9.4", dest, "--component-id", componentId], env);
      expect(again.exitCode).toBe(0);
    }, 60_000);

    it("stops at once with exit 7 when the disk runs out of inodes, without retrying any file", async () => {
      // Enough inodes for the check before the transfers; the test takes the rest while the
      // first files stream, so the later partials cannot be created.
      tmpfs = await mountTmpfs(4 * 1024 * 1024, { inodes: 200 });
      const dest = join(tmpfs.path, "dest");
      const folder = join(dest, "RHEL-9.4", "many");
      // The folders exist already: during the transfers, only new partials take inodes.
      await mkdir(join(folder, "rpms"), { recursive: true });
      await mkdir(join(folder, ".dci-mirror", "partial"), { recursive: true });
      sandbox.setFaults([{ match: "rpms/**", bytesPerSecond: 2_000 }]);
      const running = runCli(["RHEL-9.4", dest, "--component-id", manyComponentId], env);
      await partialOpened(folder);
      await fillInodes(tmpfs.path);
      const result = await running;
      expect(result.exitCode).toBe(7);
      expect(result.stderr).toContain("No space left on the device holding");
      expect(result.stderr).toMatch(/\.dci-mirror\/partial\/[0-9a-f-]+\.part \(could not open\)/);
      expect(result.stderr).not.toContain("Gave up");
      const perFile = new Map<string, number>();
      for (const entry of sandbox.requestLog.entries) {
        if (entry.server !== "store" || !entry.path.includes("/rpms/")) continue;
        perFile.set(entry.path, (perFile.get(entry.path) ?? 0) + 1);
      }
      expect(perFile.size).toBeGreaterThan(0);
      expect(Math.max(...perFile.values())).toBe(1);
    }, 60_000);

    it("stops as bounded with the URL look-ahead running (a far API): exit 7, no file or URL asked twice", async () => {
      // 40 ms per API answer: the look-ahead asks URLs while the first files stream.
      const far = await startSandbox({ size: "tiny", apiLatencyMs: 40 });
      try {
        const component = addTestComponent(far, {
          seed: "local-disk-far",
          name: "far-1.0",
          type: "many",
          files: Array.from({ length: 40 }, (_, index) =>
            randomFile(`rpms/file-${index}.rpm`, `file-${index}`, 2_000),
          ),
        });
        tmpfs = await mountTmpfs(4 * 1024 * 1024, { inodes: 200 });
        const dest = join(tmpfs.path, "dest");
        const folder = join(dest, "RHEL-9.4", "many");
        await mkdir(join(folder, "rpms"), { recursive: true });
        await mkdir(join(folder, ".dci-mirror", "partial"), { recursive: true });
        far.setFaults([{ match: "rpms/**", bytesPerSecond: 2_000 }]);
        const running = runCli(
          ["RHEL-9.4", dest, "--component-id", component.id, "--jobs", "4"],
          sandboxEnv(far),
          { killAfterMs: 50_000 },
        );
        await partialOpened(folder);
        await fillInodes(tmpfs.path);
        const result = await running;
        expect(result.signal).toBeNull();
        expect(result.exitCode).toBe(7);
        expect(result.stderr).toContain("No space left on the device holding");
        expect(result.stderr).not.toContain("Gave up");
        const urlCalls = far.requestLog.entries.filter(
          (entry) => entry.server === "api" && entry.path.includes("/files/rpms/"),
        );
        const objects = far.requestLog.entries.filter(
          (entry) => entry.server === "store" && entry.path.includes("/rpms/"),
        );
        // One URL per file at most (none asked twice), and no object asked twice.
        expect(new Set(urlCalls.map((entry) => entry.path)).size).toBe(urlCalls.length);
        expect(new Set(objects.map((entry) => entry.path)).size).toBe(objects.length);
        expect(urlCalls.length).toBeLessThanOrEqual(40);
      } finally {
        await far.close();
      }
    }, 60_000);
  },
);

const NOBODY = 65_534;

describe.skipIf(process.getuid?.() !== 0)(
  "a present file the run may not read (runs the CLI as nobody: needs root)",
  () => {
    it("fails with exit 7 and a permission message naming the file, instead of an unexpected error", async () => {
      const dest = await mkdtemp(join(tmpdir(), "dci-mirror-unreadable-"));
      try {
        const first = await runCli(["RHEL-9.4", dest, "--component-id", manyComponentId], env);
        expect(first.exitCode).toBe(0);
        const folder = join(dest, "RHEL-9.4", "many");
        // Without the record, the present files are hashed before they are trusted.
        await rm(join(folder, ".dci-mirror", "state.json"));
        await chownTree(dest, NOBODY);
        const unreadable = join(folder, "rpms", "file-7.rpm");
        await chmod(unreadable, 0o000);
        const result = await runCli(["RHEL-9.4", dest, "--component-id", manyComponentId], env, {
          uid: NOBODY,
          gid: NOBODY,
        });
        expect(result.exitCode).toBe(7);
        expect(result.stderr).toContain(`Permission denied: could not read ${unreadable}`);
        expect(result.stderr).not.toContain("unexpected error");
        expect(result.stderr).not.toContain("UNEXPECTED");
      } finally {
        await rm(dest, { recursive: true, force: true });
      }
    }, 60_000);
  },
);

async function chownTree(path: string, uid: number): Promise<void> {
  await chown(path, uid, uid);
  const entries = await readdir(path, { withFileTypes: true });
  for (const entry of entries) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) await chownTree(child, uid);
    else await chown(child, uid, uid);
  }
}
