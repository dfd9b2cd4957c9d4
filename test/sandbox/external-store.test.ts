// The sandbox in front of someone else's object store (nginx in `npm run bench`): a component
// written to disk under its object keys, and a gateway that presigns URLs for that origin.
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DciClient } from "../../src/api/client.js";
import { readFilesList } from "../../src/api/endpoints.js";
import type { SandboxCatalog } from "../../src/sandbox/catalog/catalog-types.js";
import {
  buildComponent,
  randomFile,
  textFile,
} from "../../src/sandbox/catalog/component-builder.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { writeCorpus } from "../../src/sandbox/store/external-store.js";
import { filesListJson } from "../../src/sandbox/store/objects.js";

const component = buildComponent({
  seed: "external-store",
  topicId: "topic",
  name: "RHEL-9.4.0-20240101.0",
  type: "compose",
  createdAt: "2024-01-01T00:00:00.000000",
  files: [
    textFile("COMPOSE_ID", "RHEL-9.4.0-20240101.0\n"),
    randomFile("BaseOS/x86_64/os/Packages/bash-5.1.rpm", "bash", 70_001),
    // More than one keystream chunk (64 KiB), not a multiple of the AES block.
    randomFile("BaseOS/x86_64/iso/dvd1.iso", "dvd", 3 * 65_536 + 7),
    textFile("metadata/empty.txt", ""),
  ],
  symlinks: [{ path: "BaseOS/x86_64/iso/boot.iso", destination: "dvd1.iso" }],
  images: ["registry.example/a/b:1"],
});
const escaping = buildComponent({
  seed: "external-store",
  topicId: "topic",
  name: "escaping-1",
  type: "custom",
  createdAt: "2024-01-01T00:00:00.000000",
  files: [textFile("../outside.txt", "no")],
});
const catalog: SandboxCatalog = {
  seed: "external-store",
  identities: [],
  teams: [],
  products: [],
  topics: [],
  components: [component, escaping],
};
const never = new AbortController().signal;

function sha256Of(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dci-mirror-corpus-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("writeCorpus", () => {
  it("writes every file under <dir>/<component id>/<path> with the bytes its files list promises", async () => {
    const corpus = await writeCorpus(catalog, component.id, dir, never);
    expect(corpus.root).toBe(join(dir, component.id));
    expect(corpus.files.map((file) => file.path)).toEqual([
      "COMPOSE_ID",
      "BaseOS/x86_64/os/Packages/bash-5.1.rpm",
      "BaseOS/x86_64/iso/dvd1.iso",
      "metadata/empty.txt",
    ]);
    expect(corpus.totalBytes).toBe(22 + 70_001 + 3 * 65_536 + 7);
    const list = await readFile(join(corpus.root, "dci_files_list.json"), "utf8");
    const listed = readFilesList(JSON.parse(list), "dci_files_list.json").files;
    expect(listed).toHaveLength(4);
    for (const entry of listed) {
      const relPath = entry.path === "" ? entry.name : `${entry.path}/${entry.name}`;
      const bytes = await readFile(join(corpus.root, relPath));
      expect(bytes.length, relPath).toBe(entry.sizeBytes);
      expect(sha256Of(bytes), relPath).toBe(entry.sha256);
      expect(corpus.files.find((file) => file.path === relPath)?.sha256).toBe(entry.sha256);
    }
  });

  it("writes the same files list text the built-in store serves, and the images list", async () => {
    const corpus = await writeCorpus(catalog, component.id, dir, never);
    const list = await readFile(join(corpus.root, "dci_files_list.json"), "utf8");
    expect(list).toBe(await filesListJson(component));
    const images = await readFile(join(corpus.root, "images_list.yaml"), "utf8");
    expect(images).toBe("---\n- registry.example/a/b:1\n");
  });

  it("refuses an unknown component and a path that would land outside the folder", async () => {
    await expect(writeCorpus(catalog, "no-such-id", dir, never)).rejects.toThrow(RangeError);
    await expect(writeCorpus(catalog, escaping.id, dir, never)).rejects.toThrow(/outside/);
  });

  it("stops with the abort reason when the signal fires", async () => {
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await expect(writeCorpus(catalog, component.id, dir, controller.signal)).rejects.toThrow();
  });
});

describe("startSandbox with externalStoreOrigin", () => {
  let sandbox: Sandbox;
  let client: DciClient;
  let store: Server;
  let composeId: string;

  beforeAll(async () => {
    // A minimal static server, as nginx would be: the path is the object key, the query is ignored.
    store = createServer((req, res) => {
      const key = decodeURIComponent(new URL(req.url ?? "/", "http://store").pathname);
      readFile(join(dir, key)).then(
        (bytes) => res.writeHead(200, { "content-length": bytes.length }).end(bytes),
        () => res.writeHead(404).end(),
      );
    });
    await new Promise<void>((resolve) => store.listen(0, "127.0.0.1", resolve));
    const address = store.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    const origin = `http://127.0.0.1:${port}`;
    sandbox = await startSandbox({ size: "tiny", externalStoreOrigin: origin });
    client = new DciClient({ csUrl: sandbox.csUrl, ...sandbox.credentials });
    const topic = await client.topicByName("RHEL-9.4");
    const compose = await client.latestComponent(topic.id, { type: "compose" });
    if (compose === undefined) throw new Error("sandbox has no compose");
    composeId = compose.id;
    await writeCorpus(sandbox.catalog, composeId, dir, never);
  });
  afterAll(async () => {
    await client.close();
    await sandbox.close();
    await new Promise<void>((resolve) => store.close(() => resolve()));
  });

  it("reports the external origin and presigns Locations for it", async () => {
    expect(sandbox.storeUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const url = await client.fileUrl(composeId, "COMPOSE_ID");
    expect(url.startsWith(`${sandbox.storeUrl}/${composeId}/COMPOSE_ID?X-Amz-`)).toBe(true);
  });

  it("serves the files list and the files from the written corpus through the gateway", async () => {
    const list = await client.filesList(composeId);
    expect(list.files.length).toBeGreaterThan(50);
    const treeinfo = list.files.find((file) => file.name === ".treeinfo");
    if (treeinfo === undefined) throw new Error("no .treeinfo listed");
    const relPath = `${treeinfo.path}/${treeinfo.name}`;
    const response = await fetch(await client.fileUrl(composeId, relPath));
    expect(response.status).toBe(200);
    expect(sha256Of(new Uint8Array(await response.arrayBuffer()))).toBe(treeinfo.sha256);
  });

  it("refuses an origin with a path, which would corrupt every presigned URL", async () => {
    await expect(
      startSandbox({ size: "tiny", externalStoreOrigin: "http://127.0.0.1:1/bucket" }),
    ).rejects.toThrow(TypeError);
  });
});
