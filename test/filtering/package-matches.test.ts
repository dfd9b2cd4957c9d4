import { describe, expect, it } from "vitest";
import { DEFAULT_FILTER_SPEC } from "../../src/filtering/compile.js";
import { type PackageMatches, packageMatches } from "../../src/filtering/package-matches.js";
import type { FilterSpec, RemoteFile } from "../../src/model.js";

const file = (path: string): RemoteFile => ({ path, sizeBytes: 1, sha256: "0".repeat(64) });

const FILES = [
  "COMPOSE_ID",
  "metadata/rpms.json",
  "BaseOS/x86_64/os/Packages/kernel-5.14.0-427.el9.x86_64.rpm",
  "BaseOS/x86_64/os/Packages/glibc-2.34-100.el9.x86_64.rpm",
  "BaseOS/x86_64/os/repodata/repomd.xml",
  "BaseOS/aarch64/os/Packages/bash-5.1.8-9.el9.aarch64.rpm",
  "AppStream/x86_64/debug/tree/Packages/podman-debuginfo-4.9.4.x86_64.rpm",
].map(file);

describe("packageMatches", () => {
  it.each<[string, Partial<FilterSpec>, string, PackageMatches]>([
    ["no package filter", {}, "compose", { candidates: 0, unmatched: [] }],
    [
      "a filter that matches",
      { packages: ["kernel"] },
      "compose",
      { candidates: 3, unmatched: [] },
    ],
    [
      "a regex-looking filter, matched literally",
      { packages: ["kernel-[0-9]"] },
      "compose",
      { candidates: 3, unmatched: ["kernel-[0-9]"] },
    ],
    [
      "one of two filters",
      { packages: ["glibc", "kernal"] },
      "compose",
      { candidates: 3, unmatched: ["kernal"] },
    ],
    [
      "a package of an arch that is not selected",
      { packages: ["bash"] },
      "compose",
      { candidates: 3, unmatched: ["bash"] },
    ],
    [
      "a package of a debug tree, with --debug",
      { packages: ["podman"], withDebug: true },
      "compose",
      { candidates: 4, unmatched: [] },
    ],
    [
      "the topic or variant name is not a package",
      { packages: ["BaseOS"] },
      "compose",
      { candidates: 3, unmatched: ["BaseOS"] },
    ],
    ["--all", { packages: ["nothing"], all: true }, "compose", { candidates: 0, unmatched: [] }],
    [
      "a type the rules do not filter",
      { packages: ["x"] },
      "ocp",
      { candidates: 0, unmatched: [] },
    ],
  ])("%s", (_label, overrides, type, expected) => {
    expect(packageMatches({ ...DEFAULT_FILTER_SPEC, ...overrides }, type, FILES)).toEqual(expected);
  });
});
