// The local tree and the checks made before any transfer, with the real CLI against the sandbox:
// names too long for the file system, space and inodes on a real tmpfs, pseudo file systems as
// DEST, a read-only DEST, bookkeeping reached through symlinks, and a folder that becomes a file.
import { mkdir, mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildComponent, type FileInput, textFile } from "../../src/sandbox/component-builder.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { runCli, sandboxEnv } from "../helpers/run-cli.js";
import { readTree } from "../helpers/tree.js";

let sandbox: Sandbox;
let env: Record<string, string>;
let topicId: string;

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
  env = sandboxEnv(sandbox);
  topicId = sandbox.catalog.topics.find((topic) => topic.name === "RHEL-9.4")?.id ?? "";
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
  const component = buildComponent({
    seed: type,
    topicId,
    name: `${type}-1.0`,
    type,
    createdAt: "2020-01-01T00:00:00",
    files,
  });
  sandbox.addComponent(component);
  return component.id;
}

/** Requests the object store got for files (the files list itself aside). */
function fileRequests(): readonly string[] {
  return sandbox.requestLog.entries
    .filter((entry) => entry.server === "store" && !entry.path.endsWith("dci_files_list.json"))
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
