/**
 * A request that selects nothing is a failure (exit 4, NOTHING_SELECTED), not a quiet exit 0: a
 * `--filter compose:nighty` typo, a tag no component has, a topic without an active component, or
 * package filters that match no package. The message lists what the topic does have, and says
 * when a value looks like a pattern: names, tags and package filters are matched literally
 * (dci-downloader read package filters as regular expressions, so `kernel-[0-9]` matched nothing
 * and said nothing).
 */
import { NotFoundError } from "../errors.js";
import { packageMatches } from "../filtering/package-matches.js";
import type { Component, ComponentFilter, Topic } from "../model.js";
import type { ComponentTarget, ListedFiles, RunContext, TopicTarget } from "./types.js";

/** Components listed to describe a topic: the newest ones, one API call. */
export const INVENTORY_COMPONENTS = 100;
/** Tags shown per component type; the rest are counted. */
const TAGS_SHOWN = 10;
/** Characters that make a value look like a regular expression or a glob. */
const PATTERN = /[[\]()*+?^$|\\]/;

/** True when `value` looks like a pattern; `++` is a name's (gcc-c++, libstdc++), not a regex's. */
function looksLikePattern(value: string): boolean {
  return PATTERN.test(value.replaceAll("++", ""));
}

/** What a topic holds, from its newest active components (`listed` of `count`). */
export interface TopicInventory {
  readonly topic: Topic;
  readonly listed: readonly Component[];
  readonly count: number;
}

function tagsText(components: readonly Component[]): string {
  // Newest first, as listed: the tags a user most likely wants come first.
  const tags = [...new Set(components.flatMap((component) => component.tags))];
  if (tags.length === 0) return "no tags";
  const more = tags.length > TAGS_SHOWN ? `, and ${tags.length - TAGS_SHOWN} more` : "";
  return `tags: ${tags.slice(0, TAGS_SHOWN).join(", ")}${more}`;
}

/** "It has: compose (tags: nightly, milestone), compose-noinstall (no active component)." */
export function inventoryText({ topic, listed, count }: TopicInventory): string {
  if (listed.length === 0) return `Topic ${topic.name} has no active component at all.`;
  const types = [...new Set([...topic.componentTypes, ...listed.map((c) => c.type)])];
  const parts = types.map((type) => {
    const ofType = listed.filter((component) => component.type === type);
    return ofType.length === 0 ? `${type} (no active component)` : `${type} (${tagsText(ofType)})`;
  });
  const among =
    count > listed.length ? ` (among its ${listed.length} newest active components)` : "";
  return `It has${among}: ${parts.join(", ")}.`;
}

/** A note for values that look like patterns (they are matched literally), or "". */
export function literalNote(values: readonly string[], what: string, globHint: string): string {
  const patterns = values.filter(looksLikePattern);
  if (patterns.length === 0) return "";
  const quoted = patterns.map((value) => JSON.stringify(value)).join(", ");
  return ` ${what} are matched literally, not as regular expressions or globs: ${quoted} ${patterns.length === 1 ? "looks" : "look"} like a pattern.${globHint}`;
}

function filterText(filter: ComponentFilter): string {
  return filter.tag === undefined ? filter.type : `${filter.type}:${filter.tag}`;
}

/**
 * The error for a topic request that selected no component: `unmatched` are the filters that
 * found none (empty: the topic's default, one per type, found none at all).
 */
export function noComponentSelected(
  inventory: TopicInventory,
  unmatched: readonly ComponentFilter[],
): NotFoundError {
  const name = inventory.topic.name;
  const what =
    unmatched.length === 0
      ? "no active component to mirror"
      : `no active component for ${unmatched.length === 1 ? "filter" : "filters"} ${unmatched.map(filterText).join(", ")}`;
  const values = unmatched.flatMap((filter) => [filter.type, filter.tag ?? ""]);
  const note = literalNote(values, "Types and tags", "");
  return new NotFoundError(`Topic ${name} has ${what}. ${inventoryText(inventory)}`, {
    code: "NOTHING_SELECTED",
    hint: `Give --filter TYPE[:TAG] with a type and tag the topic has (\`dci-mirror components ${name}\` lists them); nothing of the topic was mirrored or removed.${note}`,
  });
}

/**
 * The error for a compose whose package filters match no package: `packages` are the filters,
 * `candidates` the files of the selected trees they were tried on.
 */
export function noPackageSelected(
  componentName: string,
  packages: readonly string[],
  candidates: number,
): NotFoundError {
  const filters = packages.map((value) => `--package-filter ${value}`).join(" ");
  const note = literalNote(
    packages,
    "Package filters",
    " To keep paths by pattern, use --include GLOB (e.g. --include '**/kernel-[0-9]*').",
  );
  return new NotFoundError(
    `The package filters (${filters}) match none of the ${candidates} files of the selected trees of component ${componentName}: nothing of it was mirrored or removed.`,
    {
      code: "NOTHING_SELECTED",
      hint: `A package filter keeps the paths that contain it, literally (--package-filter kernel keeps kernel-core-….rpm). Check the spelling, or \`--explain PATH\` on a package path.${note}`,
    },
  );
}

/**
 * Throws NOTHING_SELECTED when the topic's package filters match no package of the component's
 * selected trees (before anything is planned, so nothing is removed); warns about the filters
 * that alone match nothing.
 */
export function refuseUnmatchedPackages(
  target: ComponentTarget,
  listed: ListedFiles,
  topic: TopicTarget,
  context: RunContext,
): void {
  const spec = topic.request.filter;
  const { component } = target;
  const { candidates, unmatched } = packageMatches(spec, component.type, listed.files);
  if (unmatched.length === 0) return;
  if (unmatched.length === spec.packages.length)
    throw noPackageSelected(component.name, spec.packages, candidates);
  const note = literalNote(unmatched, "Package filters", "");
  context.emit({
    type: "warning",
    code: "PACKAGE_FILTER_UNMATCHED",
    message: `${unmatched.map((value) => `--package-filter ${value}`).join(", ")} ${unmatched.length === 1 ? "matches" : "match"} no package of component ${component.name}.${note}`,
  });
}
