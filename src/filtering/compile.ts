/**
 * Compiles a FilterSpec into a pure keep/explain test, once per component. The compose rules are
 * dci-downloader's, with two fixes: names are matched literally, and `withIso` keeps ISO images
 * when no variant is given (false gives the reference's behaviour).
 * Globs (`--include`, `--exclude`) run afterwards, on every component type.
 */

import { Minimatch } from "minimatch";
import { UsageError } from "../errors.js";
import type { FilterSpec } from "../model.js";

/** dci-downloader's defaults: x86_64, every variant, no debug, source or ISO, no globs. */
export const DEFAULT_FILTER_SPEC: FilterSpec = Object.freeze({
  all: false,
  arches: Object.freeze(["x86_64"]),
  variants: Object.freeze([]),
  withDebug: false,
  withIso: false,
  withSource: false,
  packages: Object.freeze([]),
  include: Object.freeze([]),
  exclude: Object.freeze([]),
});

export type FilterRule =
  | "type-not-filtered"
  | "all"
  | "root-file"
  | "metadata"
  | "source-tree"
  | "variant"
  | "not-selected"
  | "include"
  | "exclude";

export interface FilterDecision {
  readonly kept: boolean;
  /** A stable id of the rule that decided. */
  readonly rule: FilterRule;
  /** A sentence for people, naming the flag that would change the decision. */
  readonly reason: string;
}

export interface FileFilter {
  keep(relPath: string): boolean;
  explain(relPath: string): FilterDecision;
}

/** Python's `.` in `re.match` without DOTALL: anything but a newline. */
const ANY = "[^\\n]*";
const FILTERED_TYPES = new Set(["compose", "compose-noinstall"]);
const METADATA = /^metadata/;
const SOURCE_TREE = new RegExp(`^(${ANY})/source/tree`);

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}

/** One selected variant's expression, plus its prefixes to tell which part failed. */
interface VariantRule {
  /** Undefined for the single catch-all rule used when no variant is selected. */
  readonly name: string | undefined;
  readonly withDebug: boolean;
  readonly withIso: boolean;
  readonly full: RegExp;
  readonly upToVariant: RegExp;
  readonly upToArch: RegExp;
  readonly upToTree: RegExp;
}

function variantRule(
  variant: {
    readonly name: string | undefined;
    readonly withDebug: boolean;
    readonly withIso: boolean;
  },
  spec: FilterSpec,
): VariantRule {
  const name = variant.name === undefined ? ANY : escapeRegExp(variant.name);
  const arches = spec.arches.length === 0 ? ANY : spec.arches.map(escapeRegExp).join("|");
  const trees = ["os", variant.withDebug ? "debug" : "", variant.withIso ? "iso" : ""];
  const packages =
    spec.packages.length === 0
      ? ANY
      : spec.packages.map((name) => `${ANY}${escapeRegExp(name)}${ANY}`).join("|");
  const upToArch = `^(${name})/(${arches})/`;
  const upToTree = `${upToArch}(${trees.filter((tree) => tree !== "").join("|")})/`;
  return {
    ...variant,
    full: new RegExp(`${upToTree}(${packages})`),
    upToVariant: new RegExp(`^(${name})/`),
    upToArch: new RegExp(upToArch),
    upToTree: new RegExp(upToTree),
  };
}

function variantRules(spec: FilterSpec): VariantRule[] {
  if (spec.variants.length === 0) {
    // `withIso` is false in dci-downloader (there `--iso` alone keeps nothing); see model.ts.
    const catchAll = { name: undefined, withDebug: spec.withDebug, withIso: spec.withIso };
    return [variantRule(catchAll, spec)];
  }
  return spec.variants.map((variant) => variantRule(variant, spec));
}

function flagList(flag: string, values: readonly string[]): string {
  return [...new Set(values)].map((value) => `${flag} ${value}`).join(" ");
}

/** Why a compose path matched no rule, naming the flag that would keep it. */
function whyDropped(relPath: string, rules: readonly VariantRule[], spec: FilterSpec): string {
  const segments = relPath.split("/");
  if (!spec.withSource && SOURCE_TREE.test(relPath)) {
    return "dropped: source trees are off (add --src)";
  }
  const byVariant = rules.filter((rule) => rule.upToVariant.test(relPath));
  if (byVariant.length === 0) {
    const names = spec.variants.map((variant) => variant.name);
    return `dropped: variant ${segments[0] ?? ""} is not selected (${flagList("--variant", names)})`;
  }
  const byArch = byVariant.filter((rule) => rule.upToArch.test(relPath));
  if (byArch.length === 0 && spec.arches.length > 0 && segments.length >= 4) {
    return `dropped: arch ${segments[1] ?? ""} is not selected (${flagList("--arch", spec.arches)})`;
  }
  if (byArch.length === 0 || segments.length < 4) {
    return "dropped: only root files, metadata/ and <variant>/<arch>/os/ trees are kept";
  }
  if (byArch.some((rule) => rule.upToTree.test(relPath))) {
    const filters = flagList("--package-filter", spec.packages);
    return `dropped: the path contains none of the package filters (${filters})`;
  }
  const tree = segments[2] ?? "";
  if (tree === "debug") return "dropped: debug trees are off (add --debug)";
  if (tree === "iso" && spec.variants.length === 0) {
    return "dropped: ISO images are off (add --iso)";
  }
  if (tree === "iso") {
    return `dropped: ISO images are only kept for variants given with --variant ${segments[0] ?? ""} --iso`;
  }
  return "dropped: only the os/ tree (and debug/, iso/ when asked) of a variant is kept";
}

function keptByVariant(relPath: string, rules: readonly VariantRule[]): string | undefined {
  for (const rule of rules) {
    const match = rule.full.exec(relPath);
    if (match !== null) return `kept: ${match[1]}/${match[2]}/${match[3]}/ is selected`;
  }
  return undefined;
}

/** The decision of the compose rules alone, before the globs. */
function composeDecision(relPath: string, rules: readonly VariantRule[], spec: FilterSpec) {
  if (!relPath.includes("/")) {
    return { kept: true, rule: "root-file", reason: "kept: root files are always kept" } as const;
  }
  if (METADATA.test(relPath)) {
    return { kept: true, rule: "metadata", reason: "kept: metadata is always kept" } as const;
  }
  if (spec.withSource && SOURCE_TREE.test(relPath)) {
    return {
      kept: true,
      rule: "source-tree",
      reason: "kept: source trees are on (--src)",
    } as const;
  }
  const reason = keptByVariant(relPath, rules);
  if (reason !== undefined) return { kept: true, rule: "variant", reason } as const;
  return { kept: false, rule: "not-selected", reason: whyDropped(relPath, rules, spec) } as const;
}

function compileGlobs(globs: readonly string[], flag: string): Minimatch[] {
  return globs.map((glob) => {
    if (glob === "" || glob.startsWith("/")) {
      throw new UsageError(`${flag} ${JSON.stringify(glob)} can never match`, {
        code: "USAGE_GLOB",
        hint: `Globs match paths relative to the component folder, e.g. ${flag} 'BaseOS/**'.`,
      });
    }
    // `nocomment`: a leading `#` is part of a file name here, not a comment.
    return new Minimatch(glob.replace(/^(\.\/)+/, ""), { dot: true, nocomment: true });
  });
}

/** Applies the globs to a path the compose rules kept. */
function globDecision(
  relPath: string,
  decision: FilterDecision,
  includes: readonly Minimatch[],
  excludes: readonly Minimatch[],
): FilterDecision {
  if (includes.length > 0 && !includes.some((glob) => glob.match(relPath))) {
    const listed = flagList(
      "--include",
      includes.map((glob) => glob.pattern),
    );
    return { kept: false, rule: "include", reason: `dropped: matches no include glob (${listed})` };
  }
  const excluded = excludes.find((glob) => glob.match(relPath));
  if (excluded !== undefined) {
    return {
      kept: false,
      rule: "exclude",
      reason: `dropped: matches --exclude ${excluded.pattern}`,
    };
  }
  return decision;
}

/**
 * Compiles `spec` for a component of `componentType` into a filter; only `compose` and
 * `compose-noinstall` are filtered by the rules. Throws UsageError on a glob that can never match.
 */
export function compileFilter(spec: FilterSpec, componentType: string): FileFilter {
  const type = componentType.trim().toLowerCase();
  const rules = variantRules(spec);
  const includes = compileGlobs(spec.include, "--include");
  const excludes = compileGlobs(spec.exclude, "--exclude");
  const byRules = (relPath: string): FilterDecision => {
    if (!FILTERED_TYPES.has(type)) {
      const reason = `kept: components of type ${type} are not filtered`;
      return { kept: true, rule: "type-not-filtered", reason };
    }
    if (spec.all) return { kept: true, rule: "all", reason: "kept: --all turns filtering off" };
    return composeDecision(relPath, rules, spec);
  };
  const explain = (relPath: string): FilterDecision => {
    const decision = byRules(relPath);
    return decision.kept ? globDecision(relPath, decision, includes, excludes) : decision;
  };
  return { keep: (relPath) => explain(relPath).kept, explain };
}
