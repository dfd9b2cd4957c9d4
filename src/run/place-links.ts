/**
 * Step "links": the images list is written beside the files, the listed symlinks are created or
 * corrected, and, after a clean run, the files held back by a folder in their way take their place.
 */
import { writeFileAtomic } from "../tree/place.js";
import { placeSymlink } from "../tree/symlinks.js";
import { IMAGES_LIST, type PlannedComponent } from "./plan-files.js";
import type { Recorded } from "./record-files.js";
import type { Transferred } from "./transfer-files.js";
import type { RunContext } from "./types.js";

/** Returns how many links were created or changed. */
export async function placeLinks(
  planned: PlannedComponent,
  transferred: Transferred,
  recorded: Recorded,
  context: RunContext,
): Promise<number> {
  const { folder } = planned.target;
  const { signal } = context;
  if (planned.imagesList !== undefined)
    await writeFileAtomic(folder, IMAGES_LIST, Buffer.from(planned.imagesList), signal);
  let links = 0;
  for (const action of planned.plan.actions) {
    if (action.kind !== "link") continue;
    const { path: relPath, target } = action.link;
    const change = await placeSymlink({ root: folder, relPath, target, signal });
    if (change !== "unchanged") links++;
  }
  if (!recorded.hasFailures) {
    await transferred.placer.placeHeld();
    await transferred.placer.flush();
  }
  return links;
}
