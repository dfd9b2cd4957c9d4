// Symlinks under `.dci-mirror/partial` are never followed. A symlinked partial folder once had
// every file of the folder it pointed to deleted by the cleanup after a clean run (outside DEST);
// a symlink at a partial's predictable name had the download overwrite its target outside DEST,
// and the link itself was then renamed into the mirror. Real CLI, sandbox on 127.0.0.1.
import { createHash } from "node:crypto";
import { lstat, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DciClient } from "../../src/api/client.js";
import { randomFile } from "../../src/sandbox/catalog/component-builder.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { runCli, sandboxEnv } from "../helpers/run-cli.js";
import { addTestComponent } from "../helpers/sandbox-component.js";

const BIG = "images/disk.img";
const SMALL = "images/small.bin";

let sandbox: Sandbox;
let env: Record<string, string>;
let componentId: string;
const sha256s = new Map<string, string>();

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
  env = sandboxEnv(sandbox);
  const component = addTestComponent(sandbox, {
    seed: "partial-links",
    name: "links-1.0",
    type: "links",
    files: [randomFile(BIG, "disk", 1536 * 1024), randomFile(SMALL, "small", 40_000)],
  });
  componentId = component.id;
  const client = new DciClient({ csUrl: sandbox.csUrl, ...sandbox.credentials });
  for (const file of (await client.filesList(componentId)).files) {
    sha256s.set(`${file.path}/${file.name}`.replace(/^\//, ""), file.sha256);
  }
  await client.close();
});
afterAll(async () => {
  await sandbox.close();
});

async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `dci-mirror-${prefix}-`));
}

function partialBase(path: string): string {
  const pathHash = createHash("sha256").update(path).digest("hex").slice(0, 16);
  return `${sha256s.get(path)}-${pathHash}`;
}

async function expectMirroredRegularFile(folder: string, path: string): Promise<void> {
  expect((await lstat(join(folder, path))).isFile()).toBe(true);
  const bytes = await readFile(join(folder, path));
  expect(createHash("sha256").update(bytes).digest("hex")).toBe(sha256s.get(path));
}

describe("symlinks under the partial folder", () => {
  it("leaves the files of a folder outside DEST alone when the partial folder is a symlink to it", async () => {
    const outside = await tempDir("outside");
    const precious = ["notes.txt", "old.part", "old.json"];
    for (const name of precious) await writeFile(join(outside, name), `keep ${name}\n`);
    const dest = await tempDir("dest");
    const folder = join(dest, "RHEL-9.4", "links");
    await mkdir(join(folder, ".dci-mirror"), { recursive: true });
    await symlink(outside, join(folder, ".dci-mirror", "partial"));
    const result = await runCli(["RHEL-9.4", dest, "--component-id", componentId], env);
    expect(result.exitCode).toBe(0);
    expect((await readdir(outside)).sort()).toEqual([...precious].sort());
    for (const name of precious) {
      expect(await readFile(join(outside, name), "utf8")).toBe(`keep ${name}\n`);
    }
    await expectMirroredRegularFile(folder, BIG);
    await expectMirroredRegularFile(folder, SMALL);
  }, 60_000);

  it("leaves a folder outside DEST alone when the component's .dci-mirror folder is a symlink to it", async () => {
    const outside = await tempDir("outside");
    await mkdir(join(outside, "partial"));
    const precious = ["partial/old.part", "partial/old.json", "state.json"];
    for (const name of precious) await writeFile(join(outside, name), `keep ${name}\n`);
    const dest = await tempDir("dest");
    const folder = join(dest, "RHEL-9.4", "links");
    await mkdir(folder, { recursive: true });
    await symlink(outside, join(folder, ".dci-mirror"));
    const result = await runCli(["RHEL-9.4", dest, "--component-id", componentId], env);
    expect(result.exitCode).toBe(0);
    for (const name of precious) {
      expect(await readFile(join(outside, name), "utf8")).toBe(`keep ${name}\n`);
    }
    expect((await lstat(join(folder, ".dci-mirror"))).isDirectory()).toBe(true);
    await expectMirroredRegularFile(folder, BIG);
  }, 60_000);

  it("never writes through a symlink at a partial's name, and places a regular file with the right bytes", async () => {
    const outside = await tempDir("outside");
    const dest = await tempDir("dest");
    const folder = join(dest, "RHEL-9.4", "links");
    const partialDir = join(folder, ".dci-mirror", "partial");
    await mkdir(partialDir, { recursive: true });
    const targets: string[] = [];
    for (const path of [BIG, SMALL]) {
      for (const suffix of [".part", ".json"]) {
        const target = join(outside, `${path.replace("/", "_")}${suffix}`);
        await writeFile(target, "precious\n");
        await symlink(target, join(partialDir, `${partialBase(path)}${suffix}`));
        targets.push(target);
      }
    }
    const result = await runCli(["RHEL-9.4", dest, "--component-id", componentId], env);
    expect(result.exitCode).toBe(0);
    for (const target of targets) expect(await readFile(target, "utf8")).toBe("precious\n");
    await expectMirroredRegularFile(folder, BIG);
    await expectMirroredRegularFile(folder, SMALL);
  }, 60_000);
});
