// A files list that is missing its `files`, or empty, must never read as "the component is empty
// now" over an existing mirror: the run fails with a message and the mirror keeps every file.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomFile } from "../../src/sandbox/catalog/component-builder.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { runCli, sandboxEnv } from "../helpers/run-cli.js";
import { addTestComponent } from "../helpers/sandbox-component.js";
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

/** A DEST whose `RHEL-9.4/kept/` folder holds a mirrored component of two files. */
async function mirroredDest(seed: string) {
  const component = addTestComponent(sandbox, {
    seed,
    name: `${seed}-1.0`,
    type: "kept",
    files: [
      randomFile("a/one.bin", `${seed}-one`, 5_000),
      randomFile("two.bin", `${seed}-two`, 7_000),
    ],
  });
  const dest = await mkdtemp(join(tmpdir(), "dci-mirror-list-shape-"));
  const first = await runCli(["RHEL-9.4", dest, "--component-id", component.id], env);
  expect(first.exitCode).toBe(0);
  const folder = join(dest, "RHEL-9.4", "kept");
  const before = await readTree(folder);
  expect([...before.files.keys()].sort()).toEqual(["a/one.bin", "two.bin"]);
  return { dest, folder, before };
}

/** A later component of the same type whose dci_files_list.json is `rawFilesList`, verbatim. */
function brokenComponent(seed: string, rawFilesList: string): string {
  const component = addTestComponent(sandbox, {
    seed: `${seed}-broken`,
    name: `${seed}-2.0`,
    type: "kept",
    createdAt: "2021-01-01T00:00:00",
    files: [],
    rawFilesList,
  });
  return component.id;
}

describe("a files list without a usable files key", () => {
  it.each([
    ["{}", "{}"],
    ["files: null", JSON.stringify({ files: null, symlinks: [] })],
    ["files: a string", JSON.stringify({ files: "none" })],
  ])(
    "fails with a shape error naming the component and the key, and deletes nothing (%s)",
    async (label, raw) => {
      const seed = `shape-${label.replace(/\W+/g, "-")}`;
      const { dest, folder, before } = await mirroredDest(seed);
      const brokenId = brokenComponent(seed, raw);
      const result = await runCli(["RHEL-9.4", dest, "--component-id", brokenId], env);
      expect(result.exitCode).toBe(5);
      expect(result.stderr).toContain(`dci_files_list.json of component ${brokenId}`);
      expect(result.stderr).toContain("response.files is not a list");
      expect((await readTree(folder)).files).toEqual(before.files);
    },
  );
});

describe("an empty files list over a mirrored component", () => {
  it("refuses the prune, says how many files it kept and what to do, and deletes nothing", async () => {
    const { dest, folder, before } = await mirroredDest("emptied");
    const brokenId = brokenComponent("emptied", JSON.stringify({ files: [], symlinks: [] }));
    const result = await runCli(["RHEL-9.4", dest, "--component-id", brokenId], env);
    expect(result.exitCode).toBe(5);
    expect(result.stderr).toContain(
      `The files list of component emptied-2.0 is empty but ${folder} holds 2 files; nothing was deleted.`,
    );
    expect(result.stderr).toContain(`remove ${folder} by hand`);
    expect((await readTree(folder)).files).toEqual(before.files);
  });

  it("refuses filters that keep none of the list's files over a mirrored component, and deletes nothing", async () => {
    const { dest, folder, before } = await mirroredDest("filtered");
    const componentId = sandbox.catalog.components.find((item) => item.name === "filtered-1.0")?.id;
    const result = await runCli(
      ["RHEL-9.4", dest, "--component-id", componentId ?? "", "--include", "no-such-dir/**"],
      env,
    );
    expect(result.exitCode).toBe(5);
    expect(result.stderr).toContain(
      `The filters keep none of the 2 files of component filtered-1.0, but ${folder} holds 2 files; nothing was deleted.`,
    );
    expect((await readTree(folder)).files).toEqual(before.files);
  });

  it("stops only that component: the topic's next component is still mirrored, and --json says which failed", async () => {
    // Types of its own: the other tests' "kept" components would be the latest ones.
    const first = addTestComponent(sandbox, {
      seed: "emptied-one",
      name: "emptied-one-1.0",
      type: "kept-then-empty",
      files: [randomFile("one.bin", "emptied-one", 5_000)],
    });
    const dest = await mkdtemp(join(tmpdir(), "dci-mirror-list-shape-"));
    expect((await runCli(["RHEL-9.4", dest, "--component-id", first.id], env)).exitCode).toBe(0);
    const folder = join(dest, "RHEL-9.4", "kept-then-empty");
    const before = await readTree(folder);
    addTestComponent(sandbox, {
      seed: "emptied-one-broken",
      name: "emptied-one-2.0",
      type: "kept-then-empty",
      createdAt: "2021-01-01T00:00:00",
      files: [],
      rawFilesList: JSON.stringify({ files: [], symlinks: [] }),
    });
    addTestComponent(sandbox, {
      seed: "emptied-next",
      name: "emptied-next-1.0",
      type: "after-empty",
      files: [randomFile("next.bin", "emptied-next", 3_000)],
    });
    const result = await runCli(
      ["RHEL-9.4", dest, "--filter", "kept-then-empty", "--filter", "after-empty", "--json"],
      env,
    );
    expect(result.exitCode).toBe(5);
    const document = JSON.parse(result.stdout);
    const [topic] = document.topics;
    expect(topic.error).toBeNull();
    const byType = Object.fromEntries(
      topic.components.map((component: { type: string }) => [component.type, component]),
    );
    expect(byType["kept-then-empty"].error).toMatchObject({
      code: "FILES_LIST_EMPTY",
      exitCode: 5,
    });
    expect(byType["after-empty"]).toMatchObject({ error: null, downloaded: 1, failed: 0 });
    expect((await readTree(folder)).files).toEqual(before.files);
    const next = await readTree(join(dest, "RHEL-9.4", "after-empty"));
    expect([...next.files.keys()]).toEqual(["next.bin"]);
  });

  it("still mirrors an empty component into a folder that holds nothing", async () => {
    const dest = await mkdtemp(join(tmpdir(), "dci-mirror-list-shape-"));
    const emptyId = brokenComponent("fresh", JSON.stringify({ files: [], symlinks: [] }));
    const result = await runCli(["RHEL-9.4", dest, "--component-id", emptyId], env);
    expect(result.exitCode).toBe(0);
  });
});
