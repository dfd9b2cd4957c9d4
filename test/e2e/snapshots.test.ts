// Snapshot mode (--snapshots N) with the real CLI against the sandbox: a compose change is
// published whole by one switch while an HTTP reader keeps reading DEST/<topic>/<type>; the
// files the new compose shares with the old one are hard-linked, not downloaded; the last N
// snapshots are kept; a plain mirror is adopted without a download.
import { lstat, mkdtemp, readFile, readlink, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FileInput, textFile } from "../../src/sandbox/catalog/component-builder.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { serveFolder, startReader } from "../helpers/http-reader.js";
import { runCli, sandboxEnv } from "../helpers/run-cli.js";
import { addTestComponent } from "../helpers/sandbox-component.js";

let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
  env = sandboxEnv(sandbox);
});
afterAll(async () => {
  await sandbox.close();
});

const SHARED = 97;
const CHANGED = 3;
const changedPaths = Array.from({ length: CHANGED }, (_, index) => `Packages/changed-${index}.rpm`);

/** A compose of 100 packages (97 the same in every compose) and a manifest naming the compose. */
function compose(type: string, name: string, day: number) {
  const files: FileInput[] = [textFile("repodata/repomd.xml", name)];
  for (let index = 0; index < SHARED; index++)
    files.push(textFile(`Packages/shared-${index}.rpm`, `shared package ${index}\n`.repeat(50)));
  for (let index = 0; index < CHANGED; index++)
    files.push(textFile(`Packages/changed-${index}.rpm`, `${name}\n`));
  const createdAt = `2020-01-0${day}T00:00:00`;
  return addTestComponent(sandbox, { seed: name, name, type, createdAt, files });
}

/** GETs of the component's files from the store (its files list and images list not counted). */
const fileGets = () =>
  sandbox.requestLog.entries.filter(
    (entry) =>
      entry.server === "store" &&
      entry.method === "GET" &&
      !/(dci_files_list\.json|images_list\.yaml)$/.test(entry.path),
  ).length;

describe("--snapshots", () => {
  it("publishes a compose change whole, downloads only the changed files, keeps the last N", async () => {
    const type = "snap-change";
    const dest = await mkdtemp(join(tmpdir(), "dci-mirror-snapshots-"));
    const typePath = join(dest, "RHEL-9.4", type);
    const args = ["RHEL-9.4", dest, "--filter", type, "--snapshots", "2", "--json"];
    const first = compose(type, "compose-A", 1);
    expect((await runCli(args, env)).exitCode).toBe(0);
    expect(await readlink(typePath)).toBe(`.dci-mirror/snapshots/${type}/${first.id}`);

    const second = compose(type, "compose-B", 2);
    sandbox.requestLog.clear();
    const web = await serveFolder(typePath);
    const reader = startReader(web.url, changedPaths);
    const result = await runCli(args, env);
    await reader.stop();
    await web.close();
    expect(result.exitCode).toBe(0);
    expect(reader.mixes).toEqual([]);
    expect(reader.seen).toContain("compose-A");
    expect(reader.straddled()).toBeLessThanOrEqual(1);
    expect(await readFile(join(typePath, "repodata/repomd.xml"), "utf8")).toBe("compose-B");
    // The manifest and the 3 changed packages are fetched; the 97 shared ones are linked.
    expect(fileGets()).toBe(1 + CHANGED);
    const component = JSON.parse(result.stdout).topics[0].components[0];
    expect(component).toMatchObject({
      downloaded: 1 + CHANGED,
      reused: SHARED,
      snapshot: second.id,
    });
    // On disk the new compose adds only its changed files: the 97 others are the old inodes.
    const snapshots = join(dest, "RHEL-9.4", ".dci-mirror", "snapshots", type);
    const inodes = async (id: string) =>
      new Set(
        await Promise.all(
          Array.from(
            { length: SHARED },
            async (_, index) =>
              (await stat(join(snapshots, id, `Packages/shared-${index}.rpm`))).ino,
          ),
        ),
      );
    const [inA, inB] = await Promise.all([inodes(first.id), inodes(second.id)]);
    expect(inB).toEqual(inA);
    expect(inB.size).toBe(SHARED);
    expect((await stat(join(snapshots, second.id, "Packages/shared-7.rpm"))).nlink).toBe(2);

    compose(type, "compose-C", 3);
    expect((await runCli(args, env)).exitCode).toBe(0);
    // Two kept: C (published) and B; A is gone.
    await expect(lstat(join(snapshots, first.id))).rejects.toMatchObject({ code: "ENOENT" });
    expect((await lstat(join(snapshots, second.id))).isDirectory()).toBe(true);
    expect(await readFile(join(typePath, "repodata/repomd.xml"), "utf8")).toBe("compose-C");
  });

  it("adopts a plain mirror on its first snapshot run without downloading a file", async () => {
    const type = "snap-adopt";
    const dest = await mkdtemp(join(tmpdir(), "dci-mirror-snapshots-"));
    const component = compose(type, "compose-plain", 1);
    const plain = ["RHEL-9.4", dest, "--filter", type];
    expect((await runCli(plain, env)).exitCode).toBe(0);
    sandbox.requestLog.clear();
    const result = await runCli([...plain, "--snapshots", "2"], env);
    expect(result.exitCode).toBe(0);
    expect(fileGets()).toBe(0);
    const typePath = join(dest, "RHEL-9.4", type);
    expect(await readlink(typePath)).toBe(`.dci-mirror/snapshots/${type}/${component.id}`);
    expect(await readFile(join(typePath, "repodata/repomd.xml"), "utf8")).toBe("compose-plain");
    const verify = await runCli(["verify", join(dest, "RHEL-9.4")], env);
    expect(verify.exitCode).toBe(0);
    expect(verify.stdout).toContain(`${type} (compose-plain): 101 files`);
    // --verify re-hashes the published snapshot in place: every file checked, none fetched.
    const rehash = await runCli([...plain, "--snapshots", "2", "--verify", "--json"], env);
    expect(rehash.exitCode).toBe(0);
    expect(JSON.parse(rehash.stdout).topics[0].components[0]).toMatchObject({
      verified: 101,
      downloaded: 0,
      snapshot: null,
    });
  });

  it("plans with the reuse counted, and goes back to a plain folder without a download", async () => {
    const type = "snap-plan";
    const dest = await mkdtemp(join(tmpdir(), "dci-mirror-snapshots-"));
    const args = ["RHEL-9.4", dest, "--filter", type, "--snapshots", "2"];
    compose(type, "compose-P1", 1);
    expect((await runCli(args, env)).exitCode).toBe(0);
    compose(type, "compose-P2", 2);
    const plan = await runCli(["plan", ...args, "--json"], env);
    expect(plan.exitCode).toBe(0);
    const planned = JSON.parse(plan.stdout).topics[0].components[0].planned;
    expect(planned).toMatchObject({ fetch: 1 + CHANGED, keep: SHARED });
    expect((await runCli(args, env)).exitCode).toBe(0);

    sandbox.requestLog.clear();
    const plain = await runCli(["RHEL-9.4", dest, "--filter", type], env);
    expect(plain.exitCode).toBe(0);
    expect(plain.stderr).toContain("is a plain folder again");
    expect(fileGets()).toBe(0);
    const typePath = join(dest, "RHEL-9.4", type);
    expect((await lstat(typePath)).isDirectory()).toBe(true);
    expect(await readFile(join(typePath, "repodata/repomd.xml"), "utf8")).toBe("compose-P2");
    expect((await runCli(["verify", typePath], env)).exitCode).toBe(0);
    // And into snapshot mode again, twice adopting a plain folder of the same compose.
    expect((await runCli(args, env)).exitCode).toBe(0);
    expect((await runCli(["RHEL-9.4", dest, "--filter", type], env)).exitCode).toBe(0);
    expect((await runCli(args, env)).exitCode).toBe(0);
    expect(await readFile(join(typePath, "repodata/repomd.xml"), "utf8")).toBe("compose-P2");
  });

  it("does not publish a compose that would remove more than --max-delete allows", async () => {
    const type = "snap-limit";
    const dest = await mkdtemp(join(tmpdir(), "dci-mirror-snapshots-"));
    const first = compose(type, "compose-full", 1);
    const args = ["RHEL-9.4", dest, "--filter", type, "--snapshots", "2"];
    expect((await runCli(args, env)).exitCode).toBe(0);
    addTestComponent(sandbox, {
      seed: "compose-tiny",
      name: "compose-tiny",
      type,
      createdAt: "2020-01-05T00:00:00",
      files: [textFile("repodata/repomd.xml", "compose-tiny")],
    });
    const result = await runCli([...args, "--max-delete", "10"], env);
    expect(result.exitCode).toBe(9);
    expect(result.stderr).toContain("would remove 100 entries");
    const typePath = join(dest, "RHEL-9.4", type);
    expect(await readlink(typePath)).toBe(`.dci-mirror/snapshots/${type}/${first.id}`);
  });
});
