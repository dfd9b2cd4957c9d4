/**
 * `--max-delete`: a component whose plan would remove more entries than allowed removes none of
 * them. A dropped `--all` or a mistyped filter shows up as thousands of removals; stopping before
 * the first one keeps the mirror whole while a person looks. Pure.
 */
import type { DeleteLimit } from "../config/run-settings.js";
import { PruneLimitError } from "../errors.js";
import type { Action } from "../model.js";

export interface DeleteLimitCheck {
  readonly componentName: string;
  readonly folder: string;
  /** The plan for the folder: its prune actions are what would be removed. */
  readonly actions: readonly Action[];
  /** Files, links and other entries the folder holds now (folders not counted, as in the plan). */
  readonly heldEntries: number;
  readonly limit: DeleteLimit | undefined;
}

/** How many removals the limit allows for a folder holding `heldEntries`. */
export function allowedRemovals(limit: DeleteLimit, heldEntries: number): number {
  return limit.kind === "count" ? limit.max : Math.floor((heldEntries * limit.max) / 100);
}

/** The error to report when the plan removes more than the limit allows; else undefined. */
export function deleteLimitRefusal(check: DeleteLimitCheck): PruneLimitError | undefined {
  if (check.limit === undefined) return undefined;
  const removals = check.actions.filter((action) => action.kind === "prune").length;
  const allowed = allowedRemovals(check.limit, check.heldEntries);
  if (removals <= allowed) return undefined;
  const limit = check.limit.kind === "count" ? `${check.limit.max}` : `${check.limit.max}%`;
  const share =
    check.limit.kind === "percent" ? ` (${allowed} of the ${check.heldEntries} it holds)` : "";
  return new PruneLimitError(
    `${check.componentName} would remove ${removals} entries from ${check.folder}, more than --max-delete ${limit} allows${share}; nothing was removed.`,
    {
      code: "PRUNE_LIMIT",
      hint: "Check the selection (a dropped --all, --arch or --variant, a mistyped --filter) with `dci-mirror plan`; if the removals are wanted, run once with a higher --max-delete.",
    },
  );
}
