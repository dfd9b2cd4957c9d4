import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalIOError } from "../../src/errors.js";
import { currentSnapshot, listSnapshots, previousSnapshot } from "../../src/tree/snapshot-list.js";
import { PUBLISHED_LOG_NAME } from "../../src/tree/snapshot-log.js";
import { snapshotPath, snapshotsRoot } from "../../src/tree/snapshot-paths.js";
import { removeOldSnapshots } from "../../src/tree/snapshot-retention.js";
import { publishSnapshot } from "../../src/tree/snapshots.js";
import { readTree } from "../helpers/tree.js";

let base: string;
let topicFolder: string;
let typePath: string;
const typeFolder = "compose";
const signal = new AbortController().signal;
let tick = 0;
/** A clock one second further at each call, so publication times are distinct and ordered. */
const now = () => new Date(Date.UTC(2024, 3, 19) + 1000 * tick++);

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), "dci-mirror-snapshots-"));
  topicFolder = join(base, "RHEL-9.4");
  typePath = join(topicFolder, typeFolder);
  await mkdir(topicFolder);
  tick = 0;
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

/** Assembles a snapshot folder holding `marker.txt` (and a subfolder) with the given text. */
async function makeSnapshot(name: string, marker = `snapshot ${name}\n`): Promise<string> {
  const folder = snapshotPath(topicFolder, typeFolder, name);
  await mkdir(join(folder, "BaseOS/os"), { recursive: true });
  await writeFile(join(folder, "marker.txt"), marker);
  await writeFile(join(folder, "BaseOS/os/a.rpm"), `rpm of ${name}`);
  return folder;
}

const publish = (name: string, adoptAs?: string) =>
  publishSnapshot({ topicFolder, typeFolder, name, adoptAs, now, signal });

async function readLog(): Promise<unknown> {
  const text = await readFile(join(snapshotsRoot(topicFolder, typeFolder), PUBLISHED_LOG_NAME));
  return JSON.parse(text.toString("utf8"));
}

describe("snapshot paths", () => {
  it("keeps each type's snapshots under the topic's bookkeeping folder", () => {
    expect(snapshotsRoot("/d/T", "compose")).toBe("/d/T/.dci-mirror/snapshots/compose");
    expect(snapshotPath("/d/T", "compose", "RHEL-9.4.0-20240419.5")).toBe(
      "/d/T/.dci-mirror/snapshots/compose/RHEL-9.4.0-20240419.5",
    );
  });

  it.each([
    ["", "empty"],
    [".", "a dot"],
    ["..", "two dots"],
    ["a/b", "a slash"],
    ["../escape", "a climb"],
    ["a\0b", "NUL"],
    ["a\nb", "a newline"],
    ["a\u007fb", "DEL"],
    [".dci-mirror", "the bookkeeping name"],
    [".dci-mirror-published.json", "the log's name"],
    ["x".repeat(256), "a 256-byte name"],
  ])("refuses the snapshot name %j (%s)", async (name) => {
    expect(() => snapshotPath(topicFolder, typeFolder, name)).toThrow(LocalIOError);
    await expect(publish(name)).rejects.toMatchObject({ code: "UNSAFE_LOCAL_PATH" });
    await expect(publish("other", name)).rejects.toBeInstanceOf(LocalIOError);
    expect(await readdir(topicFolder)).toEqual([]);
  });

  it("refuses an unsafe type folder", () => {
    expect(() => snapshotsRoot(topicFolder, "..")).toThrow(LocalIOError);
    expect(() => snapshotsRoot(topicFolder, "a/b")).toThrow(LocalIOError);
  });
});

describe("publishSnapshot", () => {
  it("makes the type path a relative link to the snapshot, and logs the publication", async () => {
    await makeSnapshot("s1");
    expect(await publish("s1")).toEqual({ previous: undefined, adopted: undefined, changed: true });
    expect(await readlink(typePath)).toBe(".dci-mirror/snapshots/compose/s1");
    expect(await readFile(join(typePath, "marker.txt"), "utf8")).toBe("snapshot s1\n");
    expect(await currentSnapshot(topicFolder, typeFolder, signal)).toBe("s1");
    expect(await readLog()).toEqual({
      published: [{ name: "s1", publishedAt: "2024-04-19T00:00:00.000Z" }],
    });
    // No temporary link is left beside the type path.
    expect((await readdir(topicFolder)).sort()).toEqual([".dci-mirror", "compose"]);
  });

  it("switches to another snapshot, and leaves an already current one alone", async () => {
    await makeSnapshot("s1");
    await makeSnapshot("s2");
    await publish("s1");
    expect(await publish("s2")).toEqual({ previous: "s1", adopted: undefined, changed: true });
    expect(await readFile(join(typePath, "marker.txt"), "utf8")).toBe("snapshot s2\n");
    const { ino } = await lstat(typePath);
    expect(await publish("s2")).toEqual({ previous: "s2", adopted: undefined, changed: false });
    expect((await lstat(typePath)).ino).toBe(ino);
    expect(await readLog()).toMatchObject({ published: [{ name: "s1" }, { name: "s2" }] });
  });

  it("refuses to publish a snapshot that is not a folder there", async () => {
    await expect(publish("never-made")).rejects.toMatchObject({ code: "SNAPSHOT_MISSING" });
    await makeSnapshot("real");
    await symlink("real", join(snapshotsRoot(topicFolder, typeFolder), "linked"));
    await expect(publish("linked")).rejects.toMatchObject({ code: "SNAPSHOT_MISSING" });
    await expect(lstat(typePath)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("adopts a plain folder at the type path under its given name, contents intact", async () => {
    await mkdir(join(typePath, "BaseOS/os"), { recursive: true });
    await writeFile(join(typePath, "marker.txt"), "plain mirror\n");
    await writeFile(join(typePath, "BaseOS/os/old.rpm"), "old rpm");
    await symlink("BaseOS/os/old.rpm", join(typePath, "latest.rpm"));
    const before = await readTree(typePath);
    await makeSnapshot("s2");

    expect(await publish("s2", "s1")).toEqual({ previous: "s1", adopted: "s1", changed: true });
    expect((await lstat(typePath)).isSymbolicLink()).toBe(true);
    expect(await readFile(join(typePath, "marker.txt"), "utf8")).toBe("snapshot s2\n");
    expect(await readTree(snapshotPath(topicFolder, typeFolder, "s1"))).toEqual(before);
    expect(await readLog()).toMatchObject({ published: [{ name: "s1" }, { name: "s2" }] });
    expect(await previousSnapshot(topicFolder, typeFolder, signal)).toBe("s1");
  });

  it("adopts a plain folder as the published snapshot itself", async () => {
    await mkdir(typePath);
    await writeFile(join(typePath, "marker.txt"), "plain mirror\n");
    expect(await publish("s1", "s1")).toEqual({ previous: "s1", adopted: "s1", changed: true });
    expect(await readlink(typePath)).toBe(".dci-mirror/snapshots/compose/s1");
    expect(await readFile(join(typePath, "marker.txt"), "utf8")).toBe("plain mirror\n");
    expect(await readLog()).toMatchObject({ published: [{ name: "s1" }] });
  });

  it("refuses a plain folder without a name to adopt it as, or one already taken", async () => {
    await mkdir(typePath);
    await writeFile(join(typePath, "marker.txt"), "plain mirror\n");
    await makeSnapshot("s1");
    await expect(publish("s1")).rejects.toMatchObject({ code: "TYPE_PATH_REFUSED" });
    await expect(publish("s1", "s1")).rejects.toMatchObject({ code: "TYPE_PATH_REFUSED" });
    expect((await lstat(typePath)).isDirectory()).toBe(true);
    expect(await readFile(join(typePath, "marker.txt"), "utf8")).toBe("plain mirror\n");
    expect(
      await readFile(join(snapshotPath(topicFolder, typeFolder, "s1"), "marker.txt"), "utf8"),
    ).toBe("snapshot s1\n");
    expect((await readdir(topicFolder)).sort()).toEqual([".dci-mirror", "compose"]);
  });

  it("does nothing once the run is cancelled", async () => {
    await makeSnapshot("s1");
    const reason = new Error("cancelled");
    const cancelled = AbortSignal.abort(reason);
    await expect(
      publishSnapshot({ topicFolder, typeFolder, name: "s1", signal: cancelled }),
    ).rejects.toBe(reason);
    await expect(lstat(typePath)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("refuses a regular file at the type path, and leaves it alone", async () => {
    await writeFile(typePath, "someone's notes");
    await makeSnapshot("s1");
    const refusal = publish("s1", "adopted");
    await expect(refusal).rejects.toBeInstanceOf(LocalIOError);
    await expect(refusal).rejects.toMatchObject({ code: "TYPE_PATH_REFUSED" });
    expect(await readFile(typePath, "utf8")).toBe("someone's notes");
    expect(await listSnapshots(topicFolder, typeFolder, signal)).toEqual([
      { name: "s1", publishedAt: undefined, isCurrent: false },
    ]);
  });

  it("refuses a symlink at the type path that is not one of ours", async () => {
    await mkdir(join(base, "elsewhere"));
    await symlink(join(base, "elsewhere"), typePath);
    await makeSnapshot("s1");
    await expect(publish("s1")).rejects.toMatchObject({ code: "TYPE_PATH_REFUSED" });
    expect(await readlink(typePath)).toBe(join(base, "elsewhere"));
    expect(await currentSnapshot(topicFolder, typeFolder, signal)).toBeUndefined();
  });

  it("clears the temporary links a kill before the rename left for this type, nothing else", async () => {
    await makeSnapshot("s1");
    await makeSnapshot("s2");
    await publish("s1");
    const temp = (id: string) => join(topicFolder, `.dci-mirror-tmp-${id}`);
    await symlink(".dci-mirror/snapshots/compose/s2", temp("ours"));
    await symlink(".dci-mirror/snapshots/compose/gone", temp("ours-dangling"));
    await symlink(".dci-mirror/snapshots/other/s2", temp("other-type"));
    await symlink(join(base, "elsewhere"), temp("foreign"));
    await writeFile(temp("file"), "a file");
    // Still the old snapshot through the type path, the leftover beside it.
    expect(await readFile(join(typePath, "marker.txt"), "utf8")).toBe("snapshot s1\n");
    await publish("s2");
    const left = (await readdir(topicFolder)).filter((name) => name.startsWith(".dci-mirror-tmp-"));
    expect(left.sort()).toEqual([
      ".dci-mirror-tmp-file",
      ".dci-mirror-tmp-foreign",
      ".dci-mirror-tmp-other-type",
    ]);
    // An unchanged publication (the run after a kill past the rename) clears them too.
    await symlink(".dci-mirror/snapshots/compose/s1", temp("again"));
    expect((await publish("s2")).changed).toBe(false);
    await expect(lstat(temp("again"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});

/**
 * Reads `<type>/marker.txt` through the type path in a tight loop on its own thread (sync calls,
 * truly concurrent with the publisher) until told to stop; reports what it saw.
 */
const READER = `
const { workerData, parentPort } = require("node:worker_threads");
const { readFileSync, lstatSync, statSync } = require("node:fs");
const { typePath, stop } = workerData;
const flag = new Int32Array(stop);
const seen = {};
const errors = [];
let reads = 0;
while (Atomics.load(flag, 0) === 0) {
  try {
    if (!lstatSync(typePath).isSymbolicLink()) errors.push("lstat: not a symlink");
    if (!statSync(typePath).isDirectory()) errors.push("stat: not a directory");
    const text = readFileSync(typePath + "/marker.txt", "utf8");
    seen[text] = (seen[text] ?? 0) + 1;
    if (reads++ === 0) parentPort.postMessage("reading");
  } catch (error) {
    errors.push(String(error.code ?? error));
  }
  if (errors.length > 20) break;
}
parentPort.postMessage({ reads, seen, errors });
`;

interface ReaderReport {
  reads: number;
  seen: Record<string, number>;
  errors: string[];
}

describe("switching seen by a reader", () => {
  it("never shows a missing path or a mix: each read is one snapshot whole", async () => {
    const contentA = `A${"a".repeat(64 * 1024)}\n`;
    const contentB = `B${"b".repeat(64 * 1024)}\n`;
    await makeSnapshot("A", contentA);
    await makeSnapshot("B", contentB);
    await publish("A");
    const stop = new SharedArrayBuffer(4);
    const reader = new Worker(READER, { eval: true, workerData: { typePath, stop } });
    const report = new Promise<ReaderReport>((resolve, reject) => {
      reader.on("message", (message: ReaderReport | "reading") => {
        if (message !== "reading") resolve(message);
      });
      reader.once("error", reject);
    });
    // Publishing starts only once the reader is in its loop, however slow its thread starts.
    await new Promise((resolve) => reader.once("message", resolve));
    for (let round = 0; round < 300; round++) await publish(round % 2 === 0 ? "B" : "A");
    Atomics.store(new Int32Array(stop), 0, 1);
    const { reads, seen, errors } = await report;
    await reader.terminate();

    expect(errors).toEqual([]);
    expect(Object.keys(seen).every((text) => text === contentA || text === contentB)).toBe(true);
    expect(reads).toBeGreaterThan(100);
    // Both were seen: the reader really ran across the switches.
    expect(Object.keys(seen)).toHaveLength(2);
  });
});

describe("listSnapshots, currentSnapshot and previousSnapshot", () => {
  it("list the folders in publication order, unpublished ones last", async () => {
    for (const name of ["s1", "s2", "s3"]) await makeSnapshot(name);
    await publish("s2");
    await publish("s1");
    await makeSnapshot("assembling");
    // Neither a link nor a file in the snapshots area is a snapshot.
    await symlink("s1", join(snapshotsRoot(topicFolder, typeFolder), "alias"));
    await writeFile(join(snapshotsRoot(topicFolder, typeFolder), "notes"), "x");
    expect(await listSnapshots(topicFolder, typeFolder, signal)).toEqual([
      { name: "s2", publishedAt: "2024-04-19T00:00:00.000Z", isCurrent: false },
      { name: "s1", publishedAt: "2024-04-19T00:00:01.000Z", isCurrent: true },
      { name: "assembling", publishedAt: undefined, isCurrent: false },
      { name: "s3", publishedAt: undefined, isCurrent: false },
    ]);
    expect(await previousSnapshot(topicFolder, typeFolder, signal)).toBe("s2");
  });

  it("a rollback makes the rolled-back-from snapshot the previous one", async () => {
    for (const name of ["s1", "s2", "s3"]) await makeSnapshot(name);
    for (const name of ["s1", "s2", "s3"]) await publish(name);
    expect(await previousSnapshot(topicFolder, typeFolder, signal)).toBe("s2");
    await publish("s2");
    expect(await currentSnapshot(topicFolder, typeFolder, signal)).toBe("s2");
    expect(await previousSnapshot(topicFolder, typeFolder, signal)).toBe("s3");
  });

  it("see no current snapshot for a plain folder, nothing, or a foreign link", async () => {
    expect(await currentSnapshot(topicFolder, typeFolder, signal)).toBeUndefined();
    expect(await listSnapshots(topicFolder, typeFolder, signal)).toEqual([]);
    expect(await previousSnapshot(topicFolder, typeFolder, signal)).toBeUndefined();
    await mkdir(typePath);
    expect(await currentSnapshot(topicFolder, typeFolder, signal)).toBeUndefined();
    await rm(typePath, { recursive: true });
    await makeSnapshot("s1");
    for (const text of [
      join(snapshotsRoot(topicFolder, typeFolder), "s1"), // absolute
      ".dci-mirror/snapshots/other/s1", // another type's
      ".dci-mirror/snapshots/compose/../compose/s1", // not our exact form
      ".dci-mirror/snapshots/compose/s1/BaseOS", // inside a snapshot
    ]) {
      await rm(typePath, { force: true });
      await symlink(text, typePath);
      expect(await currentSnapshot(topicFolder, typeFolder, signal), text).toBeUndefined();
    }
  });
});

describe("removeOldSnapshots", () => {
  it("keeps the current one, the newest before it and the one in progress", async () => {
    for (const name of ["s1", "s2", "s3", "s4"]) {
      await makeSnapshot(name);
      await publish(name);
    }
    await makeSnapshot("s5");
    const options = { topicFolder, typeFolder, keep: 2, signal };
    expect(await removeOldSnapshots(options)).toEqual(["s1", "s2"]);
    expect(await listSnapshots(topicFolder, typeFolder, signal)).toEqual([
      { name: "s3", publishedAt: "2024-04-19T00:00:02.000Z", isCurrent: false },
      { name: "s4", publishedAt: "2024-04-19T00:00:03.000Z", isCurrent: true },
      { name: "s5", publishedAt: undefined, isCurrent: false },
    ]);
    expect((await readdir(snapshotsRoot(topicFolder, typeFolder))).sort()).toEqual([
      PUBLISHED_LOG_NAME,
      "s3",
      "s4",
      "s5",
    ]);
    expect(await readLog()).toMatchObject({ published: [{ name: "s3" }, { name: "s4" }] });
    expect(await readFile(join(typePath, "marker.txt"), "utf8")).toBe("snapshot s4\n");
    expect(await removeOldSnapshots(options)).toEqual([]);
  });

  it("keeps the current snapshot after a rollback, even when it is not among the newest", async () => {
    for (const name of ["s1", "s2", "s3", "s4"]) {
      await makeSnapshot(name);
      await publish(name);
    }
    // Publishing s2 again (a rollback) makes it the newest publication.
    await publish("s2");
    expect(await removeOldSnapshots({ topicFolder, typeFolder, keep: 1, signal })).toEqual([
      "s1",
      "s3",
      "s4",
    ]);
    expect((await listSnapshots(topicFolder, typeFolder, signal)).map(({ name }) => name)).toEqual([
      "s2",
    ]);
  });

  it("keeps the current snapshot when the log does not have it as the newest", async () => {
    for (const name of ["s1", "s2", "s3", "s4"]) {
      await makeSnapshot(name);
      await publish(name);
    }
    // A crash after the switch to s2, before the log write: the link moved, the log did not.
    await symlink(".dci-mirror/snapshots/compose/s2", join(topicFolder, "switching"));
    await rename(join(topicFolder, "switching"), typePath);
    expect(await removeOldSnapshots({ topicFolder, typeFolder, keep: 2, signal })).toEqual([
      "s1",
      "s3",
    ]);
    expect(await currentSnapshot(topicFolder, typeFolder, signal)).toBe("s2");
    expect(await readFile(join(typePath, "marker.txt"), "utf8")).toBe("snapshot s2\n");
  });

  it("keeps a current snapshot missing from the log (a crash before the log write)", async () => {
    for (const name of ["s1", "s2", "s3"]) {
      await makeSnapshot(name);
      await publish(name);
    }
    await rm(join(snapshotsRoot(topicFolder, typeFolder), PUBLISHED_LOG_NAME));
    expect(await removeOldSnapshots({ topicFolder, typeFolder, keep: 1, signal })).toEqual([]);
    expect(await listSnapshots(topicFolder, typeFolder, signal)).toHaveLength(3);
  });

  it("never follows a link inside a snapshot it removes", async () => {
    const outside = join(base, "outside");
    await mkdir(join(outside, "deep"), { recursive: true });
    await writeFile(join(outside, "deep/precious.txt"), "keep me");
    const old = await makeSnapshot("old");
    await symlink(outside, join(old, "to-outside"));
    await symlink(join(outside, "deep/precious.txt"), join(old, "BaseOS/os/to-file"));
    await symlink("../../../../../outside", join(old, "BaseOS/relative-out"));
    await publish("old");
    await makeSnapshot("new");
    await publish("new");

    expect(await removeOldSnapshots({ topicFolder, typeFolder, keep: 1, signal })).toEqual(["old"]);
    await expect(lstat(old)).rejects.toMatchObject({ code: "ENOENT" });
    expect(await readFile(join(outside, "deep/precious.txt"), "utf8")).toBe("keep me");
    expect(await readdir(outside)).toEqual(["deep"]);
  });

  it("leaves the snapshots area alone when it is a link", async () => {
    const outside = join(base, "outside");
    await mkdir(join(outside, "s1"), { recursive: true });
    await writeFile(join(outside, "s1/precious.txt"), "keep me");
    await mkdir(join(topicFolder, ".dci-mirror/snapshots"), { recursive: true });
    await symlink(outside, snapshotsRoot(topicFolder, typeFolder));
    expect(await removeOldSnapshots({ topicFolder, typeFolder, keep: 1, signal })).toEqual([]);
    expect(await listSnapshots(topicFolder, typeFolder, signal)).toEqual([]);
    expect(await readFile(join(outside, "s1/precious.txt"), "utf8")).toBe("keep me");
  });

  it("clears what an interrupted removal left under a temporary name", async () => {
    await makeSnapshot("s1");
    await publish("s1");
    const leftover = join(snapshotsRoot(topicFolder, typeFolder), ".dci-mirror-tmp-leftover");
    await mkdir(join(leftover, "sub"), { recursive: true });
    await writeFile(join(leftover, "sub/half.rpm"), "half");
    expect(await removeOldSnapshots({ topicFolder, typeFolder, keep: 1, signal })).toEqual([]);
    await expect(lstat(leftover)).rejects.toMatchObject({ code: "ENOENT" });
    expect((await stat(snapshotPath(topicFolder, typeFolder, "s1"))).isDirectory()).toBe(true);
  });

  it("refuses a keep below one", async () => {
    await expect(removeOldSnapshots({ topicFolder, typeFolder, keep: 0, signal })).rejects.toThrow(
      RangeError,
    );
  });
});
