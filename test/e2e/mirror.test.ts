// The mirror end to end: the real CLI against the sandbox on 127.0.0.1, checked on disk (every
// file's sha256, every symlink, no extra file) and on the sandbox's request log.
import { mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DciClient } from "../../src/api/client.js";
import type { FilesList } from "../../src/model.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { runCli, sandboxEnv } from "../helpers/run-cli.js";
import { readTree } from "../helpers/tree.js";

let sandbox: Sandbox;
let env: Record<string, string>;
let client: DciClient;
let composeList: FilesList;

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
  env = sandboxEnv(sandbox);
  client = new DciClient({ csUrl: sandbox.csUrl, ...sandbox.credentials });
  const topic = await client.topicByName("RHEL-9.4");
  const compose = await client.latestComponent(topic.id, { type: "compose" });
  if (compose === undefined) throw new Error("sandbox has no compose");

  composeList = await client.filesList(compose.id);
});
afterAll(async () => {
  await client.close();
  await sandbox.close();
});
beforeEach(() => {
  sandbox.setFaults([]);
  sandbox.requestLog.clear();
});

async function freshDest(): Promise<string> {
  return mkdtemp(join(tmpdir(), "dci-mirror-e2e-"));
}

function fullPath(entry: { path: string; name: string }): string {
  return entry.path === "" ? entry.name : `${entry.path}/${entry.name}`;
}

/** Asserts the tree holds exactly the listed files that `keep` selects, with their sha256. */
async function expectExactTree(
  folder: string,
  list: FilesList,
  keep: (path: string) => boolean,
): Promise<void> {
  const tree = await readTree(folder);
  const expected = new Map(
    list.files.filter((file) => keep(fullPath(file))).map((file) => [fullPath(file), file.sha256]),
  );
  expect(expected.size).toBeGreaterThan(0);
  const actualFiles = new Map([...tree.files].filter(([path]) => path !== "images_list.yaml"));
  expect([...actualFiles.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [path, sha256] of expected) expect(actualFiles.get(path), path).toBe(sha256);
  for (const [path, target] of tree.symlinks) {
    const listed = list.symlinks.find((link) => fullPath(link) === path);
    expect(listed?.destination, `symlink ${path}`).toBe(target);
  }
}

const ROOT_OR_METADATA = (path: string) => !path.includes("/") || path.startsWith("metadata");
const arch = (name: string, dirs: string) => (path: string) =>
  new RegExp(`^[^/]+/${name}/(${dirs})/`).test(path);

describe("mirror with the reference's filters", () => {
  it.each<[string, string[], (path: string) => boolean]>([
    [
      "default flags: x86_64 os of every variant, root files and metadata",
      [],
      (p) => ROOT_OR_METADATA(p) || arch("x86_64", "os")(p),
    ],
    [
      "--debug adds the debug trees",
      ["--debug"],
      (p) => ROOT_OR_METADATA(p) || arch("x86_64", "os|debug")(p),
    ],
    [
      "--src adds every variant's source tree",
      ["--src"],
      (p) => ROOT_OR_METADATA(p) || arch("x86_64", "os")(p) || p.includes("/source/tree"),
    ],
    [
      "--variant BaseOS --iso keeps BaseOS os and iso only",
      ["--variant", "BaseOS", "--iso"],
      (p) => ROOT_OR_METADATA(p) || /^BaseOS\/x86_64\/(os|iso)\//.test(p),
    ],
    [
      "--iso without --variant keeps every variant's ISOs",
      ["--iso"],
      (p) => ROOT_OR_METADATA(p) || arch("x86_64", "os|iso")(p),
    ],
    [
      "two --arch flags keep both arches",
      ["--arch", "x86_64", "--arch", "aarch64"],
      (p) => ROOT_OR_METADATA(p) || arch("x86_64", "os")(p) || arch("aarch64", "os")(p),
    ],
    [
      "--package-filter kernel keeps matching packages, root files and metadata",
      ["--package-filter", "kernel"],
      (p) => ROOT_OR_METADATA(p) || /^[^/]+\/x86_64\/os\/.*kernel/.test(p),
    ],
    ["--all keeps everything", ["--all"], () => true],
    [
      "--include and --exclude apply after the rules",
      ["--include", "BaseOS/**", "--include", "COMPOSE_ID", "--exclude", "**/repodata/**"],
      (p) => p === "COMPOSE_ID" || (p.startsWith("BaseOS/x86_64/os/") && !p.includes("/repodata/")),
    ],
  ])("%s", async (_label, flags, keep) => {
    const dest = await freshDest();
    const result = await runCli(["RHEL-9.4", dest, ...flags], env);
    expect(result.stderr).not.toContain("failed");
    expect(result.exitCode).toBe(0);
    await expectExactTree(join(dest, "RHEL-9.4", "compose"), composeList, keep);
  });

  it("mirrors one component by id, into its type's folder", async () => {
    const dest = await freshDest();
    const topic = await client.topicByName("RHEL-9.4");
    const milestone = await client.latestComponent(topic.id, { type: "compose", tag: "milestone" });
    const result = await runCli(
      ["RHEL-9.4", dest, "--component-id", milestone?.id ?? "", "--all"],
      env,
    );
    expect(result.exitCode).toBe(0);
    await expectExactTree(
      join(dest, "RHEL-9.4", "compose"),
      await client.filesList(milestone?.id ?? ""),
      () => true,
    );
    expect(await readdir(join(dest, "RHEL-9.4"))).toEqual(["compose"]);
  });

  it("mirrors every component type of a topic by default, awkward file names and images list included", async () => {
    const dest = await freshDest();
    const result = await runCli(["OpenShift-4.16", dest, "--json"], env);
    expect(result.exitCode).toBe(0);
    const summary = JSON.parse(result.stdout);
    const components = summary.topics[0].components;
    expect(components.length).toBeGreaterThanOrEqual(3);
    for (const component of components) {
      await expectExactTree(component.folder, await client.filesList(component.id), () => true);
    }
    const names = await readTree(join(dest, "OpenShift-4.16", "file-names"));
    for (const name of [
      "a;b.txt",
      "hash#tag.txt",
      "what?.txt",
      "100%41.txt",
      "with space.txt",
      "plus+sign.txt",
      "café-ñ.txt",
      "empty.txt",
    ]) {
      expect(
        [...names.files.keys()].some((path) => path.endsWith(name)),
        name,
      ).toBe(true);
    }
    const withImages = components.filter((component: { folder: string }) =>
      component.folder.endsWith("ocp"),
    );
    const ocp = await readTree(withImages[0]?.folder ?? "");
    expect(ocp.files.has("images_list.yaml")).toBe(true);
  });

  it("explains which rule keeps or drops a path", async () => {
    const dest = await freshDest();
    const debugFile = composeList.files.find((file) => file.path.includes("x86_64/debug"));
    const result = await runCli(
      [
        "RHEL-9.4",
        dest,
        "--filter",
        "compose",
        "--explain",
        fullPath(debugFile ?? { path: "", name: "" }),
      ],
      env,
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/dropped/);
    expect(result.stdout).toMatch(/--debug/);
    expect(await readdir(dest)).toEqual([]);
  });
});

describe("re-syncs", () => {
  it("makes no file request and reads no file content when nothing changed", async () => {
    const dest = await freshDest();
    expect((await runCli(["RHEL-9.4", dest, "--filter", "compose"], env)).exitCode).toBe(0);
    const folder = join(dest, "RHEL-9.4", "compose");
    // Same size, same mtime, other bytes: only a content read could notice. A quiet re-sync must
    // trust its record (and so keep the tampered bytes); --verify must notice and repair them.
    const victim = composeList.files.find((file) => file.path === "metadata");
    if (victim === undefined) throw new Error("no metadata file");
    const victimPath = join(folder, fullPath(victim));
    const { utimes, open } = await import("node:fs/promises");
    // utimes() cannot restore a sub-millisecond mtime: pin a whole second, and let one re-sync
    // record it (the file is checked by hash once, found good, and vouched for from then on).
    const pinnedSeconds = 1_700_000_000;
    await utimes(victimPath, pinnedSeconds, pinnedSeconds);
    expect((await runCli(["RHEL-9.4", dest, "--filter", "compose"], env)).exitCode).toBe(0);
    const handle = await open(victimPath, "r+");
    await handle.write(Buffer.from("X"), 0, 1, 0);
    await handle.close();
    await utimes(victimPath, pinnedSeconds, pinnedSeconds);
    sandbox.requestLog.clear();
    const again = await runCli(["RHEL-9.4", dest, "--filter", "compose", "--json"], env);
    expect(again.exitCode).toBe(0);
    const storeKeys = sandbox.requestLog.entries
      .filter((entry) => entry.server === "store")
      .map((entry) => entry.objectKey ?? "");
    expect(
      storeKeys.every(
        (key) => key.endsWith("dci_files_list.json") || key.endsWith("images_list.yaml"),
      ),
    ).toBe(true);
    const component = JSON.parse(again.stdout).topics[0].components[0];
    expect(component.skipped).toBe(component.files);
    expect(component.bytesTransferred).toBe(0);
    expect((await readTree(folder)).files.get(fullPath(victim))).not.toBe(victim.sha256);
    const verified = await runCli(["RHEL-9.4", dest, "--filter", "compose", "--verify"], env);
    expect(verified.exitCode).toBe(0);
    const tree = await readTree(folder);
    expect(tree.files.get(fullPath(victim))).toBe(victim.sha256);
  });

  it("removes extraneous files and empty folders after a clean run, never its bookkeeping", async () => {
    const dest = await freshDest();
    const folder = join(dest, "RHEL-9.4", "compose");
    await mkdir(join(folder, "stale", "deeper"), { recursive: true });
    await writeFile(join(folder, "stale", "deeper", "old.rpm"), "old");
    await writeFile(join(folder, "notes.txt"), "mine");
    const result = await runCli(["RHEL-9.4", dest, "--filter", "compose"], env);
    expect(result.exitCode).toBe(0);
    await expectExactTree(
      folder,
      composeList,
      (p) => ROOT_OR_METADATA(p) || arch("x86_64", "os")(p),
    );
    const tree = await readTree(folder);
    expect(tree.directories.has("stale")).toBe(false);
    expect((await readdir(folder)).filter((name) => name.startsWith(".dci-mirror"))).toEqual([
      ".dci-mirror",
    ]);
  });
});
