// --registry for real: two local registries (docker-registry) on 127.0.0.1, an OCI image built by
// hand and pushed with two tags into the "source", then dci-mirror copies it with skopeo into the
// "destination". scripts/install-test-tools.sh (npm pretest) installs skopeo and docker-registry.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildComponent, textFile } from "../../src/sandbox/catalog/component-builder.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { runCli, sandboxEnv } from "../helpers/run-cli.js";

const registries: ChildProcess[] = [];
let sandbox: Sandbox;
let source: string;
let destination: string;
let componentId: string;
let registryPassword: string;

function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === "object" && address !== null ? address.port : 0;
}

/** Starts docker-registry on 127.0.0.1 and resolves once it answers /v2/. */
async function startRegistry(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "dci-mirror-registry-"));
  const port = await freePort();
  const config = join(folder, "config.yml");
  await writeFile(
    config,
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${folder}/data\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const child = spawn("docker-registry", ["serve", config], { stdio: "ignore" });
  registries.push(child);
  for (let attempt = 0; attempt < 200; attempt++) {
    const probe = await fetch(`http://127.0.0.1:${port}/v2/`).catch(() => undefined);
    if (probe?.ok) return `127.0.0.1:${port}`;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("docker-registry did not start");
}

/** A minimal OCI image layout (one uncompressed layer) in a folder, for skopeo copy. */
async function ociImage(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "dci-mirror-oci-"));
  await mkdir(join(folder, "blobs", "sha256"), { recursive: true });
  const blob = async (bytes: Buffer) => {
    const digest = createHash("sha256").update(bytes).digest("hex");
    await writeFile(join(folder, "blobs", "sha256", digest), bytes);
    return { digest: `sha256:${digest}`, size: bytes.length };
  };
  const content = Buffer.from("hello from a test image\n");
  const header = Buffer.alloc(512);
  header.write("hello.txt", 0);
  header.write("0000644\0", 100);
  header.write("0000000\0", 108);
  header.write("0000000\0", 116);
  header.write(`${content.length.toString(8).padStart(11, "0")}\0`, 124);
  header.write("00000000000\0", 136);
  header.write("        ", 148);
  header.write("0", 156);
  header.write("ustar\0", 257);
  header.write("00", 263);
  const checksum = [...header].reduce((sum, byte) => sum + byte, 0);
  header.write(`${checksum.toString(8).padStart(6, "0")}\0 `, 148);
  const tar = Buffer.concat([
    header,
    content,
    Buffer.alloc(512 - content.length),
    Buffer.alloc(1024),
  ]);
  const layer = await blob(tar);
  const config = await blob(
    Buffer.from(
      JSON.stringify({
        architecture: "amd64",
        os: "linux",
        rootfs: { type: "layers", diff_ids: [layer.digest] },
        config: {},
      }),
    ),
  );
  const manifest = await blob(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config },
        layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", ...layer }],
      }),
    ),
  );
  await writeFile(join(folder, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  await writeFile(
    join(folder, "index.json"),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", ...manifest }],
    }),
  );
  return folder;
}

beforeAll(async () => {
  [source, destination] = await Promise.all([startRegistry(), startRegistry()]);
  const image = await ociImage();
  for (const tag of ["17.1_1", "17.1_2"]) {
    const pushed = await run("skopeo", [
      "copy",
      "--dest-tls-verify=false",
      `oci:${image}`,
      `docker://${source}/rhosp17/openstack-base:${tag}`,
    ]);
    expect(pushed.output).toBe(pushed.code === 0 ? pushed.output : "push succeeded");
  }
  sandbox = await startSandbox({ size: "tiny" });
  const topic = sandbox.catalog.topics.find((candidate) => candidate.name === "RHEL-9.4");
  registryPassword = String(Reflect.get(Object(topic?.data["registry"]), "password"));
  const component = buildComponent({
    seed: "registry",
    topicId: topic?.id ?? "",
    name: "containers-17.1",
    type: "containers",
    createdAt: "2020-01-01T00:00:00",
    files: [textFile("README", "container images\n")],
    images: [`${source}/rhosp17/openstack-base:17.1_1`, `${source}/rhosp17/openstack-base:17.1_2`],
  });
  sandbox.addComponent(component);
  componentId = component.id;
}, 60_000);

afterAll(async () => {
  for (const registry of registries) registry.kill();
  await sandbox?.close();
});

describe("--registry", () => {
  it("copies every tag of the component's images into the registry with skopeo, never printing the password", async () => {
    const env = sandboxEnv(sandbox);
    const dest = await mkdtemp(join(tmpdir(), "dci-mirror-images-"));
    const result = await runCli(
      ["RHEL-9.4", dest, "--component-id", componentId, "--registry", destination, "--verbose"],
      env,
    );
    expect(result.stderr).toContain(`2 container image(s) copied to ${destination}`);
    expect(result.exitCode).toBe(0);
    // skopeo sync (as dci-downloader runs it, without --scoped) keeps the last path part only.
    for (const tag of ["17.1_1", "17.1_2"]) {
      const inspected = await run("skopeo", [
        "inspect",
        "--tls-verify=false",
        `docker://${destination}/openstack-base:${tag}`,
      ]);
      expect(inspected.code, inspected.output).toBe(0);
    }
    expect(result.stdout + result.stderr).not.toContain(registryPassword);
  });

  it("exits 10 with IMAGES_NOT_COPIED when the topic has no registry credentials, and still mirrors the files", async () => {
    const dest = await mkdtemp(join(tmpdir(), "dci-mirror-images-"));
    const result = await runCli(
      ["OpenShift-4.16", dest, "--filter", "ocp", "--registry", destination, "--json"],
      sandboxEnv(sandbox),
    );
    expect(result.exitCode).toBe(10);
    const summary = JSON.parse(result.stdout);
    expect(summary.exitCode).toBe(10);
    const [component] = summary.topics[0].components;
    expect(component.error).toMatchObject({ code: "IMAGES_NOT_COPIED", exitCode: 10 });
    expect(component.error.message).toContain("no registry credentials");
    expect(component.downloaded).toBeGreaterThan(0);
    expect(component.failed).toBe(0);
    expect(result.stderr).toContain('"code":"IMAGES_NOT_COPIED"');
  });

  it("exits 10 with skopeo's status when skopeo sync fails, after mirroring the files", async () => {
    const topic = sandbox.catalog.topics.find((candidate) => candidate.name === "RHEL-9.4");
    const nowhere = `127.0.0.1:${await freePort()}`;
    const component = buildComponent({
      seed: "registry-down",
      topicId: topic?.id ?? "",
      name: "containers-unreachable",
      type: "containers-down",
      createdAt: "2020-01-02T00:00:00",
      files: [textFile("README", "images from a registry that is not there\n")],
      images: [`${nowhere}/rhosp17/openstack-base:17.1_1`],
    });
    sandbox.addComponent(component);
    const dest = await mkdtemp(join(tmpdir(), "dci-mirror-images-"));
    const result = await runCli(
      ["RHEL-9.4", dest, "--component-id", component.id, "--registry", destination],
      sandboxEnv(sandbox),
    );
    expect(result.exitCode).toBe(10);
    expect(result.stderr).toMatch(
      /were not copied to .*skopeo sync into .* failed with status \d+/,
    );
    expect(result.stdout).toContain("finished with errors (exit code 10)");
    const readme = await readFile(join(dest, "RHEL-9.4", "containers-down", "README"), "utf8");
    expect(readme).toBe("images from a registry that is not there\n");
    expect(result.stdout + result.stderr).not.toContain(registryPassword);
  });

  it("refuses --registry before any network call when skopeo cannot run", async () => {
    sandbox.requestLog.clear();
    const env = sandboxEnv(sandbox, { PATH: "/nonexistent" });
    const result = await runCli(
      ["RHEL-9.4", await mkdtemp(join(tmpdir(), "dci-mirror-images-")), "--registry", destination],
      env,
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("skopeo");
    expect(sandbox.requestLog.entries).toEqual([]);
  });
});
