import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { SandboxCatalog, SandboxObject } from "../../src/sandbox/catalog/catalog-types.js";
import {
  buildComponent,
  randomFile,
  textFile,
} from "../../src/sandbox/catalog/component-builder.js";
import { createObjectResolver } from "../../src/sandbox/store/objects.js";

const component = buildComponent({
  seed: "objects",
  topicId: "topic",
  name: "custom-1",
  displayName: "Custom One",
  type: "custom",
  createdAt: "2024-04-19T05:12:33.512301",
  updatedAt: "2024-04-20T06:00:01.250000",
  files: [
    textFile("COMPOSE_ID", "custom-1\n"),
    randomFile("BaseOS/Packages/kernel.rpm", "kernel", 70_001),
    textFile("empty.txt", ""),
  ],
  symlinks: [{ path: "BaseOS/latest.rpm", destination: "Packages/kernel.rpm" }],
  images: ["registry.example/a/b:1", "registry.example/a/c:2"],
});
const raw = buildComponent({
  seed: "objects",
  topicId: "topic",
  name: "raw-1",
  type: "custom",
  createdAt: "2024-04-19T05:12:33.512301",
  files: [textFile("a.txt", "a")],
  rawFilesList: '{"files": [{"name": "../escape", "path": "/", "size": 1, "sha256": "x"}]}',
});
const catalog: SandboxCatalog = {
  seed: "objects",
  identities: [],
  teams: [],
  products: [],
  topics: [],
  components: [component, raw],
};
const resolve = createObjectResolver(catalog);

async function text(object: SandboxObject | undefined): Promise<string> {
  if (!object) throw new Error("no object");
  const chunks: Buffer[] = [];
  const stream: Readable = object.read(0, object.sizeBytes - 1);
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

const sha256 = (input: string | Buffer) => createHash("sha256").update(input).digest("hex");

describe("createObjectResolver", () => {
  it("generates dci_files_list.json with the size and sha256 of every file", async () => {
    const object = await resolve(`${component.id}/dci_files_list.json`);
    const list = JSON.parse(await text(object));
    expect(Object.keys(list)).toEqual(["directories", "files", "symlinks"]);
    expect(list.directories).toEqual([
      { name: "BaseOS", path: "" },
      { name: "Packages", path: "BaseOS" },
    ]);
    expect(list.symlinks).toEqual([
      { name: "latest.rpm", path: "BaseOS", destination: "Packages/kernel.rpm" },
    ]);
    expect(list.files).toHaveLength(3);
    for (const entry of list.files) {
      const key = `${component.id}/${entry.path === "" ? "" : `${entry.path}/`}${entry.name}`;
      const file = await resolve(key);
      const chunks: Buffer[] = [];
      if (file && file.sizeBytes > 0)
        for await (const c of file.read(0, file.sizeBytes - 1)) chunks.push(c);
      expect(entry.size).toBe(file?.sizeBytes);
      expect(entry.sha256).toBe(sha256(Buffer.concat(chunks)));
    }
  });

  it("serves rawFilesList verbatim", async () => {
    expect(await text(await resolve(`${raw.id}/dci_files_list.json`))).toBe(raw.rawFilesList);
  });

  it("serves images_list.yaml only for components with images", async () => {
    const yaml = await text(await resolve(`${component.id}/images_list.yaml`));
    expect(yaml).toBe("---\n- registry.example/a/b:1\n- registry.example/a/c:2\n");
    expect(await resolve(`${raw.id}/images_list.yaml`)).toBeUndefined();
  });

  it("serves RHDL keys by display name, with the files list renamed", async () => {
    const prefix = "rhdl/Custom One/files";
    const list = await resolve(`${prefix}/rhdl_files_list.json`);
    const v1List = await resolve(`${component.id}/dci_files_list.json`);
    expect(await text(list)).toBe(await text(v1List));
    expect(list).toMatchObject({ componentId: component.id, filePath: "dci_files_list.json" });
    expect(await resolve(`${prefix}/dci_files_list.json`)).toBeUndefined();
    expect((await resolve(`${prefix}/BaseOS/Packages/kernel.rpm`))?.sizeBytes).toBe(70_001);
  });

  it("gives quoted strong ETags and Last-Modified from the component's update time", async () => {
    const object = await resolve(`${component.id}/BaseOS/Packages/kernel.rpm`);
    expect(object?.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(object?.lastModified.toISOString()).toBe("2024-04-20T06:00:01.250Z");
    expect(object).toMatchObject({
      componentId: component.id,
      filePath: "BaseOS/Packages/kernel.rpm",
    });
  });

  it.each([
    ["an unknown component", "00000000-0000-4000-8000-000000000000/COMPOSE_ID"],
    ["an unknown file", `${component.id}/nope.txt`],
    ["a directory", `${component.id}/BaseOS`],
    ["a symlink", `${component.id}/BaseOS/latest.rpm`],
    ["a key without a slash", component.id],
  ])("resolves %s to undefined", async (_label, key) => {
    expect(await resolve(key)).toBeUndefined();
  });
});
