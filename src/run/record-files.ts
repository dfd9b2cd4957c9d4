/**
 * Step "record": settles the transfers. After a run with failures, files held back because a
 * folder stands at their place are dropped and reported as failed; the verified-files record is
 * saved either way (what was verified stays verified), and the failure that stopped the transfers,
 * if any, is thrown only then.
 */
import { EXIT_CODES } from "../errors.js";
import type { MirrorEventListener } from "../events.js";
import type { Outcome, VerifiedEntry } from "../model.js";
import type { Placer } from "../tree/place.js";
import { writeRecord } from "../tree/record.js";
import type { PlannedComponent } from "./plan-files.js";
import type { Transferred } from "./transfer-files.js";
import type { RunContext } from "./types.js";

export interface Recorded {
  readonly outcomes: readonly Outcome[];
  /** True when a file failed: held files and prunes then wait for a clean run. */
  readonly hasFailures: boolean;
}

export async function recordFiles(
  planned: PlannedComponent,
  transferred: Transferred,
  context: RunContext,
): Promise<Recorded> {
  const { fatal, placer, verified } = transferred;
  const hasFailures =
    fatal !== undefined || transferred.outcomes.some((outcome) => outcome.kind === "failed");
  // A folder that becomes a file goes only once the run is known to be clean (as prune does).
  const outcomes = hasFailures
    ? await failHeldFiles(placer, transferred.outcomes, verified, context.emit)
    : transferred.outcomes;
  // The error that stopped the run is the one to report: on a full disk, saving the record fails too.
  await saveRecord(planned, verified, context.signal).catch((error: unknown) => {
    if (fatal === undefined) throw error;
  });
  if (fatal !== undefined) throw fatal;
  return { outcomes, hasFailures };
}

async function failHeldFiles(
  placer: Placer,
  outcomes: readonly Outcome[],
  verified: Map<string, VerifiedEntry>,
  emit: MirrorEventListener,
): Promise<Outcome[]> {
  const heldPaths = new Set(await placer.dropHeld());
  for (const path of heldPaths) verified.delete(path);
  return outcomes.map((outcome): Outcome => {
    if (!heldPaths.has(outcome.path) || outcome.kind === "failed") return outcome;
    const message = `${outcome.path} was downloaded and verified, but a folder stands where ${outcome.path} belongs; it is replaced only after a run with no failures. Fix the other failures and run again.`;
    emit({ type: "warning", code: "FOLDER_IN_THE_WAY", message });
    return {
      kind: "failed",
      path: outcome.path,
      code: "FOLDER_IN_THE_WAY",
      message,
      exitCode: EXIT_CODES.localIo,
      bytesTransferred: outcome.bytesTransferred,
    };
  });
}

async function saveRecord(
  planned: PlannedComponent,
  verified: ReadonlyMap<string, VerifiedEntry>,
  signal: AbortSignal,
): Promise<void> {
  const { component, folder } = planned.target;
  const previous = planned.record?.files ?? {};
  const files: Record<string, VerifiedEntry> = {};
  for (const action of planned.plan.actions) {
    if (action.kind === "link" || action.kind === "prune") continue;
    const entry =
      action.kind === "skip" ? previous[action.file.path] : verified.get(action.file.path);
    if (entry !== undefined) files[action.file.path] = entry;
  }
  const record = {
    schema: "dci-mirror/state/1" as const,
    componentId: component.id,
    componentName: component.name,
    componentVersion: component.version,
    files,
  };
  await writeRecord(folder, record, signal);
}
