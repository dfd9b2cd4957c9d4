/**
 * Step "transfer": checks the disk can take what the plan creates, records the selection for
 * `verify`, then fetches, resumes and checks the planned files with bounded concurrency. Each file
 * reaches its final path only after its sha256 matched (tree/place.ts); a file whose place is
 * held by a folder waits in the Placer until the run is known to be clean.
 */
import { join } from "node:path";
import type { Outcome, VerifiedEntry } from "../model.js";
import { preparePartialDir } from "../transfer/partial.js";
import { type RunOptions, runTransfers } from "../transfer/run.js";
import { checkFreeSpace } from "../tree/free-space.js";
import { Placer } from "../tree/place.js";
import { statFile } from "../tree/scan.js";
import { writeSelection } from "../tree/selection.js";
import { spaceNeedOf } from "../tree/space-need.js";
import { USER_AGENT } from "../version.js";
import type { PlannedComponent } from "./plan-files.js";
import type { RunContext, TopicTarget } from "./types.js";

export interface Transferred {
  readonly outcomes: readonly Outcome[];
  /** The files verified in this run, as stat'ed once placed. */
  readonly verified: Map<string, VerifiedEntry>;
  readonly placer: Placer;
  /** The failure that stopped the transfers early, if one did. */
  readonly fatal: unknown;
}

export async function transferFiles(
  planned: PlannedComponent,
  topic: TopicTarget,
  context: RunContext,
): Promise<Transferred> {
  const { component, folder } = planned.target;
  const { signal } = context;
  // Only what this run creates counts: files to fetch or resume and the folders they need.
  await checkFreeSpace(spaceNeedOf(planned.plan.actions, planned.local, planned.files), folder);
  await writeSelection(
    folder,
    {
      componentId: component.id,
      componentName: component.name,
      files: planned.files,
      symlinks: planned.symlinks,
    },
    signal,
  );
  const verified = new Map<string, VerifiedEntry>();
  const placer = new Placer(folder, signal);
  await preparePartialDir(folder, signal);
  const options = transferOptions(planned, topic, context, { placer, verified });
  const result = await runTransfers(planned.plan.actions, options);
  await placer.flush();
  return { outcomes: result.outcomes, verified, placer, fatal: result.fatal };
}

/** How the transfers reach the store and the disk: URLs from the gateway, files into the Placer. */
function transferOptions(
  planned: PlannedComponent,
  topic: TopicTarget,
  context: RunContext,
  sinks: { placer: Placer; verified: Map<string, VerifiedEntry> },
): RunOptions {
  const { component, folder } = planned.target;
  const { client, settings } = context;
  const { placer, verified } = sinks;
  return {
    componentFolder: folder,
    jobs: settings.jobs,
    // As many URLs asked as the API lets in flight, and one ready for each transfer slot: when
    // the API is the slower side the cap, not the look-ahead, bounds the URLs per second.
    lookahead: settings.prefetch ? settings.jobs + client.apiJobs : 0,
    resolveUrl: (filePath, fileSignal) =>
      client.fileUrl(component.id, filePath, { rhdl: topic.request.rhdl, signal: fileSignal }),
    dispatcher: client.dispatcher,
    stallTimeoutMs: settings.stallTimeoutMs,
    retryPolicy: settings.retry,
    random: Math.random,
    userAgent: USER_AGENT,
    place: async (partialPath, file, stats) => {
      await placer.place(partialPath, file.path);
      verified.set(file.path, { ...stats, sha256: file.sha256 });
    },
    localPath: (file) => join(folder, file.path),
    onVerified: async (file) => {
      const entry = await statFile(folder, file.path);
      if (entry === undefined) return;
      const { sizeBytes, mtimeMs, ino } = entry;
      verified.set(file.path, { sizeBytes, mtimeMs, ino, sha256: file.sha256 });
    },
    emit: context.emit,
    signal: context.signal,
    bandwidth: context.bandwidth,
  };
}
