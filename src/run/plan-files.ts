/**
 * Step "filter and plan": the user's filters applied to the checked files list, then the plan for
 * the component's folder (what to skip, check, fetch, resume, link and prune) from what is on
 * disk, the verified-files record and the partial downloads. An empty selection over a folder
 * that holds files is refused here, before anything is touched.
 */

import type { PruneLimitError } from "../errors.js";
import type { PlanCounts } from "../events.js";
import { applyFilter } from "../filtering/apply.js";
import { compileFilter } from "../filtering/compile.js";
import type { LocalEntry, RemoteFile, RemoteSymlink, VerifiedRecord } from "../model.js";
import { deleteLimitRefusal } from "../planning/delete-limit.js";
import { emptyListRefusal } from "../planning/empty-list.js";
import { type Plan, planMirror } from "../planning/plan.js";
import { listPartials } from "../transfer/partial.js";
import { readRecord } from "../tree/record.js";
import { scanTree } from "../tree/scan.js";
import { publishedLoss } from "./published-loss.js";
import type { Reused } from "./reuse-files.js";
import type { ComponentTarget, ListedFiles, RunContext, TopicTarget } from "./types.js";

/** The images list is kept beside the files when the component has one, never pruned. */
export const IMAGES_LIST = "images_list.yaml";

export interface PlannedComponent {
  readonly target: ComponentTarget;
  /** The files and links the filters kept. */
  readonly files: readonly RemoteFile[];
  readonly symlinks: readonly RemoteSymlink[];
  /** The component's images_list.yaml text, when it has one. */
  readonly imagesList: string | undefined;
  readonly local: readonly LocalEntry[];
  readonly record: VerifiedRecord | undefined;
  readonly plan: Plan;
  readonly counts: PlanCounts;
  /** Set when the plan removes more than --max-delete allows: the prune step then removes nothing. */
  readonly pruneRefusal: PruneLimitError | undefined;
}

/** Step "filter": what the user's filters keep of the checked files list. */
export function selectFiles(
  target: ComponentTarget,
  listed: ListedFiles,
  topic: TopicTarget,
): ListedFiles {
  const { files, symlinks } = applyFilter(
    listed,
    compileFilter(topic.request.filter, target.component.type),
  );
  return { files, symlinks };
}

/** The files list, what the filters kept of it, and (snapshot mode) what is reused from disk. */
export interface PlanSources {
  readonly listed: ListedFiles;
  readonly selected: ListedFiles;
  readonly reused: Reused;
}

export async function planFiles(
  target: ComponentTarget,
  sources: PlanSources,
  topic: TopicTarget,
  context: RunContext,
): Promise<PlannedComponent> {
  const { listed, selected } = sources;
  const { component, folder } = target;
  const { signal } = context;
  // The images list is two round trips away (gateway, store): the local tree is read meanwhile.
  const [imagesList, record, local, partials] = await Promise.all([
    context.client.imagesList(component.id, { rhdl: topic.request.rhdl, signal }),
    readRecord(folder, signal),
    scanTree(folder, signal),
    listPartials(folder),
  ]);
  const plan = planMirror({
    files: selected.files,
    symlinks: selected.symlinks,
    local,
    record,
    partials,
    verifyAll: context.settings.verify,
    keepPaths: imagesList === undefined ? [] : [IMAGES_LIST],
  });
  // What consumers of the published path lose: the plan's removals, or in snapshot mode what the
  // published snapshot (or plain folder) holds that the new one will not.
  const keepPaths = imagesList === undefined ? [] : [IMAGES_LIST];
  const loss = await publishedLoss(target, { plan, local, selected, keepPaths }, signal);
  const refusal = emptyListRefusal({
    componentName: component.name,
    folder: loss.folder,
    listedFiles: listed.files.length,
    selectedFiles: selected.files.length,
    actions: loss.actions,
  });
  if (refusal !== undefined) throw refusal;
  const counted = { ...countPlan(plan, selected.files), pruneEntries: loss.actions.length };
  const counts = context.settings.dryRun ? withReuse(counted, sources.reused) : counted;
  context.emit({ type: "plan", componentName: component.name, counts });
  const { files, symlinks } = selected;
  const pruneRefusal = deleteLimitRefusal({
    componentName: component.name,
    folder: loss.folder,
    actions: loss.actions,
    heldEntries: loss.heldEntries,
    limit: context.settings.prune ? context.settings.maxDelete : undefined,
  });
  return { target, files, symlinks, imagesList, local, record, plan, counts, pruneRefusal };
}

function countPlan(plan: Plan, files: readonly RemoteFile[]): PlanCounts {
  const count = (kind: string) => plan.actions.filter((action) => action.kind === kind).length;
  return {
    totalFiles: files.length,
    totalBytes: files.reduce((sum, file) => sum + file.sizeBytes, 0),
    fetchFiles: count("fetch"),
    resumeFiles: count("resume"),
    checkFiles: count("check"),
    skipFiles: count("skip"),
    pruneEntries: count("prune"),
    links: count("link"),
    bytesToFetch: plan.bytesToFetch,
    bytesToCheck: plan.actions.reduce(
      (sum, action) => (action.kind === "check" ? sum + action.file.sizeBytes : sum),
      0,
    ),
  };
}

/**
 * A plan (dry run) links nothing, so it would fetch what a run reuses: the counts say what the run
 * will do. After a run's links, its plan already skips those files.
 */
function withReuse(counts: PlanCounts, reused: Reused): PlanCounts {
  return {
    ...counts,
    fetchFiles: counts.fetchFiles - reused.count,
    skipFiles: counts.skipFiles + reused.count,
    bytesToFetch: counts.bytesToFetch - reused.bytes,
  };
}
