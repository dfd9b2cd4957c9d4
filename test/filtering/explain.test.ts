import { describe, expect, it } from "vitest";
import { compileFilter, DEFAULT_FILTER_SPEC } from "../../src/filtering/compile.js";
import { explainPath } from "../../src/filtering/explain.js";
import type { FilterSpec, RemoteFile, RemoteSymlink } from "../../src/model.js";

const SPEC: FilterSpec = DEFAULT_FILTER_SPEC;

const SHA = "ab".repeat(32);

function file(path: string, sizeBytes = 10): RemoteFile {
  return { path, sizeBytes, sha256: SHA };
}

function link(path: string, target: string, resolvedTarget: string): RemoteSymlink {
  return { path, target, resolvedTarget };
}

const INPUT = {
  files: [
    file("COMPOSE_ID", 22),
    file("BaseOS/x86_64/os/Packages/kernel.rpm"),
    file("BaseOS/x86_64/os/repodata/repomd.xml"),
    file("BaseOS/x86_64/iso/RHEL-boot.iso"),
    file("BaseOS/s390x/os/Packages/kernel.rpm"),
  ],
  symlinks: [
    link("BaseOS/x86_64/iso/boot.iso", "RHEL-boot.iso", "BaseOS/x86_64/iso/RHEL-boot.iso"),
    link("latest", "BaseOS/x86_64/os", "BaseOS/x86_64/os"),
    link("kernel", "latest/Packages/kernel.rpm", "latest/Packages/kernel.rpm"),
    link("gone", "missing/file", "missing/file"),
  ],
};

const filter = compileFilter(SPEC, "compose");

function explain(path: string): string {
  return explainPath(path, INPUT, filter, "RHEL-9.4.0-20240419.5");
}

describe("explainPath", () => {
  it("explains a kept file with its size, sha256 and rule", () => {
    expect(explain("COMPOSE_ID")).toBe(
      [
        "COMPOSE_ID (component RHEL-9.4.0-20240419.5)",
        `  in the files list: file of 22 bytes, sha256 ${SHA}`,
        "  decision: kept: root files are always kept [rule root-file]",
      ].join("\n"),
    );
  });

  it.each([
    ["BaseOS/x86_64/iso/RHEL-boot.iso", "ISO images are off (add --iso)"],
    ["BaseOS/s390x/os/Packages/kernel.rpm", "arch s390x is not selected (--arch x86_64)"],
  ])("explains why the dropped file %s is dropped", (path, reasonPart) => {
    expect(explain(path)).toContain(`  decision: dropped: `);
    expect(explain(path)).toContain(reasonPart);
  });

  it("explains a symlink whose target is dropped", () => {
    expect(explain("BaseOS/x86_64/iso/boot.iso")).toBe(
      [
        "BaseOS/x86_64/iso/boot.iso (component RHEL-9.4.0-20240419.5)",
        "  in the files list: symlink to RHEL-boot.iso",
        "  own path: dropped: ISO images are off (add --iso) [rule not-selected]",
        "  target: file BaseOS/x86_64/iso/RHEL-boot.iso, dropped: ISO images are off (add --iso)",
        "  decision: dropped: ISO images are off (add --iso)",
      ].join("\n"),
    );
  });

  it.each([
    ["latest", "  target: folder BaseOS/x86_64/os, 2 of 2 files under it kept"],
    [
      "kernel",
      "  target: latest/Packages/kernel.rpm, through the symlink latest (followed to decide)",
    ],
    ["gone", "  target: missing/file, not in the files list (the link would dangle)"],
  ])("explains the symlink %s and its target", (path, targetLine) => {
    const lines = explain(path).split("\n");
    expect(lines).toContain(targetLine);
    expect(lines.at(-1)).toMatch(/^ {2}decision: /);
  });

  it.each([["latest"], ["kernel"]])(
    "says the symlink %s is kept when it and its target are",
    (path) => {
      expect(explain(path)).toContain("  decision: kept: the symlink and its target are kept");
    },
  );

  it("says a kept symlink is dropped when its target is dropped", () => {
    const input = { files: INPUT.files, symlinks: [link("s", "BaseOS/s390x", "BaseOS/s390x")] };
    const text = explainPath("s", input, filter, "c");
    expect(text).toContain("  own path: kept: root files are always kept [rule root-file]");
    expect(text).toContain("  decision: dropped: its target is not kept, so the link would dangle");
  });

  it("says a path is absent from the files list, and what the filter would do", () => {
    expect(explain("BaseOS/x86_64/debug/tree/x.rpm")).toBe(
      [
        "BaseOS/x86_64/debug/tree/x.rpm (component RHEL-9.4.0-20240419.5)",
        "  not in the files list of component RHEL-9.4.0-20240419.5",
        "  if it were: dropped: debug trees are off (add --debug) [rule not-selected]",
      ].join("\n"),
    );
  });

  it.each([
    ["BaseOS/x86_64", "3 files", "2 of 3"],
    ["./BaseOS/x86_64/", "3 files", "2 of 3"],
    ["", "5 files", "3 of 5"],
  ])("counts the kept files of the folder %j", (path, holding, kept) => {
    const text = explain(path);
    expect(text).toContain(`  in the files list: a folder holding ${holding}`);
    expect(text).toContain(`  decision: ${kept} files under it kept`);
  });

  it("leaves the component name out when it is not given", () => {
    expect(explainPath("nowhere/x", INPUT, filter).split("\n").slice(0, 2)).toEqual([
      "nowhere/x",
      "  not in the files list",
    ]);
  });

  it("ignores a leading ./ on a file path", () => {
    expect(explain("./COMPOSE_ID")).toContain("file of 22 bytes");
  });
});
