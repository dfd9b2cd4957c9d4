/**
 * Rolling a type back: its path is switched to the snapshot published before the current one
 * (previousSnapshot), by the same atomic link rename as any publication. The switch is logged as
 * a publication, so a second rollback returns to the snapshot rolled back from. Callers hold the
 * topic lock.
 */
import { NotFoundError } from "../errors.js";
import { currentSnapshot, previousSnapshot } from "./snapshot-list.js";
import { publishSnapshot } from "./snapshots.js";

export interface Rollback {
  readonly typeFolder: string;
  /** The snapshot the type path pointed at. */
  readonly from: string;
  /** The snapshot it points at now. */
  readonly to: string;
}

/** What a rollback of the type would do; throws NotFoundError NO_PREVIOUS_SNAPSHOT when it cannot. */
export async function planRollback(
  topicFolder: string,
  typeFolder: string,
  signal: AbortSignal,
): Promise<Rollback> {
  const from = await currentSnapshot(topicFolder, typeFolder, signal);
  const to = await previousSnapshot(topicFolder, typeFolder, signal);
  if (from !== undefined && to !== undefined) return { typeFolder, from, to };
  const why =
    from === undefined
      ? "its path does not point at a snapshot"
      : `no snapshot was published before ${from}`;
  throw new NotFoundError(`Cannot roll back ${typeFolder} in ${topicFolder}: ${why}.`, {
    code: "NO_PREVIOUS_SNAPSHOT",
    hint: "Run `dci-mirror snapshots DEST/<topic>` to see the snapshots kept; a rollback needs an earlier published one (sync keeps them with --snapshots N).",
  });
}

/** Switches the type path as `rollback` says; returns it. Throws LocalIOError. */
export async function applyRollback(
  topicFolder: string,
  rollback: Rollback,
  signal: AbortSignal,
): Promise<Rollback> {
  const result = await publishSnapshot({
    topicFolder,
    typeFolder: rollback.typeFolder,
    name: rollback.to,
    signal,
  });
  return { ...rollback, from: result.previous ?? rollback.from };
}
