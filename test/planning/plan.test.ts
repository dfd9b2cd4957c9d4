import { describe, expect, it } from "vitest";
import type { LocalEntry, PartialFile, RemoteFile, VerifiedRecord } from "../../src/model.js";
import { type PlanInput, planMirror } from "../../src/planning/plan.js";

const A = "a".repeat(64);
const B = "b".repeat(64);
const file = (path: string, sizeBytes = 10, sha256 = A): RemoteFile => ({
  path,
  sizeBytes,
  sha256,
});
const local = (path: string, sizeBytes = 10, extra: Partial<LocalEntry> = {}): LocalEntry => ({
  path,
  kind: "file",
  sizeBytes,
  mtimeMs: 1000,
  ino: 7,
  ...extra,
});
const record = (files: VerifiedRecord["files"]): VerifiedRecord => ({
  schema: "dci-mirror/state/1",
  componentId: "c",
  componentName: "C",
  files,
});

function plan(input: Partial<PlanInput>) {
  return planMirror({
    files: [],
    symlinks: [],
    local: [],
    record: undefined,
    partials: [],
    verifyAll: false,
    keepPaths: [],
    ...input,
  });
}

describe("planMirror", () => {
  it.each<[string, Partial<PlanInput>, string]>([
    ["a missing file is fetched", { files: [file("x")] }, "fetch"],
    ["a file of another size is fetched", { files: [file("x")], local: [local("x", 9)] }, "fetch"],
    [
      "a same-size file unknown to the record is checked by hash",
      { files: [file("x")], local: [local("x")] },
      "check",
    ],
    [
      "a file the record vouches for is skipped without reading it",
      {
        files: [file("x")],
        local: [local("x")],
        record: record({ x: { sizeBytes: 10, mtimeMs: 1000, ino: 7, sha256: A } }),
      },
      "skip",
    ],
    [
      "a file touched since it was verified (mtime) is checked",
      {
        files: [file("x")],
        local: [local("x", 10, { mtimeMs: 2000 })],
        record: record({ x: { sizeBytes: 10, mtimeMs: 1000, ino: 7, sha256: A } }),
      },
      "check",
    ],
    [
      "a file replaced since it was verified (inode) is checked",
      {
        files: [file("x")],
        local: [local("x", 10, { ino: 8 })],
        record: record({ x: { sizeBytes: 10, mtimeMs: 1000, ino: 7, sha256: A } }),
      },
      "check",
    ],
    [
      "a file whose expected sha256 changed is checked even if the record vouched for the old one",
      {
        files: [file("x", 10, B)],
        local: [local("x")],
        record: record({ x: { sizeBytes: 10, mtimeMs: 1000, ino: 7, sha256: A } }),
      },
      "check",
    ],
    [
      "--verify checks a file the record vouches for",
      {
        files: [file("x")],
        local: [local("x")],
        record: record({ x: { sizeBytes: 10, mtimeMs: 1000, ino: 7, sha256: A } }),
        verifyAll: true,
      },
      "check",
    ],
    [
      "a partial of the same path and sha256 is resumed",
      { files: [file("x")], partials: [{ path: "x", sha256: A, heldBytes: 4 }] },
      "resume",
    ],
    [
      "a partial of another sha256 (a new compose, same name and size) is never resumed",
      { files: [file("x", 10, B)], partials: [{ path: "x", sha256: A, heldBytes: 4 }] },
      "fetch",
    ],
    [
      "a partial longer than the file is not resumed",
      { files: [file("x")], partials: [{ path: "x", sha256: A, heldBytes: 11 }] },
      "fetch",
    ],
    [
      "a directory standing where a file belongs is replaced by a fetch",
      { files: [file("x")], local: [local("x", 0, { kind: "directory" })] },
      "fetch",
    ],
  ])("%s", (_label, input, kind) => {
    expect(plan(input).actions.map((action) => action.kind)).toEqual([kind]);
  });

  it("counts the bytes still to fetch: whole fetches plus the missing part of resumes", () => {
    const partials: PartialFile[] = [{ path: "b", sha256: A, heldBytes: 30 }];
    const result = plan({
      files: [file("a", 100), file("b", 100), file("c", 100)],
      local: [local("c", 100)],
      partials,
    });
    expect(result.bytesToFetch).toBe(100 + 70);
  });

  it("prunes local files and symlinks that are not listed, but never directories or kept paths", () => {
    const result = plan({
      files: [file("keep")],
      local: [
        local("keep"),
        local("old"),
        local("dir", 0, { kind: "directory" }),
        local("images_list.yaml"),
        local("ln", 0, { kind: "symlink", linkTarget: "keep" }),
      ],
      keepPaths: ["images_list.yaml"],
    });
    expect(
      result.actions
        .filter((action) => action.kind === "prune")
        .map((action) => (action.kind === "prune" ? action.path : "")),
    ).toEqual(["ln", "old"]);
  });

  it("links a symlink that is missing or points elsewhere, and leaves a correct one alone", () => {
    const links = [
      { path: "a", target: "x", resolvedTarget: "x" },
      { path: "b", target: "x", resolvedTarget: "x" },
      { path: "c", target: "x", resolvedTarget: "x" },
    ];
    const result = plan({
      files: [file("x")],
      symlinks: links,
      local: [
        local("b", 0, { kind: "symlink", linkTarget: "y" }),
        local("c", 0, { kind: "symlink", linkTarget: "x" }),
      ],
    });
    expect(
      result.actions
        .filter((action) => action.kind === "link")
        .map((action) => (action.kind === "link" ? action.link.path : "")),
    ).toEqual(["a", "b"]);
  });

  it("sorts actions by path so the same input always gives the same plan", () => {
    const files = [file("z"), file("a/b"), file("m")];
    const first = plan({ files }).actions.map((action) =>
      action.kind === "fetch" ? action.file.path : "",
    );
    const second = plan({ files: [...files].reverse() }).actions.map((action) =>
      action.kind === "fetch" ? action.file.path : "",
    );
    expect(first).toEqual(["a/b", "m", "z"]);
    expect(second).toEqual(first);
  });
});
