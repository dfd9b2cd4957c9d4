import { posix } from "node:path";
import { describe, expect, it } from "vitest";
import { generateCatalog, sandboxCredentials } from "../../src/sandbox/catalog/catalog.js";
import { AWKWARD_FILE_NAMES } from "../../src/sandbox/catalog/catalog-openshift.js";
import type { SandboxCatalog, SandboxComponent } from "../../src/sandbox/catalog/catalog-types.js";
import {
  buildComponent,
  randomFile,
  textFile,
} from "../../src/sandbox/catalog/component-builder.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/;

const catalog = generateCatalog();

function topicNamed(source: SandboxCatalog, name: string) {
  const topic = source.topics.find((candidate) => candidate.name === name);
  if (!topic) throw new Error(`no topic ${name}`);
  return topic;
}

function componentsOf(source: SandboxCatalog, topicName: string, type: string) {
  const topicId = topicNamed(source, topicName).id;
  return source.components.filter((c) => c.topicId === topicId && c.type === type);
}

function newestBy(components: readonly SandboxComponent[], key: "createdAt" | "releasedAt") {
  return [...components].sort((a, b) => b[key].localeCompare(a[key]))[0];
}

function fullPaths(component: SandboxComponent): string[] {
  return component.files.map((file) => posix.join(file.path, file.name));
}

describe("generateCatalog", () => {
  it("is deterministic for a seed and differs for another seed", () => {
    expect(generateCatalog()).toEqual(catalog);
    const other = generateCatalog({ seed: "another" });
    expect(other.components[0]?.id).not.toBe(catalog.components[0]?.id);
    expect(sandboxCredentials(other).apiSecret).not.toBe(sandboxCredentials(catalog).apiSecret);
  });

  it("gives every record a v4-looking UUID, a 32-hex etag and zone-less timestamps", () => {
    const records = [...catalog.topics, ...catalog.components];
    const ids = [...records, ...catalog.teams, ...catalog.identities, ...catalog.products];
    expect(ids.every((record) => UUID.test(record.id))).toBe(true);
    expect(new Set(ids.map((record) => record.id)).size).toBe(ids.length);
    expect(records.every((record) => /^[0-9a-f]{32}$/.test(record.etag))).toBe(true);
    const times = catalog.components.flatMap((c) => [c.createdAt, c.releasedAt, c.updatedAt]);
    expect(times.every((time) => TIMESTAMP.test(time))).toBe(true);
  });

  it("prints remoteci credentials of the Sandbox Lab team", () => {
    const credentials = sandboxCredentials(catalog);
    expect(credentials.clientId).toMatch(/^remoteci\/[0-9a-f-]{36}$/);
    expect(credentials.apiSecret).toMatch(/^[A-Za-z0-9]{64}$/);
    const lab = catalog.teams.find((team) => team.name === "Sandbox Lab");
    expect(lab).toMatchObject({ state: "active", hasPreReleaseAccess: false });
    expect(catalog.teams.find((team) => team.name === "Inactive Team")?.state).toBe("inactive");
  });

  it.each([
    ["tiny", 150],
    ["small", 600],
    ["medium", 5_000],
  ] as const)("puts about the %s file count into each active RHEL-9.4 compose", (size, count) => {
    const composes = componentsOf(generateCatalog({ size }), "RHEL-9.4", "compose");
    const active = composes.filter((compose) => compose.state === "active");
    for (const compose of active) {
      expect(compose.files.length).toBeGreaterThanOrEqual(count * 0.9);
      expect(compose.files.length).toBeLessThanOrEqual(count * 1.1);
    }
  });

  it("lets filesPerCompose override the size", () => {
    const composes = componentsOf(
      generateCatalog({ filesPerCompose: 1_000 }),
      "RHEL-9.4",
      "compose",
    );
    expect(newestBy(composes, "createdAt")?.state).toBe("inactive");
    expect(composes.filter((c) => c.files.length === 1_000)).toHaveLength(4);
  });

  it("puts big ISOs into the newest active compose without generating their bytes", () => {
    const big = generateCatalog({ size: "tiny", bigFileBytes: 2 ** 30, bigFileCount: 3 });
    const active = componentsOf(big, "RHEL-9.4", "compose").filter((c) => c.state === "active");
    const newest = newestBy(active, "createdAt");
    const isos = newest?.files.filter((file) => /-dvd\d\.iso$/.test(file.name)) ?? [];
    const bigIsos = isos.filter(
      (file) => file.content.kind === "random" && file.content.sizeBytes === 2 ** 30,
    );
    expect(bigIsos.map((file) => file.name)).toEqual([
      "RHEL-9.4.0-20240422.0-x86_64-dvd1.iso",
      "RHEL-9.4.0-20240422.0-x86_64-dvd2.iso",
      "RHEL-9.4.0-20240422.0-x86_64-dvd3.iso",
    ]);
  });

  it("keeps ISOs of the default size at 2 MiB or less", () => {
    const sizes = catalog.components.flatMap((c) =>
      c.files.filter((f) => f.name.endsWith(".iso")).map((f) => f.content),
    );
    expect(sizes.length).toBeGreaterThan(0);
    expect(sizes.every((spec) => spec.kind === "random" && spec.sizeBytes <= 2 * 1024 * 1024)).toBe(
      true,
    );
  });

  it("makes the latest compose differ from the latest milestone and from the API's default order", () => {
    const composes = componentsOf(catalog, "RHEL-9.4", "compose");
    const active = composes.filter((compose) => compose.state === "active");
    const milestones = active.filter((compose) => compose.tags.includes("milestone"));
    expect(newestBy(active, "createdAt")?.name).toBe("RHEL-9.4.0-20240422.0");
    expect(newestBy(milestones, "createdAt")?.name).toBe("RHEL-9.4.0-20240419.5");
    const byCreated = [...active].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const byReleased = [...active].sort((a, b) => a.releasedAt.localeCompare(b.releasedAt));
    expect(byReleased.map((c) => c.name)).not.toEqual(byCreated.map((c) => c.name));
    expect(composes.map((c) => c.state)).toEqual(expect.arrayContaining(["inactive", "archived"]));
  });

  it("lays out a compose with real-looking names", () => {
    const compose = componentsOf(catalog, "RHEL-9.4", "compose").find(
      (c) => c.name === "RHEL-9.4.0-20240419.5",
    );
    const paths = compose ? fullPaths(compose) : [];
    expect(paths).toEqual(
      expect.arrayContaining([
        "COMPOSE_ID",
        ".composeinfo",
        "metadata/composeinfo.json",
        "metadata/rpms.json",
        "metadata/images.json",
        "BaseOS/x86_64/os/.treeinfo",
        "BaseOS/x86_64/os/repodata/repomd.xml",
        "BaseOS/x86_64/os/Packages/kernel-5.14.0-427.13.1.el9_4.x86_64.rpm",
        "AppStream/s390x/os/Packages/passt-0^20240624.g1ee2eca-1.el9.s390x.rpm",
        "AppStream/aarch64/os/Packages/gcc-c++-11.4.1-3.el9.aarch64.rpm",
        "BaseOS/ppc64le/debug/tree/Packages/glibc-debuginfo-2.34-100.el9.ppc64le.rpm",
        "BaseOS/source/tree/Packages/bash-5.1.8-9.el9.src.rpm",
        "BaseOS/x86_64/iso/RHEL-9.4.0-20240419.5-x86_64-dvd1.iso",
        "BaseOS/aarch64/iso/RHEL-9.4.0-20240419.5-aarch64-boot.iso",
        "BaseOS/x86_64/os/images/install.img",
      ]),
    );
    expect(
      paths.some((path) => /^CRB\/x86_64\/os\/repodata\/[0-9a-f]{64}-primary\.xml\.gz$/.test(path)),
    ).toBe(true);
    const composeId = compose?.files.find((file) => file.name === "COMPOSE_ID")?.content;
    expect(composeId).toEqual({ kind: "text", text: "RHEL-9.4.0-20240419.5\n" });
  });

  it("resolves every symlink destination inside its component", () => {
    for (const component of catalog.components) {
      const files = new Set(fullPaths(component));
      const directories = new Set(component.directories.map((d) => posix.join(d.path, d.name)));
      for (const link of component.symlinks) {
        const target = posix.normalize(posix.join(link.path, link.destination));
        expect(target.startsWith("..") || posix.isAbsolute(target), target).toBe(false);
        expect(files.has(target) || directories.has(target), `${link.name} → ${target}`).toBe(true);
      }
    }
    expect(catalog.components.some((c) => c.symlinks.some((l) => l.name === "isolinux"))).toBe(
      true,
    );
  });

  it("lists every ancestor directory of every file", () => {
    for (const component of catalog.components) {
      const directories = new Set(component.directories.map((d) => posix.join(d.path, d.name)));
      for (const file of component.files) {
        for (let dir = file.path; dir !== "" && dir !== "."; dir = posix.dirname(dir)) {
          expect(directories.has(dir), `${component.name}: ${dir}`).toBe(true);
        }
      }
    }
  });

  it("has topics with the visibility traps the API must honour", () => {
    expect(topicNamed(catalog, "RHEL-10.0").exportControl).toBe(false);
    expect(topicNamed(catalog, "RHEL-9.2").state).toBe("archived");
    expect(topicNamed(catalog, "RHEL-9.4").data).toMatchObject({
      registry: { login: "sandbox-pull" },
    });
    const openShift = componentsOf(catalog, "OpenShift-4.16", "ocp");
    expect(openShift.some((component) => (component.images ?? []).length > 0)).toBe(true);
    const privateTeams = catalog.components.flatMap((c) => (c.teamId ? [c.teamId] : []));
    const lab = catalog.teams.find((team) => team.name === "Sandbox Lab");
    expect(privateTeams.filter((teamId) => lab?.grantedByTeamIds.includes(teamId))).toHaveLength(1);
    expect(privateTeams.filter((teamId) => !lab?.grantedByTeamIds.includes(teamId))).toHaveLength(
      1,
    );
  });

  it("has a component with every awkward file name, including an empty file", () => {
    const [component] = componentsOf(catalog, "OpenShift-4.16", "file-names");
    const names = component?.files.map((file) => file.name) ?? [];
    expect(names).toEqual(expect.arrayContaining([...AWKWARD_FILE_NAMES]));
    const empty = component?.files.find((file) => file.name === "empty.txt");
    expect(empty?.content).toEqual({ kind: "text", text: "" });
  });
});

describe("buildComponent", () => {
  it("derives ids and directories from simple file specs", () => {
    const component = buildComponent({
      seed: "s",
      topicId: "t",
      name: "custom-1",
      type: "custom",
      createdAt: "2024-01-01T00:00:00.000001",
      files: [textFile("a/b/c.txt", "hi"), randomFile("top.bin", "key", 10)],
      symlinks: [{ path: "a/link", destination: "b/c.txt" }],
    });
    expect(component.id).toMatch(UUID);
    expect(component.files[0]).toMatchObject({ path: "a/b", name: "c.txt" });
    expect(component.directories).toEqual([
      { path: "", name: "a" },
      { path: "a", name: "b" },
    ]);
    expect(component.symlinks).toEqual([{ path: "a", name: "link", destination: "b/c.txt" }]);
  });
});
