/**
 * An empty files list over a folder that holds files is far more likely a broken publication (or a
 * broken server) than a component that really lost every file: pruning would wipe a good mirror.
 * So the run refuses, deletes nothing, and leaves the decision to a person. Pure.
 */
import { ApiShapeError } from "../errors.js";
import type { Action } from "../model.js";

export interface EmptyListCheck {
  readonly componentName: string;
  /** The component's folder, as the user will look for it. */
  readonly folder: string;
  /** Files in the component's list, after validation (before the user's filters). */
  readonly listedFiles: number;
  /** Files the user's filters keep of that list. */
  readonly selectedFiles: number;
  /** The plan for the folder: its prune actions are the files already there. */
  readonly actions: readonly Action[];
}

/**
 * The error to throw when an empty files list would prune a folder that holds files; undefined
 * when the list has files or the folder has none to lose.
 */
export function emptyListRefusal(check: EmptyListCheck): ApiShapeError | undefined {
  if (check.selectedFiles > 0) return undefined;
  const heldFiles = check.actions.filter(
    (action) => action.kind === "prune" && action.entryKind === "file",
  ).length;
  if (heldFiles === 0) return undefined;
  const { componentName, folder } = check;
  const held = `${folder} holds ${heldFiles} file${heldFiles === 1 ? "" : "s"}; nothing was deleted.`;
  if (check.listedFiles > 0) {
    // Every entry is gone through the user's own filters: most likely a mistyped --arch/--variant.
    return new ApiShapeError(
      `The filters keep none of the ${check.listedFiles} files of component ${componentName}, but ${held}`,
      {
        code: "FILES_LIST_FILTERED_EMPTY",
        hint: `Check the filters (--arch, --variant, --include/--exclude, \`--explain PATH\`); if nothing of ${componentName} should be kept, remove ${folder} by hand.`,
      },
    );
  }
  return new ApiShapeError(`The files list of component ${componentName} is empty but ${held}`, {
    code: "FILES_LIST_EMPTY",
    hint: `If component ${componentName} is really empty now, remove ${folder} by hand; otherwise try again later, and report it to your Red Hat contact if it persists.`,
  });
}
