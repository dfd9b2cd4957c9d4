/** `--filter TYPE[:TAG]` (and a settings file's `filters:` strings) read into a ComponentFilter. Pure. */
import { UsageError } from "../errors.js";
import type { ComponentFilter } from "../model.js";

/**
 * Parses `TYPE[:TAG]`, splitting at the first `:` (tags such as `build:RC` hold colons); the type
 * is lower-cased, the tag kept as typed. Throws UsageError (USAGE_FILTER) on an empty type or tag.
 */
export function parseComponentFilter(text: string): ComponentFilter {
  const colon = text.indexOf(":");
  const type = (colon === -1 ? text : text.slice(0, colon)).trim().toLowerCase();
  const tag = colon === -1 ? undefined : text.slice(colon + 1).trim();
  const hint = "Write --filter TYPE or --filter TYPE:TAG, e.g. --filter compose:nightly.";
  if (type === "") {
    throw new UsageError(`--filter ${JSON.stringify(text)} names no component type`, {
      code: "USAGE_FILTER",
      hint,
    });
  }
  if (tag === undefined) return { type };
  if (tag === "") {
    throw new UsageError(`--filter ${JSON.stringify(text)} has an empty tag after ':'`, {
      code: "USAGE_FILTER",
      hint,
    });
  }
  return { type, tag };
}
