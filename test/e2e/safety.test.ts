// Crash safety and hostile input, with the real CLI as a child process: kill -9 and resume, Ctrl-C,
// the topic lock, hostile files lists, and the free-space check.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { access, mkdir, mkdtemp, readdir, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildComponent, randomFile } from "../../src/sandbox/catalog/component-builder.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { acquireTopicLock } from "../../src/tree/lock.js";
import { BIN, runCli, sandboxEnv } from "../helpers/run-cli.js";
import { readTree } from "../helpers/tree.js";

const BIG_BYTES = 24 * 1024 * 1024;
let sandbox: Sandbox;
let env: Record<string, string>;
let topicId: string;
let bigComponentId: string;

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
  env = sandboxEnv(sandbox);
  topicId = sandbox.catalog.topics.find((topic) => topic.name === "RHEL-9.4")?.id ?? "";
  const big = buildComponent({
    seed: "safety",
    topicId,
    name: "big-1.0",
    type: "big",
    createdAt: "2020-01-01T00:00:00",
    files: [randomFile("images/disk.img", "disk", BIG_BYTES)],
  });
  sandbox.addComponent(big);
  bigComponentId = big.id;
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  sandbox.setFaults([]);
  sandbox.requestLog.clear();
});

function startCli(args: string[]): { child: ChildProcess; stderr: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  child.stdout?.resume();
  return { child, stderr: () => stderr };
}

/** Waits until the run has written at least `bytes` into its partial file; returns its size. */
async function partialReaches(folder: string, bytes: number): Promise<number> {
  const partialDir = join(folder, ".dci-mirror", "partial");
  for (;;) {
    const names = (await readdir(partialDir).catch(() => [] as string[])).filter((name) =>
      name.endsWith(".part"),
    );
    const sizes = await Promise.all(
      names.map(async (name) => (await stat(join(partialDir, name))).size),
    );
    const size = Math.max(0, ...sizes);
    if (size >= bytes) return size;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function partialSize(folder: string): Promise<number> {
  const partialDir = join(folder, ".dci-mirror", "partial");
  const names = (await readdir(partialDir)).filter((name) => name.endsWith(".part"));
  expect(names).toHaveLength(1);
  return (await stat(join(partialDir, names[0] ?? ""))).size;
}

describe("crashes and signals", () => {
  it("after kill -9 in the middle of a large file, the re-run requests only the missing range", async () => {
    const dest = await mkdtemp(join(tmpdir(), "dci-mirror-kill-"));
    const folder = join(dest, "RHEL-9.4", "big");
    sandbox.setFaults([{ match: "images/disk.img", bytesPerSecond: 8 * 1024 * 1024 }]);
    const { child } = startCli(["RHEL-9.4", dest, "--component-id", bigComponentId]);
    await partialReaches(folder, 4 * 1024 * 1024);
    child.kill("SIGKILL");
    await once(child, "close");
    const held = await partialSize(folder);
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(BIG_BYTES);
    sandbox.setFaults([]);
    sandbox.requestLog.clear();
    const rerun = await runCli(["RHEL-9.4", dest, "--component-id", bigComponentId, "--json"], env);
    expect(rerun.exitCode).toBe(0);
    const requests = sandbox.requestLog.entries.filter(
      (entry) => entry.server === "store" && entry.path.endsWith("/images/disk.img"),
    );
    expect(requests.map((entry) => [entry.range, entry.status, entry.bytesSent])).toEqual([
      [`bytes=${held}-`, 206, BIG_BYTES - held],
    ]);
    expect(requests[0]?.ifRange).toMatch(/^".+"$/);
    const component = JSON.parse(rerun.stdout).topics[0].components[0];
    expect(component).toMatchObject({
      resumed: 1,
      downloaded: 0,
      failed: 0,
      bytesTransferred: BIG_BYTES - held,
    });
    const list = await import("../../src/api/client.js").then(({ DciClient }) =>
      new DciClient({ csUrl: sandbox.csUrl, ...sandbox.credentials }).filesList(bigComponentId),
    );
    expect((await readTree(folder)).files.get("images/disk.img")).toBe(list.files[0]?.sha256);
  });

  it.each(["SIGINT", "SIGTERM"] as const)(
    "on %s keeps the partial file, releases the lock and exits 130",
    async (signal) => {
      const dest = await mkdtemp(join(tmpdir(), "dci-mirror-int-"));
      const folder = join(dest, "RHEL-9.4", "big");
      sandbox.setFaults([{ match: "images/disk.img", bytesPerSecond: 4 * 1024 * 1024 }]);
      const { child, stderr } = startCli(["RHEL-9.4", dest, "--component-id", bigComponentId]);
      await partialReaches(folder, 1024 * 1024);
      child.kill(signal);
      const [exitCode] = await once(child, "close");
      expect(exitCode).toBe(130);
      expect(stderr()).toMatch(/Interrupted by SIG(INT|TERM)/);
      expect(await partialSize(folder)).toBeGreaterThan(0);
      await expect(access(join(dest, "RHEL-9.4", ".dci-mirror.lock"))).rejects.toThrow();
      expect((await readTree(folder)).files.size).toBe(0);
    },
  );
});

describe("the topic lock", () => {
  it("fails at once with --lock-timeout 0 while another run holds the topic, naming it", async () => {
    const dest = await mkdtemp(join(tmpdir(), "dci-mirror-lock-"));
    const lock = await acquireTopicLock(join(dest, "RHEL-9.4"), {
      signal: new AbortController().signal,
    });
    try {
      const result = await runCli(
        ["RHEL-9.4", dest, "--filter", "compose", "--lock-timeout", "0"],
        env,
      );
      expect(result.exitCode).toBe(8);
      expect(result.stderr).toContain(`pid ${process.pid}`);
      expect(result.stderr).toContain(".dci-mirror.lock");
    } finally {
      await lock.release();
    }
  });

  it("waits for the other run by default, says so, then syncs", async () => {
    const dest = await mkdtemp(join(tmpdir(), "dci-mirror-lock-"));
    const lock = await acquireTopicLock(join(dest, "RHEL-9.4"), {
      signal: new AbortController().signal,
    });
    const { child, stderr } = startCli(["RHEL-9.4", dest, "--filter", "compose"]);
    while (!stderr().includes("waiting for")) await once(child.stderr ?? child, "data");
    expect(stderr()).toContain(`held by pid ${process.pid}`);
    await lock.release();
    const [exitCode] = await once(child, "close");
    expect(exitCode).toBe(0);
    expect((await readTree(join(dest, "RHEL-9.4", "compose"))).files.size).toBeGreaterThan(10);
  });
});

describe("hostile files lists", () => {
  const sha = "0".repeat(64);
  it.each([
    [
      "a parent-directory path",
      { files: [{ name: "evil.txt", path: "..", size: 1, sha256: sha }], symlinks: [] },
    ],
    [
      "an absolute path",
      { files: [{ name: "abs.txt", path: "/tmp", size: 1, sha256: sha }], symlinks: [] },
    ],
    ["a NUL byte", { files: [{ name: "a\u0000b", path: "", size: 1, sha256: sha }], symlinks: [] }],
    [
      "an escaping symlink",
      {
        files: [],
        symlinks: [{ name: "passwd", path: "etc", destination: "../../../../etc/passwd" }],
      },
    ],
    [
      "an absolute symlink",
      { files: [], symlinks: [{ name: "root", path: "", destination: "/" }] },
    ],
  ])("refuses %s and writes nothing, inside DEST or out", async (_label, list) => {
    const component = buildComponent({
      seed: `hostile-${_label}`,
      topicId,
      name: "hostile",
      type: "hostile",
      createdAt: "2020-01-01T00:00:00",
      files: [],
      rawFilesList: JSON.stringify({ directories: [], ...list }),
    });
    sandbox.addComponent(component);
    const parent = await mkdtemp(join(tmpdir(), "dci-mirror-hostile-"));
    const dest = join(parent, "dest");
    await mkdir(dest);
    const result = await runCli(["RHEL-9.4", dest, "--component-id", component.id], env);
    expect(result.exitCode).toBe(6);
    expect(result.stderr).toContain("Unsafe entry");
    expect(await readdir(parent)).toEqual(["dest"]);
    const tree = await readTree(join(dest, "RHEL-9.4"));
    expect([...tree.files.keys(), ...tree.symlinks.keys()]).toEqual([]);
    expect(
      sandbox.requestLog.entries.filter(
        (entry) => entry.server === "store" && !entry.path.endsWith("dci_files_list.json"),
      ),
    ).toEqual([]);
  });
});

describe("free space", () => {
  it("refuses to start when the files need more space than the disk has", async () => {
    const component = buildComponent({
      seed: "huge",
      topicId,
      name: "huge",
      type: "huge",
      createdAt: "2020-01-01T00:00:00",
      files: [],
      rawFilesList: JSON.stringify({
        directories: [],
        files: [{ name: "petabyte.img", path: "", size: 2 ** 50, sha256: "1".repeat(64) }],
        symlinks: [],
      }),
    });
    sandbox.addComponent(component);
    const dest = await mkdtemp(join(tmpdir(), "dci-mirror-space-"));
    const result = await runCli(["RHEL-9.4", dest, "--component-id", component.id], env);
    expect(result.exitCode).toBe(7);
    expect(result.stderr).toMatch(/needs .* free/);
    expect(sandbox.requestLog.entries.some((entry) => entry.path.endsWith("petabyte.img"))).toBe(
      false,
    );
  });
});
