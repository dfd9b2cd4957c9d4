/**
 * Which `--package-filter` values match something: each is tried on the files the compose rules
 * select without package filters (a variant's os/, debug/ or iso/ tree), the way the rules use
 * it: the part of the path below the tree contains it, literally. Pure.
 */
import type { FilterSpec, RemoteFile } from "../model.js";
import { compileFilter } from "./compile.js";

export interface PackageMatches {
  /** Files of the selected trees the package filters were tried on. */
  readonly candidates: number;
  /** The package filters that match none of them. */
  readonly unmatched: readonly string[];
}

/**
 * The package filters of `spec` that match no file of the trees it selects in a component of
 * `componentType`; none for components the rules do not filter, or with `all`.
 */
export function packageMatches(
  spec: FilterSpec,
  componentType: string,
  files: readonly RemoteFile[],
): PackageMatches {
  if (spec.packages.length === 0) return { candidates: 0, unmatched: [] };
  const trees = compileFilter({ ...spec, packages: [], include: [], exclude: [] }, componentType);
  const belowTrees = files
    .filter((file) => trees.explain(file.path).rule === "variant")
    .map((file) => file.path.split("/").slice(3).join("/"));
  if (belowTrees.length === 0) return { candidates: 0, unmatched: [] };
  const unmatched = spec.packages.filter((name) => !belowTrees.some((rest) => rest.includes(name)));
  return { candidates: belowTrees.length, unmatched };
}
