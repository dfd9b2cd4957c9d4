// Crash safety of snapshot mode with the real CLI against the sandbox: a kill -9 at any point
// leaves DEST/<topic>/<type> pointing at a complete, verified snapshot (the old or the new one),
// and the next run continues the unfinished one. The kill during assembly is a real SIGKILL; the
// states a kill around the switch can leave (it cannot be timed between two syscalls) are made
// on the real tree between runs.
import type { ChildProcess } from "node:child_process";
import { mkdtemp, readdir, readFile, readlink, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type FileInput,
  randomFile,
  textFile,
} from "../../src/sandbox/catalog/component-builder.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { serveFolder, startReader } from "../helpers/http-reader.js";
import { runCli, sandboxEnv } from "../helpers/run-cli.js";
import { addTestComponent, TEST_TOPIC } from "../helpers/sandbox-component.js";

let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
  env = sandboxEnv(sandbox);
});
afterAll(async () => {
  await sandbox.close();
});
afterEach(() => {
  sandbox.setFaults([]);
});

const CHANGED = ["Packages/changed-0.rpm", "Packages/changed-1.rpm"];
/** What a new compose downloads besides its extra files: the rest is linked from the old one. */
const FETCHED = ["repodata/repomd.xml", ...CHANGED];
const BIG = "images/big.img";
// The client writes a partial in batches of 1 MiB: the big file stalls past its first batch.
const MiB = 1024 * 1024;
const BIG_BYTES = 2 * MiB;

/** A compose: a manifest and changed packages naming it, 5 packages the same in every compose. */
function compose(type: string, name: string, day: number, extra: FileInput[] = []) {
  const files: FileInput[] = [textFile("repodata/repomd.xml", name), ...extra];
  for (let index = 0; index < 5; index++)
    files.push(textFile(`Packages/shared-${index}.rpm`, `shared package ${index}\n`.repeat(20)));
  for (const path of CHANGED) files.push(textFile(path, name));
  const createdAt = `2020-01-0${day}T00:00:00`;
  return addTestComponent(sandbox, { seed: `${type}-${name}`, name, type, createdAt, files });
}

/** A fresh DEST for `type`, with the paths a test looks at and the sync it reruns. */
async function mirror(type: string) {
  const dest = await mkdtemp(join(tmpdir(), "dci-mirror-snapshot-crash-"));
  const topicFolder = join(dest, TEST_TOPIC);
  const snapshots = join(topicFolder, ".dci-mirror", "snapshots", type);
  const sync = (keep = 2, options: Parameters<typeof runCli>[2] = {}) =>
    runCli([TEST_TOPIC, dest, "--filter", type, "--snapshots", String(keep)], env, options);
  return { topicFolder, typePath: join(topicFolder, type), snapshots, sync };
}

/** The store's GETs of component files (the files and images lists not counted). */
const fileGets = () =>
  sandbox.requestLog.entries.filter(
    (entry) =>
      entry.server === "store" &&
      entry.method === "GET" &&
      !/(dci_files_list\.json|images_list\.yaml)$/.test(entry.path),
  );

/** What a reader sees through the type path: the manifest and the changed packages all say `name`. */
async function expectServes(typePath: string, name: string): Promise<void> {
  for (const path of ["repodata/repomd.xml", ...CHANGED])
    expect(await readFile(join(typePath, path), "utf8")).toBe(name);
  const shared = await readFile(join(typePath, "Packages/shared-3.rpm"), "utf8");
  expect(shared).toBe("shared package 3\n".repeat(20));
}

async function expectPublished(typePath: string, type: string, id: string): Promise<void> {
  expect(await readlink(typePath)).toBe(`.dci-mirror/snapshots/${type}/${id}`);
}

/** `dci-mirror verify DEST/<topic>` passes: it checks the snapshot the type path points at. */
async function expectVerified(topicFolder: string): Promise<void> {
  const result = await runCli(["verify", topicFolder], env);
  expect(result.exitCode, `${result.stdout}${result.stderr}`).toBe(0);
}

/** Leftover temporary entries (a kill between symlink and rename leaves one) in a folder. */
const tempEntries = async (folder: string) =>
  (await readdir(folder)).filter((name) => name.startsWith(".dci-mirror-tmp-"));

/** SIGKILLs the child once `ready` holds (polled), so the kill lands in a known phase of the run. */
function killWhen(ready: () => Promise<boolean>) {
  return (child: ChildProcess) => {
    let watching = true;
    void (async () => {
      while (watching && !(await ready())) await new Promise((resolve) => setTimeout(resolve, 10));
      if (watching) child.kill("SIGKILL");
    })();
    return () => {
      watching = false;
    };
  };
}

/** Compose A published, then compose B assembled but not published: one of its files fails. */
async function assembleUnpublished(type: string) {
  const tree = await mirror(type);
  const a = compose(type, "compose-A", 1);
  expect((await tree.sync()).exitCode).toBe(0);
  const b = compose(type, "compose-B", 2, [textFile("Packages/flaky.rpm", "flaky")]);
  sandbox.setFaults([
    { match: "Packages/flaky.rpm", componentId: b.id, storeStatus: { status: 404 } },
  ]);
  const failed = await tree.sync();
  expect(failed.exitCode).not.toBe(0);
  await expectPublished(tree.typePath, type, a.id);
  await expectServes(tree.typePath, "compose-A");
  await expectVerified(tree.topicFolder);
  // B is on disk, whole but the failed file: the next run has only that one left to fetch.
  expect(await readFile(join(tree.snapshots, b.id, CHANGED[0] ?? ""), "utf8")).toBe("compose-B");
  sandbox.setFaults([]);
  sandbox.requestLog.clear();
  return { ...tree, a, b };
}

describe("snapshot mode after a kill -9", () => {
  it("keeps serving the old snapshot after a kill mid-download, and the rerun resumes the partial", async () => {
    const type = "crash-assembly";
    const tree = await mirror(type);
    const a = compose(type, "compose-A", 1);
    expect((await tree.sync()).exitCode).toBe(0);
    const b = compose(type, "compose-B", 2, [randomFile(BIG, "big-B", BIG_BYTES)]);
    sandbox.setFaults([{ match: BIG, componentId: b.id, stallAfterBytes: 1.5 * MiB }]);
    const folder = join(tree.snapshots, b.id);
    const partials = join(folder, ".dci-mirror", "partial");
    const partialBytes = async () => {
      let bytes = 0;
      for (const name of await readdir(partials).catch(() => [] as string[]))
        if (name.endsWith(".part"))
          bytes += (await stat(join(partials, name)).catch(() => ({ size: 0 }))).size;
      return bytes;
    };
    const exists = (path: string) =>
      stat(join(folder, path)).then(
        () => true,
        () => false,
      );
    // Killed once the small files are in place and the big one is part way through.
    const ready = async () =>
      (await partialBytes()) >= MiB && (await Promise.all(FETCHED.map(exists))).every(Boolean);
    sandbox.requestLog.clear();
    // An HTTP client reads the published tree through the kill and the rerun.
    const web = await serveFolder(tree.typePath);
    const reader = startReader(web.url, CHANGED);
    const killed = await tree.sync(2, { onStart: killWhen(ready), killAfterMs: 20_000 });
    expect(killed.signal).toBe("SIGKILL");
    const resumeFrom = await partialBytes();
    expect(resumeFrom).toBeGreaterThan(0);
    expect(resumeFrom).toBeLessThan(BIG_BYTES);
    // Each file the new compose lacked was fetched once; the shared ones were linked.
    const fetchedBeforeKill = fileGets().map((entry) => entry.path.split("/").at(-1));
    const lacked = [...FETCHED, BIG].map((path) => path.split("/").at(-1));
    expect(fetchedBeforeKill.sort()).toEqual(lacked.sort());
    // Readers still get compose A, whole.
    await expectPublished(tree.typePath, type, a.id);
    await expectServes(tree.typePath, "compose-A");
    await expectVerified(tree.topicFolder);

    sandbox.setFaults([]);
    sandbox.requestLog.clear();
    expect((await tree.sync()).exitCode).toBe(0);
    await expectPublished(tree.typePath, type, b.id);
    await expectServes(tree.typePath, "compose-B");
    expect((await stat(join(tree.typePath, BIG))).size).toBe(BIG_BYTES);
    // One GET in all: the rest of the big file, from where the killed run stopped.
    const gets = fileGets();
    expect(gets.map((entry) => entry.path.split("/").at(-1))).toEqual(["big.img"]);
    expect(gets[0]?.path.endsWith(BIG)).toBe(true);
    expect(gets[0]?.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(Number(gets[0]?.range?.slice(6, -1))).toBeLessThanOrEqual(resumeFrom);
    await reader.stop();
    await web.close();
    expect(reader.mixes).toEqual([]);
    expect(reader.seen).toContain("compose-A");
    await expectVerified(tree.topicFolder);
  });

  it("publishes a snapshot assembled but not published, fetching only what it lacks", async () => {
    const tree = await assembleUnpublished("crash-unpublished");
    expect((await tree.sync()).exitCode).toBe(0);
    expect(fileGets().map((entry) => entry.path.split("/").at(-1))).toEqual(["flaky.rpm"]);
    await expectPublished(tree.typePath, "crash-unpublished", tree.b.id);
    await expectServes(tree.typePath, "compose-B");
    await expectVerified(tree.topicFolder);
  });

  it("serves the old snapshot beside a leftover temporary link, and the next run leaves none", async () => {
    const type = "crash-temp-link";
    const tree = await assembleUnpublished(type);
    // A kill between symlink() and rename(): the new link is made, under its temporary name only.
    const leftover = join(tree.topicFolder, ".dci-mirror-tmp-5d4c3b2a-1e0f-4a9b-8c7d-6e5f4a3b2c1d");
    await symlink(`.dci-mirror/snapshots/${type}/${tree.b.id}`, leftover);
    await expectPublished(tree.typePath, type, tree.a.id);
    await expectServes(tree.typePath, "compose-A");
    await expectVerified(tree.topicFolder);
    expect((await tree.sync()).exitCode).toBe(0);
    await expectPublished(tree.typePath, type, tree.b.id);
    await expectServes(tree.typePath, "compose-B");
    expect(await tempEntries(tree.topicFolder)).toEqual([]);
    await expectVerified(tree.topicFolder);
  });

  it("runs the retention (and the log write) a kill skipped, never removing the current snapshot", async () => {
    const type = "crash-retention";
    const tree = await mirror(type);
    const names = ["compose-A", "compose-B", "compose-C"];
    const ids: string[] = [];
    for (const [index, name] of names.entries()) {
      ids.push(compose(type, name, index + 1).id);
      expect((await tree.sync(3)).exitCode).toBe(0);
      await expectVerified(tree.topicFolder);
    }
    const current = ids[2] ?? "";
    const kept = async () => (await readdir(tree.snapshots)).filter((n) => !n.startsWith("."));
    expect((await kept()).sort()).toEqual([...ids].sort());
    // A kill right after the rename, before the log write: the log lacks the current snapshot.
    const log = join(tree.snapshots, ".dci-mirror-published.json");
    const { published } = JSON.parse(await readFile(log, "utf8")) as { published: unknown[] };
    await writeFile(log, JSON.stringify({ published: published.slice(0, -1) }));
    sandbox.requestLog.clear();
    expect((await tree.sync(1)).exitCode).toBe(0);
    expect(await kept()).toEqual([current]);
    expect(fileGets()).toEqual([]);
    await expectPublished(tree.typePath, type, current);
    await expectServes(tree.typePath, "compose-C");
    await expectVerified(tree.topicFolder);
  });
});
