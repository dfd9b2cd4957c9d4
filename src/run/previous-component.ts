/**
 * Step "previous component": which component DEST/<topic>/<type> held before this run, from the
 * record of verified files there, so the summary can say "compose changed from X to Y". In the
 * plain mode the plan already read that record; in snapshot mode it is the published snapshot's
 * (the type path is a link to it), read here before anything is switched.
 */
import { join } from "node:path";
import { readRecord } from "../tree/record.js";
import type { PlannedComponent } from "./plan-files.js";
import type { ComponentIdentity } from "./types.js";

/** The component the type path held, or undefined when it held none; throws LocalIOError. */
export async function previousComponent(
  planned: PlannedComponent,
  signal: AbortSignal,
): Promise<ComponentIdentity | undefined> {
  const { snapshot } = planned.target;
  const record =
    snapshot === undefined
      ? planned.record
      : await readRecord(join(snapshot.topicFolder, snapshot.typeFolder), signal);
  if (record === undefined) return undefined;
  const version = record.componentVersion;
  return {
    id: record.componentId,
    name: record.componentName,
    version: typeof version === "string" ? version : null,
  };
}
