import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import {
  compileFilter,
  DEFAULT_FILTER_SPEC,
  type FilterRule,
} from "../../src/filtering/compile.js";
import type { FilterSpec, VariantSpec } from "../../src/model.js";

/** dci-downloader's defaults: arch x86_64, every variant, nothing else. */
const DEFAULTS: FilterSpec = DEFAULT_FILTER_SPEC;

function spec(overrides: Partial<FilterSpec> = {}): FilterSpec {
  return { ...DEFAULTS, ...overrides };
}

function variant(name: string, options: Partial<VariantSpec> = {}): VariantSpec {
  return { name, withDebug: false, withIso: false, ...options };
}

const OS_RPM = "AppStream/x86_64/os/Packages/foo.rpm";
const DEBUG_RPM = "AppStream/x86_64/debug/tree/Packages/foo-debuginfo.rpm";
const BOOT_ISO = "BaseOS/x86_64/iso/boot.iso";
const S390X_RPM = "AppStream/s390x/os/Packages/foo.rpm";
const SRC_RPM = "BaseOS/source/tree/Packages/foo.src.rpm";

describe("compileFilter: dci-downloader's compose filter rules", () => {
  it.each<[string, Partial<FilterSpec>, boolean, FilterRule]>([
    [".composeinfo", {}, true, "root-file"],
    ["metadata/rpms.json", {}, true, "metadata"],
    [OS_RPM, {}, true, "variant"],
    [DEBUG_RPM, {}, false, "not-selected"],
    [DEBUG_RPM, { withDebug: true }, true, "variant"],
    [BOOT_ISO, {}, false, "not-selected"],
    [BOOT_ISO, { variants: [variant("BaseOS", { withIso: true })] }, true, "variant"],
    [S390X_RPM, {}, false, "not-selected"],
    [SRC_RPM, {}, false, "not-selected"],
    [SRC_RPM, { withSource: true }, true, "source-tree"],
  ])("%s with %j: kept %s by rule %s", (path, overrides, kept, rule) => {
    const decision = compileFilter(spec(overrides), "compose").explain(path);
    expect(decision).toMatchObject({ kept, rule });
    expect(compileFilter(spec(overrides), "compose").keep(path)).toBe(kept);
  });
});

describe("compileFilter: compose rules", () => {
  const kernel = { packages: ["kernel"] };
  const baseOs = { variants: [variant("BaseOS")] };
  it.each<[string, Partial<FilterSpec>, string, boolean]>([
    ["keeps root files under a package filter", kernel, "COMPOSE_ID", true],
    ["keeps metadata under a package filter", kernel, "metadata/composeinfo.json", true],
    [
      "drops repodata under a package filter",
      kernel,
      "BaseOS/x86_64/os/repodata/repomd.xml",
      false,
    ],
    ["keeps a matching package", kernel, "BaseOS/x86_64/os/Packages/kernel-5.14.rpm", true],
    ["drops another package", kernel, "BaseOS/x86_64/os/Packages/bash-5.1.rpm", false],
    ["matches packages anywhere after the tree", kernel, "BaseOS/x86_64/os/kernel/x", true],
    ["tries every package filter", { packages: ["zsh", "bash"] }, "A/x86_64/os/P/bash.rpm", true],
    ["keeps metadata-anything", {}, "metadata-anything/x.json", true],
    ["keeps a root file named metadata", {}, "metadata", true],
    ["keeps a root file even with a glob-like name", {}, "what?.txt", true],
    ["needs metadata at the start", {}, "BaseOS/metadata/x", false],
    [
      "keeps source trees of every variant",
      { withSource: true, ...baseOs },
      "AppStream/source/tree/P/a.src.rpm",
      true,
    ],
    ["keeps source trees however deep", { withSource: true }, "a/b/source/tree/x", true],
    ["drops other variants when one is given", baseOs, OS_RPM, false],
    ["keeps the given variant", baseOs, "BaseOS/x86_64/os/Packages/a.rpm", true],
    ["needs the variant as a whole segment", baseOs, "BaseOSX/x86_64/os/a.rpm", false],
    [
      "keeps every given variant",
      { variants: [variant("BaseOS"), variant("AppStream")] },
      OS_RPM,
      true,
    ],
    ["keeps repeated arches", { arches: ["x86_64", "x86_64"] }, OS_RPM, true],
    ["keeps any of several arches", { arches: ["x86_64", "s390x"] }, S390X_RPM, true],
    ["keeps every arch when none is given", { arches: [] }, S390X_RPM, true],
    ["needs a file after os/", {}, "BaseOS/x86_64/os", false],
    ["needs os as a whole segment", {}, "BaseOS/x86_64/osx/a.rpm", false],
    ["keeps the catch-all variant across folders (as the reference)", {}, "a/b/x86_64/os/c", true],
    [
      "uses the variant's debug switch",
      { variants: [variant("AppStream", { withDebug: true })] },
      DEBUG_RPM,
      true,
    ],
    [
      "ignores the topic debug switch when variants are given",
      { withDebug: true, variants: [variant("AppStream")] },
      DEBUG_RPM,
      false,
    ],
    [
      "keeps ISO only for the variant asking",
      { variants: [variant("BaseOS", { withIso: true }), variant("AppStream")] },
      "AppStream/x86_64/iso/a.iso",
      false,
    ],
    ["keeps no ISO without variants, even with debug", { withDebug: true }, BOOT_ISO, false],
    [
      "keeps ISO of every variant with withIso",
      { withIso: true },
      "AppStream/x86_64/iso/a.iso",
      true,
    ],
    ["keeps no debug tree with withIso alone", { withIso: true }, DEBUG_RPM, false],
    [
      "keeps no ISO of another arch with withIso",
      { withIso: true },
      "BaseOS/s390x/iso/a.iso",
      false,
    ],
    [
      "ignores the topic ISO switch when variants are given",
      { withIso: true, variants: [variant("BaseOS")] },
      BOOT_ISO,
      false,
    ],
    [
      "drops debug trees of a variant asking only ISO",
      { variants: [variant("AppStream", { withIso: true })] },
      DEBUG_RPM,
      false,
    ],
    ["matches names case-sensitively", {}, "AppStream/X86_64/os/a.rpm", false],
  ])("%s (%j, %s)", (_behaviour, overrides, path, kept) => {
    expect(compileFilter(spec(overrides), "compose").keep(path)).toBe(kept);
  });
});

describe("compileFilter: names are literal, unlike dci-downloader's unescaped regexes", () => {
  const sap = { variants: [variant("Server-SAP.HANA")] };
  it.each<[string, Partial<FilterSpec>, string, boolean]>([
    ["keeps the named variant", sap, "Server-SAP.HANA/x86_64/os/a.rpm", true],
    [
      "does not read '.' in a variant as any character",
      sap,
      "Server-SAPxHANA/x86_64/os/a.rpm",
      false,
    ],
    [
      "keeps a package with '+' signs",
      { packages: ["gcc-c++"] },
      "AppStream/x86_64/os/Packages/gcc-c++-11.rpm",
      true,
    ],
    [
      "does not read '+' in a package as a repeat",
      { packages: ["gcc-c++"] },
      "AppStream/x86_64/os/Packages/gcc-cc-11.rpm",
      false,
    ],
    [
      "does not read '.' in a package as any character",
      { packages: ["kernel.rt"] },
      "A/x86_64/os/P/kernel-rt-5.rpm",
      false,
    ],
    [
      "keeps a package with a literal dot",
      { packages: ["kernel.rt"] },
      "A/x86_64/os/P/kernel.rt-5.rpm",
      true,
    ],
    [
      "does not read '|' in an arch as an alternative",
      { arches: ["x86_64|s390x"] },
      S390X_RPM,
      false,
    ],
    ["does not read a variant as a group", { variants: [variant("(A)")] }, "A/x86_64/os/a", false],
    [
      "keeps a variant named with brackets",
      { variants: [variant("[A]")] },
      "[A]/x86_64/os/a",
      true,
    ],
    [
      "does not read '*' in a variant as a repeat",
      { variants: [variant("B*")] },
      "BBB/x86_64/os/a",
      false,
    ],
    ["keeps a variant named with a star", { variants: [variant("B*")] }, "B*/x86_64/os/a", true],
  ])("%s (%j, %s)", (_behaviour, overrides, path, kept) => {
    expect(compileFilter(spec(overrides), "compose").keep(path)).toBe(kept);
  });
});

describe("compileFilter: component types", () => {
  it.each([
    ["compose", false],
    ["COMPOSE", false],
    [" Compose ", false],
    ["compose-noinstall", false],
    ["Compose-NoInstall", false],
    ["ocp", true],
    ["rpm", true],
    ["puddle_osp", true],
    ["composes", true],
  ])("type %j keeps an unselected arch: %s", (type, kept) => {
    expect(compileFilter(spec(), type).keep(S390X_RPM)).toBe(kept);
  });

  it.each([
    ["compose", "all"],
    ["ocp", "type-not-filtered"],
  ])("--all or a non-compose type %s keeps everything, with rule %s", (type, rule) => {
    const filter = compileFilter(spec({ all: type === "compose" }), type);
    for (const path of [S390X_RPM, DEBUG_RPM, BOOT_ISO, SRC_RPM, "x/y"]) {
      expect(filter.explain(path)).toMatchObject({ kept: true, rule });
    }
  });
});

describe("compileFilter: globs", () => {
  const iso = { variants: [variant("BaseOS", { withIso: true })] };
  it.each<[string, Partial<FilterSpec>, string, string, boolean, FilterRule]>([
    [
      "include drops root files outside it",
      { include: ["BaseOS/**"] },
      "compose",
      "COMPOSE_ID",
      false,
      "include",
    ],
    [
      "include keeps what it matches",
      { include: ["BaseOS/**"] },
      "compose",
      "BaseOS/x86_64/os/a",
      true,
      "variant",
    ],
    [
      "any include glob is enough",
      { include: ["x", "metadata/**"] },
      "compose",
      "metadata/a",
      true,
      "metadata",
    ],
    [
      "include never rescues a dropped path",
      { include: ["**"] },
      "compose",
      S390X_RPM,
      false,
      "not-selected",
    ],
    [
      "exclude drops a kept ISO",
      { ...iso, exclude: ["**/*.iso"] },
      "compose",
      BOOT_ISO,
      false,
      "exclude",
    ],
    [
      "exclude of *.iso does not reach into folders",
      { ...iso, exclude: ["*.iso"] },
      "compose",
      BOOT_ISO,
      true,
      "variant",
    ],
    [
      "exclude wins over include",
      { include: ["BaseOS/**"], exclude: ["**/repodata/**"] },
      "compose",
      "BaseOS/x86_64/os/repodata/repomd.xml",
      false,
      "exclude",
    ],
    [
      "include and exclude together keep the rest",
      { include: ["BaseOS/**"], exclude: ["**/repodata/**"] },
      "compose",
      "BaseOS/x86_64/os/Packages/a.rpm",
      true,
      "variant",
    ],
    ["stars match dot files", { exclude: ["*"] }, "compose", ".composeinfo", false, "exclude"],
    ["globs apply to non-compose types", { exclude: ["*.tar"] }, "ocp", "a.tar", false, "exclude"],
    [
      "include applies to non-compose types",
      { include: ["images/**"] },
      "ocp",
      "a.tar",
      false,
      "include",
    ],
    [
      "globs apply with --all",
      { all: true, exclude: ["**/debug/**"] },
      "compose",
      DEBUG_RPM,
      false,
      "exclude",
    ],
    [
      "a leading # is part of a name",
      { exclude: ["#notes.txt"] },
      "ocp",
      "#notes.txt",
      false,
      "exclude",
    ],
    [
      "a leading ./ is ignored",
      { include: ["./metadata/**"] },
      "compose",
      "metadata/a",
      true,
      "metadata",
    ],
    ["braces expand", { exclude: ["{a,b}.txt"] }, "ocp", "b.txt", false, "exclude"],
    [
      "odd names match literally",
      { exclude: ["100%41.txt"] },
      "ocp",
      "100%41.txt",
      false,
      "exclude",
    ],
  ])("%s", (_behaviour, overrides, type, path, kept, rule) => {
    const filter = compileFilter(spec(overrides), type);
    expect(filter.explain(path)).toMatchObject({ kept, rule });
    expect(filter.keep(path)).toBe(kept);
  });

  it.each([
    [{ include: [""] }, "--include"],
    [{ exclude: ["/BaseOS/**"] }, "--exclude"],
  ])("refuses a glob that can never match (%j)", (overrides, flag) => {
    expect(() => compileFilter(spec(overrides), "compose")).toThrow(UsageError);
    expect(() => compileFilter(spec(overrides), "compose")).toThrow(flag);
  });
});

describe("compileFilter: reasons name the flag that would change the decision", () => {
  it.each<[Partial<FilterSpec>, string, string]>([
    [{}, ".composeinfo", "kept: root files are always kept"],
    [{}, "metadata/rpms.json", "kept: metadata is always kept"],
    [{}, OS_RPM, "kept: AppStream/x86_64/os/ is selected"],
    [{}, DEBUG_RPM, "dropped: debug trees are off (add --debug)"],
    [{}, S390X_RPM, "dropped: arch s390x is not selected (--arch x86_64)"],
    [
      { arches: ["x86_64", "aarch64"] },
      S390X_RPM,
      "dropped: arch s390x is not selected (--arch x86_64 --arch aarch64)",
    ],
    [{}, SRC_RPM, "dropped: source trees are off (add --src)"],
    [{ withSource: true }, SRC_RPM, "kept: source trees are on (--src)"],
    [{}, BOOT_ISO, "dropped: ISO images are off (add --iso)"],
    [
      { variants: [variant("BaseOS")] },
      BOOT_ISO,
      "dropped: ISO images are only kept for variants given with --variant BaseOS --iso",
    ],
    [
      { variants: [variant("BaseOS"), variant("BaseOS")] },
      OS_RPM,
      "dropped: variant AppStream is not selected (--variant BaseOS)",
    ],
    [
      { packages: ["kernel"] },
      OS_RPM,
      "dropped: the path contains none of the package filters (--package-filter kernel)",
    ],
    [
      {},
      "BaseOS/x86_64/images/pxeboot/vmlinuz",
      "dropped: only the os/ tree (and debug/, iso/ when asked) of a variant is kept",
    ],
    [
      {},
      "extra/readme.txt",
      "dropped: only root files, metadata/ and <variant>/<arch>/os/ trees are kept",
    ],
    [
      { include: ["metadata/**"] },
      "COMPOSE_ID",
      "dropped: matches no include glob (--include metadata/**)",
    ],
    [{ exclude: ["**/*.rpm"] }, OS_RPM, "dropped: matches --exclude **/*.rpm"],
  ])("with %j, %s: %s", (overrides, path, reason) => {
    expect(compileFilter(spec(overrides), "compose").explain(path).reason).toBe(reason);
  });

  it("names the component type when it is not filtered", () => {
    expect(compileFilter(spec(), "ocp").explain("a").reason).toBe(
      "kept: components of type ocp are not filtered",
    );
  });
});
