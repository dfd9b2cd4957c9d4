// The real CLI's offline snapshot commands, `snapshots` and `rollback`, on snapshot trees built
// with the tree functions (folders, records, hard links shared between snapshots, publications).
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import {
  access,
  link,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readlink,
  rm,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { VerifiedEntry } from "../../src/model.js";
import { acquireTopicLock } from "../../src/tree/lock.js";
import { writeRecord } from "../../src/tree/record.js";
import { snapshotPath } from "../../src/tree/snapshot-paths.js";
import { publishSnapshot } from "../../src/tree/snapshots.js";
import { BIN, cleanEnv, runCli } from "../helpers/run-cli.js";

const signal = new AbortController().signal;
const typeFolder = "compose";
let base: string;
let topicFolder: string;
let typePath: string;
let tick = 0;
/** A clock one second further at each call: publication times distinct and ordered. */
const now = () => new Date(Date.UTC(2024, 3, 19) + 1000 * tick++);

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), "dci-mirror-snapshot-cli-"));
  topicFolder = join(base, "RHEL-9.4");
  typePath = join(topicFolder, typeFolder);
  await mkdir(topicFolder);
  tick = 0;
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const SHARED = "shared.rpm";
const SHARED_BYTES = 3000;
/** Each snapshot's own file: `own.rpm`, a size of its own so the figures tell them apart. */
const OWN_BYTES: Record<string, number> = { A: 100, B: 200, C: 400, D: 800 };

/**
 * Assembles snapshot `name` of `type`: its own `own.rpm` and `marker.txt`, and `shared.rpm`
 * hard-linked from `sharedFrom` (or written anew), plus the verified-files record of all three.
 */
async function makeSnapshot(name: string, sharedFrom?: string, type = typeFolder): Promise<void> {
  const folder = snapshotPath(topicFolder, type, name);
  await mkdir(join(folder, "BaseOS"), { recursive: true });
  await writeFile(join(folder, "BaseOS/own.rpm"), Buffer.alloc(OWN_BYTES[name] ?? 1, name));
  await writeFile(join(folder, "marker.txt"), `snapshot ${name}\n`);
  if (sharedFrom === undefined) {
    await writeFile(join(folder, SHARED), Buffer.alloc(SHARED_BYTES, "s"));
  } else {
    await link(join(snapshotPath(topicFolder, type, sharedFrom), SHARED), join(folder, SHARED));
  }
  const files: Record<string, VerifiedEntry> = {};
  for (const relPath of ["BaseOS/own.rpm", "marker.txt", SHARED]) {
    const path = join(folder, relPath);
    const stats = await lstat(path);
    const sha256 = createHash("sha256")
      .update(await readFile(path))
      .digest("hex");
    files[relPath] = { sizeBytes: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino, sha256 };
  }
  await writeRecord(
    folder,
    { schema: "dci-mirror/state/1", componentId: name, componentName: `RHEL-9.4.0-${name}`, files },
    signal,
  );
}

const publish = (name: string, type = typeFolder) =>
  publishSnapshot({ topicFolder, typeFolder: type, name, now, signal });

/** A, B, C published in that order (C current), B and C sharing A's `shared.rpm`. */
async function threeSnapshots(): Promise<void> {
  await makeSnapshot("A");
  await makeSnapshot("B", "A");
  await makeSnapshot("C", "A");
  for (const name of ["A", "B", "C"]) await publish(name);
}

const markerBytes = (name: string) => `snapshot ${name}\n`.length;
const linkTo = (name: string) => `.dci-mirror/snapshots/${typeFolder}/${name}`;

interface SnapshotJson {
  name: string;
  componentName: string | null;
  publishedAt: string | null;
  isCurrent: boolean;
  files: number;
  bytes: number;
  uniqueBytes: number;
}

describe("dci-mirror snapshots", () => {
  it("lists a type's snapshots in publication order as JSON, the current one and the bytes only each holds", async () => {
    await threeSnapshots();
    await makeSnapshot("D"); // assembled, never published: in progress
    const result = await runCli(["snapshots", topicFolder, "--json"], cleanEnv());
    expect(result.exitCode).toBe(0);
    const document = JSON.parse(result.stdout) as {
      schema: string;
      types: { type: string; current: string; snapshots: SnapshotJson[] }[];
    };
    expect(document.schema).toBe("dci-mirror/snapshots/1");
    expect(document.types.map(({ type }) => type)).toEqual([typeFolder]);
    const [compose] = document.types;
    expect(compose?.current).toBe("C");
    const snapshots = compose?.snapshots ?? [];
    expect(snapshots.map(({ name }) => name)).toEqual(["A", "B", "C", "D"]);
    expect(snapshots.map(({ isCurrent }) => isCurrent)).toEqual([false, false, true, false]);
    expect(snapshots.map(({ publishedAt }) => publishedAt)).toEqual([
      "2024-04-19T00:00:00.000Z",
      "2024-04-19T00:00:01.000Z",
      "2024-04-19T00:00:02.000Z",
      null,
    ]);
    expect(snapshots.map(({ componentName }) => componentName)).toEqual([
      "RHEL-9.4.0-A",
      "RHEL-9.4.0-B",
      "RHEL-9.4.0-C",
      "RHEL-9.4.0-D",
    ]);
    for (const snapshot of snapshots) {
      const own = (OWN_BYTES[snapshot.name] ?? 0) + markerBytes(snapshot.name);
      expect(snapshot.files).toBe(3);
      expect(snapshot.bytes).toBe(own + SHARED_BYTES);
      // A, B and C share one shared.rpm (3 links); D wrote its own.
      expect(snapshot.uniqueBytes).toBe(snapshot.name === "D" ? own + SHARED_BYTES : own);
    }
  });

  it("prints one table row per snapshot, oldest first, the current one marked", async () => {
    await threeSnapshots();
    const result = await runCli(["snapshots", topicFolder], cleanEnv());
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^TYPE\s+NAME\s+COMPONENT\s+PUBLISHED\s+FILES\s+SIZE\s+UNIQUE\s+CURRENT$/,
    );
    expect(lines.slice(1).map((line) => line.split(/\s+/).slice(0, 3))).toEqual([
      ["compose", "A", "RHEL-9.4.0-A"],
      ["compose", "B", "RHEL-9.4.0-B"],
      ["compose", "C", "RHEL-9.4.0-C"],
    ]);
    expect(lines.map((line) => line.endsWith("*"))).toEqual([false, false, false, true]);
    expect(lines[1]).toContain("2024-04-19T00:00:00.000Z");
  });

  it("shows only the type given with --type", async () => {
    await threeSnapshots();
    await makeSnapshot("A", undefined, "ostree");
    await publish("A", "ostree");
    const all = JSON.parse((await runCli(["snapshots", topicFolder, "--json"])).stdout);
    expect(all.types.map(({ type }: { type: string }) => type)).toEqual(["compose", "ostree"]);
    const result = await runCli(["snapshots", topicFolder, "--type", "ostree", "--json"]);
    expect(result.exitCode).toBe(0);
    const { types } = JSON.parse(result.stdout);
    expect(types).toHaveLength(1);
    expect(types[0].type).toBe("ostree");
    expect(types[0].snapshots.map(({ name }: { name: string }) => name)).toEqual(["A"]);
  });

  it("says a topic folder without snapshots has none, and exits 0", async () => {
    await mkdir(join(topicFolder, typeFolder)); // a plain mirror
    const result = await runCli(["snapshots", topicFolder]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`No snapshots in ${topicFolder}`);
    const json = await runCli(["snapshots", topicFolder, "--json"]);
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout).types).toEqual([]);
  });

  it("exits 4 for a topic folder that does not exist", async () => {
    const result = await runCli(["snapshots", join(base, "RHEL-8.9")]);
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain("RHEL-8.9");
  });
});

describe("dci-mirror rollback", () => {
  it("switches the type back to the previous snapshot, and a second rollback returns to the one rolled back from", async () => {
    await threeSnapshots();
    expect(await readlink(typePath)).toBe(linkTo("C"));
    const first = await runCli(["rollback", topicFolder, "--type", typeFolder]);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain("compose: rolled back from C to B");
    expect(await readlink(typePath)).toBe(linkTo("B"));
    expect(await readFile(join(typePath, "marker.txt"), "utf8")).toBe("snapshot B\n");
    // The rollback is logged as a publication of B: C is now the one published before it.
    const second = await runCli(["rollback", topicFolder, "--json"]);
    expect(second.exitCode).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({
      schema: "dci-mirror/rollback/1",
      folder: topicFolder,
      types: [{ type: typeFolder, from: "B", to: "C" }],
    });
    expect(await readlink(typePath)).toBe(linkTo("C"));
    expect(await readFile(join(typePath, "marker.txt"), "utf8")).toBe("snapshot C\n");
    const listed = JSON.parse((await runCli(["snapshots", topicFolder, "--json"])).stdout);
    expect(listed.types[0].current).toBe("C");
    // --quiet: switched, and nothing said about it.
    const quiet = await runCli(["rollback", topicFolder, "--quiet"]);
    expect(quiet).toMatchObject({ exitCode: 0, stdout: "", stderr: "" });
    expect(await readlink(typePath)).toBe(linkTo("B"));
  });

  it("exits 4 with NO_PREVIOUS_SNAPSHOT and a hint when only one snapshot was published, changing nothing", async () => {
    await makeSnapshot("A");
    await publish("A");
    const result = await runCli(["rollback", topicFolder]);
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain("no snapshot was published before A");
    expect(result.stderr).toContain("hint:");
    const json = await runCli(["rollback", topicFolder, "--json"]);
    expect(json.exitCode).toBe(4);
    expect(JSON.parse(json.stderr.trim())).toMatchObject({ code: "NO_PREVIOUS_SNAPSHOT" });
    expect(await readlink(typePath)).toBe(linkTo("A"));
    await expect(access(join(topicFolder, ".dci-mirror.lock"))).rejects.toThrow();
  });

  it("rolls back no type when one of them has no previous snapshot", async () => {
    await threeSnapshots();
    await makeSnapshot("A", undefined, "ostree");
    await publish("A", "ostree");
    const result = await runCli(["rollback", topicFolder, "--json"]);
    expect(result.exitCode).toBe(4);
    expect(JSON.parse(result.stderr.trim()).code).toBe("NO_PREVIOUS_SNAPSHOT");
    expect(await readlink(typePath)).toBe(linkTo("C"));
  });

  it("exits 4 for a topic folder that does not exist, and does not create it", async () => {
    const missing = join(base, "RHEL-8.9");
    const result = await runCli(["rollback", missing, "--type", typeFolder]);
    expect(result.exitCode).toBe(4);
    await expect(access(missing)).rejects.toThrow();
  });

  it("fails at once with exit 8 under --lock-timeout 0 while another process holds the topic lock", async () => {
    await threeSnapshots();
    const lock = await acquireTopicLock(topicFolder, { signal });
    try {
      const result = await runCli(["rollback", topicFolder, "--lock-timeout", "0"]);
      expect(result.exitCode).toBe(8);
      expect(result.stderr).toContain(`pid ${process.pid}`);
      expect(await readlink(typePath)).toBe(linkTo("C"));
    } finally {
      await lock.release();
    }
  });

  it("waits for the topic lock, says so, and rolls back once it is released", async () => {
    await threeSnapshots();
    const lock = await acquireTopicLock(topicFolder, { signal });
    const child = spawn(process.execPath, [BIN, "rollback", topicFolder, "--lock-timeout", "20"], {
      env: cleanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.resume();
    try {
      // Bounded: a rollback that never waits (or never says so) fails here rather than hanging.
      const deadline = Date.now() + 10_000;
      while (!stderr.includes("waiting for the topic lock") && child.exitCode === null) {
        if (Date.now() > deadline) break;
        await sleep(20);
      }
      expect(stderr).toContain("waiting for the topic lock");
      expect(stderr).toContain(`held by pid ${process.pid}`);
      expect(await readlink(typePath)).toBe(linkTo("C"));
    } finally {
      await lock.release();
    }
    const [exitCode] = child.exitCode === null ? await once(child, "close") : [child.exitCode];
    expect(exitCode).toBe(0);
    expect(await readlink(typePath)).toBe(linkTo("B"));
  });

  it("refuses a --type that is not one folder name as a usage error", async () => {
    await threeSnapshots();
    const result = await runCli(["rollback", topicFolder, "--type", "../etc"]);
    expect(result.exitCode).toBe(2);
    expect(await readlink(typePath)).toBe(linkTo("C"));
  });

  it("documents both commands in --help", async () => {
    const help = await runCli(["--help"]);
    expect(help.stdout).toMatch(/snapshots <folder>/);
    expect(help.stdout).toMatch(/rollback <folder>/);
    const rollbackHelp = await runCli(["rollback", "--help"]);
    expect(rollbackHelp.stdout).toContain("--lock-timeout");
    expect(rollbackHelp.stdout).toContain("--type");
  });
});
