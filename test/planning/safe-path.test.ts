import { describe, expect, it } from "vitest";
import { EXIT_CODES, IntegrityError, UnsafePathError } from "../../src/errors.js";
import type { FilesList, FilesListFile, FilesListSymlink } from "../../src/model.js";
import { validateFilesList, validateRelativePath } from "../../src/planning/safe-path.js";

const SHA = "a".repeat(64);

function file(path: string, name: string, sizeBytes = 1, sha256 = SHA): FilesListFile {
  return { path, name, sizeBytes, sha256 };
}

function link(path: string, name: string, destination: string): FilesListSymlink {
  return { path, name, destination };
}

function list(files: FilesListFile[], symlinks: FilesListSymlink[] = []): FilesList {
  return { files, symlinks, directories: [] };
}

/** The UnsafePathError a list raises, or undefined when it passes. */
function refusal(filesList: FilesList): UnsafePathError | undefined {
  try {
    validateFilesList(filesList, "RHEL-9.4.0-20240419.5");
    return undefined;
  } catch (error) {
    if (error instanceof UnsafePathError) return error;
    throw error;
  }
}

describe("validateRelativePath", () => {
  it.each([
    ["COMPOSE_ID"],
    [".composeinfo"],
    [".treeinfo"],
    ["BaseOS/x86_64/os/Packages/passt-0^20240624.rpm"],
    ["a\\b.txt"],
    ["dir/.dci-mirror"],
    ["dci-mirror/file"],
    ["..hidden"],
    ["..."],
    ["café-ñ/日本.txt"],
    ["emoji-😀.txt"],
  ])("accepts %j", (path) => {
    expect(validateRelativePath(path)).toBeUndefined();
  });

  it.each([
    ["", "empty"],
    ["/etc/passwd", "absolute"],
    ["../escape", "'..' segment"],
    ["a/../../b", "'..' segment"],
    ["a/..", "'..' segment"],
    ["./a", "'.' segment"],
    ["a/./b", "'.' segment"],
    ["a//b", "empty segment"],
    ["a/", "empty segment"],
    ["a\u0000b", "NUL"],
    ["a\nb", "U+000A"],
    ["a\tb", "U+0009"],
    ["a\u001fb", "U+001F"],
    ["a\u007fb", "U+007F"],
    ["a\u009bb", "U+009B"],
    ["a\ud800b", "unpaired UTF-16 surrogate"],
    ["a\udc00", "unpaired UTF-16 surrogate"],
    [".dci-mirror/state.json", "reserved"],
    [".dci-mirror", "reserved"],
    [".dci-mirror-partials/x", "reserved"],
    [".DCI-Mirror/state.json", "reserved"],
  ])("refuses %j (%s)", (path, reasonPart) => {
    expect(validateRelativePath(path)).toContain(reasonPart);
  });
});

describe("validateFilesList: files", () => {
  it.each([
    ["", "a;b.txt"],
    ["", "hash#tag.txt"],
    ["", "what?.txt"],
    ["", "100%41.txt"],
    ["", "with space.txt"],
    ["", "plus+sign.txt"],
    ["", "café-ñ.txt"],
    ["BaseOS/x86_64/os/Packages", "passt-0^20240624.rpm"],
    ["", ".composeinfo"],
    ["", ".treeinfo"],
    ["odd dir/sub;dir", "back\\slash.txt"],
  ])("passes %j / %j through untouched", (path, name) => {
    const result = validateFilesList(list([file(path, name, 0)]), "c");
    const expected = path === "" ? name : `${path}/${name}`;
    expect(result.files).toEqual([{ path: expected, sizeBytes: 0, sha256: SHA }]);
  });

  it("keeps the list order and lower-cases an upper-case sha256", () => {
    const result = validateFilesList(
      list([file("b", "2", 5, "A".repeat(64)), file("", "a", 7)]),
      "c",
    );
    expect(result.files).toEqual([
      { path: "b/2", sizeBytes: 5, sha256: SHA },
      { path: "a", sizeBytes: 7, sha256: SHA },
    ]);
  });

  it.each([
    ["an absolute path", file("/etc", "passwd"), "/etc/passwd", "absolute"],
    ["a '..' path", file("../..", "x"), "../../x", "'..'"],
    ["a '..' name", file("a", ".."), "a/..", "'..'"],
    ["a '.' name", file("a", "."), "a/.", "'.'"],
    ["a trailing '/' in path", file("a/", "x"), "a//x", "empty segment"],
    ["an empty name", file("a", ""), "a/", "name is empty"],
    ["an empty name at the root", file("", ""), "", "name is empty"],
    ["a '/' in the name", file("a", "b/c"), "a/b/c", "contains '/'"],
    ["a NUL in the name", file("", "a\u0000.txt"), "a\u0000.txt", "NUL"],
    ["a newline in the path", file("a\nb", "x"), "a\nb/x", "U+000A"],
    [
      "the reserved folder",
      file(".dci-mirror", "state.json"),
      ".dci-mirror/state.json",
      "reserved",
    ],
    ["a reserved root name", file("", ".dci-mirror.lock"), ".dci-mirror.lock", "reserved"],
    ["a negative size", file("", "x", -1), "x", "size -1"],
    ["a fractional size", file("", "x", 1.5), "x", "size 1.5"],
    ["an infinite size", file("", "x", Number.POSITIVE_INFINITY), "x", "size Infinity"],
    ["a sha256 that is a path", file("", "x", 1, "../".repeat(21)), "x", "sha256"],
    ["a short sha256", file("", "x", 1, "abc"), "x", "sha256"],
  ])("refuses a file with %s", (_what, entry, quoted, reasonPart) => {
    const error = refusal(list([entry]));
    expect(error?.message).toContain(`Unsafe entry ${JSON.stringify(quoted)}`);
    expect(error?.reason).toContain(reasonPart);
  });

  it.each([
    ["a file listed twice", [file("a", "b"), file("a", "b")], [], "a/b", "listed twice"],
    [
      "a file and a symlink",
      [file("a", "b")],
      [link("a", "b", "c")],
      "a/b",
      "as a file and as a symlink",
    ],
    ["two symlinks", [], [link("", "l", "a"), link("", "l", "b")], "l", "listed twice"],
    ["a file used as a folder", [file("", "a"), file("a", "b")], [], "a", "folder of a/b"],
    [
      "a deeper file used as a folder",
      [file("a/b/c", "d"), file("a", "b")],
      [],
      "a/b",
      "folder of a/b/c/d",
    ],
    [
      "a symlink used as a folder",
      [file("lnk", "x")],
      [link("", "lnk", "a")],
      "lnk",
      "folder of lnk/x",
    ],
    [
      "a file under a symlink's folder",
      [file("", "f")],
      [link("f", "l", "../g")],
      "f",
      "folder of f/l",
    ],
  ])("refuses %s", (_what, files, symlinks, entry, reasonPart) => {
    const error = refusal(list(files, symlinks));
    expect(error?.entry).toBe(entry);
    expect(error?.reason).toContain(reasonPart);
  });

  it("accepts files sharing folders and names that only share a prefix", () => {
    const files = [file("a", "b"), file("a", "c"), file("", "ab"), file("a-b", "c")];
    expect(validateFilesList(list(files), "c").files).toHaveLength(4);
  });
});

describe("validateFilesList: symlinks", () => {
  it.each([
    [
      "BaseOS/x86_64/iso",
      "boot.iso",
      "RHEL-x86_64-boot.iso",
      "BaseOS/x86_64/iso/RHEL-x86_64-boot.iso",
    ],
    ["", "latest", "BaseOS/x86_64/os", "BaseOS/x86_64/os"],
    ["a/b", "l", "../c/d", "a/c/d"],
    ["a/b", "l", "../../c", "c"],
    ["a/b", "l", "./x/./y", "a/b/x/y"],
    ["a/b", "l", "x//y/", "a/b/x/y"],
    ["a/b", "l", "x/../y", "a/b/y"],
    ["a", "l", "..", undefined],
    ["", "l", "with space;odd#name?.txt", "with space;odd#name?.txt"],
    ["a", "l", "..\\x", "a/..\\x"],
  ])("resolves %j / %j -> %j to %j", (path, name, destination, resolvedTarget) => {
    const filesList = list([], [link(path, name, destination)]);
    if (resolvedTarget === undefined) {
      expect(refusal(filesList)?.reason).toContain("component folder itself");
      return;
    }
    const linkPath = path === "" ? name : `${path}/${name}`;
    expect(validateFilesList(filesList, "c").symlinks).toEqual([
      { path: linkPath, target: destination, resolvedTarget },
    ]);
  });

  it.each([
    ["an empty target", link("", "l", ""), "target is empty"],
    ["an absolute target", link("", "l", "/etc/passwd"), "target is an absolute path"],
    ["a target escaping the root", link("", "l", "../outside"), "escapes"],
    ["a deep target escaping the root", link("a/b", "l", "../../../x"), "escapes"],
    ["a target escaping then re-entering", link("a", "l", "../../a/x"), "escapes"],
    ["a target that is the root", link("a/b", "l", "../.."), "component folder itself"],
    ["a target of '.' at the root", link("", "l", "."), "component folder itself"],
    ["a target that is the link itself", link("a", "l", "l"), "the link itself"],
    ["a target that is the link's folder", link("a/b", "l", "."), "holds the link"],
    ["a target that is an ancestor", link("a/b", "l", ".."), "holds the link"],
    ["a NUL in the target", link("", "l", "a\u0000b"), "NUL"],
    ["a control character in the target", link("", "l", "a\u001bb"), "U+001B"],
    ["a target in the reserved folder", link("", "l", ".dci-mirror/state.json"), "reserved"],
    ["an unsafe link name", link("", "..", "x"), "'..'"],
    ["an absolute link path", link("/tmp", "l", "x"), "absolute"],
  ])("refuses a symlink with %s", (_what, entry, reasonPart) => {
    expect(refusal(list([], [entry]))?.reason).toContain(reasonPart);
  });

  it("refuses a target that climbs out of another listed symlink with '..'", () => {
    // On disk `up/..` is the parent of where `up` points (`a/d/..` = `a`), not `a/b/c`.
    const climbing = [link("a/b/c", "up", "../../d"), link("a/b/c", "l", "up/../x")];
    expect(refusal(list([], climbing))?.reason).toContain("climbs out of the symlink a/b/c/up");
  });

  it("accepts a target that goes down through another listed symlink", () => {
    const through = [link("a/b/c", "up", "../../d"), link("a/b/c", "l", "up/x")];
    expect(validateFilesList(list([], through), "c").symlinks[1]?.resolvedTarget).toBe(
      "a/b/c/up/x",
    );
  });

  it("keeps symlinks in list order with the target as listed", () => {
    const result = validateFilesList(
      list([file("d", "f")], [link("", "z", "d/f"), link("", "a", "./d")]),
      "c",
    );
    expect(
      result.symlinks.map((entry) => [entry.path, entry.target, entry.resolvedTarget]),
    ).toEqual([
      ["z", "d/f", "d/f"],
      ["a", "./d", "d"],
    ]);
  });
});

describe("UnsafePathError", () => {
  it("is an IntegrityError with a stable code, exit code 6 and a hint naming the component", () => {
    const error = refusal(list([file("..", "x")]));
    expect(error).toBeInstanceOf(IntegrityError);
    expect(error?.name).toBe("UnsafePathError");
    expect(error?.code).toBe("UNSAFE_PATH");
    expect(error?.exitCode).toBe(EXIT_CODES.integrity);
    expect(error?.message).toBe(
      "Unsafe entry \"../x\" in the files list of component RHEL-9.4.0-20240419.5: it has a '..' segment.",
    );
    expect(error?.hint).toBe(
      "The files list of component RHEL-9.4.0-20240419.5 holds an unsafe entry; nothing was written. Report it to your Red Hat contact.",
    );
  });

  it("quotes control characters in the message instead of printing them raw", () => {
    const error = refusal(list([file("", "a\u001b[2Jb")]));
    expect(error?.message).toContain('"a\\u001b[2Jb"');
    expect(error?.message).not.toContain("\u001b");
  });
});

describe("validateFilesList: names too long for the file system", () => {
  it("refuses a path component longer than 255 bytes, naming the entry", () => {
    const longName = `${"é".repeat(128)}.txt`; // 128 two-byte characters: 260 bytes, 132 characters
    const error = refusal(list([file("", "ok.txt"), file("dir", longName)]));
    expect(error?.entry).toBe(`dir/${longName}`);
    expect(error?.reason).toMatch(/has a 260-byte name, .* at most 255 bytes/);
  });

  it("refuses a long folder component too, and accepts exactly 255 bytes", () => {
    expect(refusal(list([file("a".repeat(256), "f")]))?.reason).toMatch(/256-byte name/);
    expect(refusal(list([file("a".repeat(255), "b".repeat(255))]))).toBeUndefined();
  });

  it("refuses a path that would exceed 4096 bytes under the destination folder", () => {
    const deep = Array.from({ length: 20 }, () => "d".repeat(200)).join("/"); // 4019 bytes
    const filesList = list([file(deep, "file.bin")]);
    expect(() => validateFilesList(filesList, "c", { rootPathBytes: 10 })).not.toThrow();
    let refused: unknown;
    try {
      validateFilesList(filesList, "c", { rootPathBytes: 100 });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(UnsafePathError);
    expect(refused).toMatchObject({
      exitCode: EXIT_CODES.integrity,
      entry: `${deep}/file.bin`,
      reason: expect.stringMatching(
        /4129 bytes long, more than the longest path the system allows \(4095 bytes\)/,
      ),
    });
  });

  it("refuses a symlink whose name is longer than 255 bytes", () => {
    const error = refusal(list([file("", "t")], [link("", "l".repeat(300), "t")]));
    expect(error?.reason).toMatch(/300-byte name/);
  });
});
