import { describe, expect, it } from "vitest";
import { applyFilter } from "../../src/filtering/apply.js";
import { compileFilter, DEFAULT_FILTER_SPEC } from "../../src/filtering/compile.js";
import type { FilterSpec, RemoteFile, RemoteSymlink } from "../../src/model.js";

const SPEC: FilterSpec = DEFAULT_FILTER_SPEC;

function file(path: string): RemoteFile {
  return { path, sizeBytes: 1, sha256: "0".repeat(64) };
}

function link(path: string, resolvedTarget: string): RemoteSymlink {
  return { path, target: `(as listed for ${resolvedTarget})`, resolvedTarget };
}

const FILES = [
  file("metadata/rpms.json"),
  file("COMPOSE_ID"),
  file("BaseOS/x86_64/os/Packages/kernel.rpm"),
  file("BaseOS/x86_64/iso/RHEL-boot.iso"),
  file("BaseOS/x86_64/debug/tree/Packages/kernel-debuginfo.rpm"),
  file("BaseOS/s390x/os/Packages/kernel.rpm"),
];

const compose = compileFilter(SPEC, "compose");

function keptLinks(symlinks: RemoteSymlink[], spec: FilterSpec = SPEC, type = "compose") {
  const result = applyFilter({ files: FILES, symlinks }, compileFilter(spec, type));
  return result.symlinks.map((entry) => entry.path);
}

describe("applyFilter: files", () => {
  it("keeps the selected files sorted by path and counts the rest", () => {
    const result = applyFilter({ files: FILES, symlinks: [] }, compose);
    expect(result.files.map((entry) => entry.path)).toEqual([
      "BaseOS/x86_64/os/Packages/kernel.rpm",
      "COMPOSE_ID",
      "metadata/rpms.json",
    ]);
    expect(result.droppedCount).toBe(3);
  });

  it("keeps everything of a non-compose component, sorted by code unit", () => {
    const files = [file("b"), file("B"), file("a/é"), file("a/z")];
    const result = applyFilter({ files, symlinks: [] }, compileFilter(SPEC, "ocp"));
    expect(result.files.map((entry) => entry.path)).toEqual(["B", "a/z", "a/é", "b"]);
    expect(result.droppedCount).toBe(0);
  });

  it("returns new arrays and leaves its input alone", () => {
    const input = { files: [file("b"), file("a")], symlinks: [] };
    applyFilter(input, compose);
    expect(input.files.map((entry) => entry.path)).toEqual(["b", "a"]);
  });
});

describe("applyFilter: symlinks", () => {
  const iso = { ...SPEC, variants: [{ name: "BaseOS", withDebug: false, withIso: true }] };
  const bootIso = link("BaseOS/x86_64/iso/boot.iso", "BaseOS/x86_64/iso/RHEL-boot.iso");

  it.each<[string, RemoteSymlink[], string[]]>([
    ["a link to a kept file", [link("kernel", "BaseOS/x86_64/os/Packages/kernel.rpm")], ["kernel"]],
    ["a link to a dropped file", [link("k", "BaseOS/s390x/os/Packages/kernel.rpm")], []],
    ["a link to a folder with a kept file", [link("latest", "BaseOS/x86_64/os")], ["latest"]],
    ["a link to a folder with a kept file deeper", [link("latest", "BaseOS")], ["latest"]],
    ["a link to a folder of dropped files only", [link("s", "BaseOS/s390x")], []],
    ["a link whose own path is dropped", [link("BaseOS/s390x/os/k", "COMPOSE_ID")], []],
    ["a dropped ISO's link", [bootIso], []],
    [
      "a chain to a kept file",
      [link("a", "b"), link("b", "BaseOS/x86_64/os/Packages/kernel.rpm")],
      ["a", "b"],
    ],
    [
      "a chain through a dropped link",
      [link("a", "BaseOS/s390x/os/l"), link("BaseOS/s390x/os/l", "COMPOSE_ID")],
      [],
    ],
    ["a loop", [link("a", "b"), link("b", "a")], []],
    ["a link through a linked folder", [link("d", "BaseOS/x86_64"), link("k", "d/os")], ["d", "k"]],
    ["a dangling link where the filter keeps", [link("a", "metadata/missing.json")], ["a"]],
    ["a dangling link where the filter drops", [link("a", "BaseOS/s390x/os/x")], []],
  ])("decides %s", (_what, symlinks, expected) => {
    expect(keptLinks(symlinks)).toEqual(expected);
  });

  it("keeps an ISO's link once the variant asks for ISO images", () => {
    expect(keptLinks([bootIso], iso)).toEqual(["BaseOS/x86_64/iso/boot.iso"]);
  });

  it("drops a link that --exclude matches even when its target is kept", () => {
    const spec = { ...SPEC, exclude: ["latest"] };
    expect(keptLinks([link("latest", "COMPOSE_ID")], spec)).toEqual([]);
  });

  it("keeps every link of a non-compose component whose target is listed", () => {
    const symlinks = [link("s", "BaseOS/s390x"), link("i", "BaseOS/x86_64/iso/RHEL-boot.iso")];
    expect(keptLinks(symlinks, SPEC, "ocp")).toEqual(["i", "s"]);
  });

  it("gives up on a chain longer than forty links", () => {
    const chain = Array.from({ length: 45 }, (_, index) => link(`l${index}`, `l${index + 1}`));
    const symlinks = [...chain, link("l45", "COMPOSE_ID")];
    const kept = keptLinks(symlinks, SPEC, "ocp");
    expect(kept).toContain("l45");
    expect(kept).toContain("l10");
    expect(kept).not.toContain("l0");
  });

  it("sorts symlinks by path and counts the dropped ones", () => {
    const symlinks = [link("z", "COMPOSE_ID"), link("a", "COMPOSE_ID"), link("x", "nowhere/x")];
    const result = applyFilter({ files: FILES, symlinks }, compose);
    expect(result.symlinks.map((entry) => entry.path)).toEqual(["a", "z"]);
    expect(result.droppedCount).toBe(3 + 1);
  });
});
