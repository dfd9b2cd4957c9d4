/**
 * Snapshot commands, offline: `dci-mirror snapshots DEST/TOPIC` lists each type's snapshots and
 * `dci-mirror rollback DEST/TOPIC` switches a type back to the snapshot published before.
 */
import { nonNegativeSeconds } from "../../config/checks.js";
import { NotFoundError, UsageError } from "../../errors.js";
import type { SnapshotDetail } from "../../tree/snapshot-details.js";
import { isSafeFolderName } from "../../tree/snapshot-paths.js";
import type { Rollback } from "../../tree/snapshot-rollback.js";
import { formatBytes } from "../../units.js";
import { formatTable, type Output } from "../output.js";
import { type CliEnvironment, commandContext, defineCommand } from "./context.js";

/** --type: one component type folder name (no '/', not '.' or '..', not `.dci-mirror…`). */
function typeOption(describe: string) {
  return {
    type: "string",
    describe,
    coerce: (value: string | undefined) => {
      if (value === undefined || isSafeFolderName(value)) return value;
      throw new UsageError(`--type ${JSON.stringify(value)} is not a component type folder name.`, {
        code: "USAGE",
        hint: "Give the name of a folder in DEST/<topic>, e.g. --type compose.",
      });
    },
  } as const;
}

interface TypeSnapshots {
  readonly type: string;
  readonly current: string | null;
  readonly snapshots: readonly SnapshotDetail[];
}

function snapshotRow(type: string, snapshot: SnapshotDetail): string[] {
  return [
    type,
    snapshot.name,
    snapshot.componentName ?? "-",
    snapshot.publishedAt ?? "in progress",
    String(snapshot.files),
    formatBytes(snapshot.bytes),
    formatBytes(snapshot.uniqueBytes),
    snapshot.isCurrent ? "*" : "",
  ];
}

/** A snapshot in the JSON document: every key present, null for what is not known. */
function snapshotJson(snapshot: SnapshotDetail) {
  return {
    name: snapshot.name,
    componentName: snapshot.componentName ?? null,
    publishedAt: snapshot.publishedAt ?? null,
    isCurrent: snapshot.isCurrent,
    files: snapshot.files,
    bytes: snapshot.bytes,
    uniqueBytes: snapshot.uniqueBytes,
  };
}

function printSnapshots(output: Output, types: readonly TypeSnapshots[]): void {
  const rows = types.flatMap(({ type, snapshots }) =>
    snapshots.map((snapshot) => snapshotRow(type, snapshot)),
  );
  for (const line of formatTable([
    ["TYPE", "NAME", "COMPONENT", "PUBLISHED", "FILES", "SIZE", "UNIQUE", "CURRENT"],
    ...rows,
  ]))
    output.result(line);
}

async function showSnapshots(
  output: Output,
  flags: { folder: string; type: string | undefined },
  signal: AbortSignal,
): Promise<void> {
  // Loaded when the command runs: `--help` does not pay for the tree modules.
  const details = await import("../../tree/snapshot-details.js");
  await details.requireTopicFolder(flags.folder, signal);
  const typeFolders = await details.snapshotTypeFolders(flags.folder, signal);
  const types: TypeSnapshots[] = [];
  for (const type of typeFolders) {
    if (flags.type !== undefined && type !== flags.type) continue;
    const snapshots = await details.describeSnapshots(flags.folder, type, signal);
    if (snapshots.length === 0) continue;
    const current = snapshots.find((snapshot) => snapshot.isCurrent)?.name ?? null;
    types.push({ type, current, snapshots });
  }
  if (output.json) {
    output.document({
      schema: "dci-mirror/snapshots/1",
      folder: flags.folder,
      types: types.map(({ type, current, snapshots }) => ({
        type,
        current,
        snapshots: snapshots.map(snapshotJson),
      })),
    });
    return;
  }
  if (types.length === 0) {
    const which = flags.type === undefined ? "" : ` of type ${flags.type}`;
    output.result(`No snapshots${which} in ${flags.folder}.`);
    return;
  }
  printSnapshots(output, types);
}

async function rollBack(
  output: Output,
  flags: { folder: string; type: string | undefined; lockTimeoutSeconds: number | undefined },
  signal: AbortSignal,
): Promise<void> {
  const { requireTopicFolder, snapshotTypeFolders } = await import(
    "../../tree/snapshot-details.js"
  );
  const { applyRollback, planRollback } = await import("../../tree/snapshot-rollback.js");
  const { acquireTopicLock } = await import("../../tree/lock.js");
  // Checked before the lock: taking it would create the topic folder.
  await requireTopicFolder(flags.folder, signal);
  const timeoutMs =
    flags.lockTimeoutSeconds === undefined ? {} : { timeoutMs: flags.lockTimeoutSeconds * 1000 };
  const lock = await acquireTopicLock(flags.folder, {
    ...timeoutMs,
    signal,
    onWait: (owner) =>
      output.info(
        `waiting for the topic lock: held by pid ${owner.pid} on ${owner.host} since ${owner.startedAt}`,
      ),
  });
  const done: Rollback[] = [];
  try {
    const types =
      flags.type === undefined ? await snapshotTypeFolders(flags.folder, signal) : [flags.type];
    if (types.length === 0) {
      throw new NotFoundError(`Cannot roll back ${flags.folder}: it has no snapshots.`, {
        code: "NO_PREVIOUS_SNAPSHOT",
        hint: "Snapshots are kept by `dci-mirror sync --snapshots N`; a plain mirror has none to go back to.",
      });
    }
    // Every type is checked before any is switched: a rollback of the topic is all or nothing.
    const plans: Rollback[] = [];
    for (const type of types) plans.push(await planRollback(flags.folder, type, signal));
    for (const plan of plans) {
      const rollback = await applyRollback(flags.folder, plan, signal);
      done.push(rollback);
      if (!output.json && !output.quiet) {
        output.result(
          `${rollback.typeFolder}: rolled back from ${rollback.from} to ${rollback.to}`,
        );
      }
    }
  } finally {
    await lock.release();
  }
  if (output.json) {
    output.document({
      schema: "dci-mirror/rollback/1",
      folder: flags.folder,
      types: done.map(({ typeFolder, from, to }) => ({ type: typeFolder, from, to })),
    });
  }
}

export const snapshotsCommand = (environment: CliEnvironment) =>
  defineCommand({
    command: "snapshots <folder>",
    describe: "list the snapshots kept per component type in DEST/TOPIC (offline)",
    builder: (command) =>
      command
        .positional("folder", { type: "string", demandOption: true, describe: "DEST/<topic>" })
        .option("type", typeOption("only this component type folder, e.g. compose"))
        .example("$0 snapshots /var/www/html/RHEL-9.4", "every type's snapshots, oldest first"),
    handler: (flags) =>
      showSnapshots(
        commandContext(environment, flags).output,
        { folder: flags.folder, type: flags.type },
        environment.signal,
      ),
  });

export const rollbackCommand = (environment: CliEnvironment) =>
  defineCommand({
    command: "rollback <folder>",
    describe:
      "switch DEST/TOPIC/TYPE back to the snapshot published before the current one (offline)",
    builder: (command) =>
      command
        .positional("folder", { type: "string", demandOption: true, describe: "DEST/<topic>" })
        .option("type", typeOption("only this component type folder (default: every type)"))
        .option("lock-timeout", {
          type: "number",
          describe: "wait at most SECONDS for another run of the topic (0: fail at once)",
          coerce: (value: number | undefined) => nonNegativeSeconds("lock-timeout", value),
        })
        .example(
          "$0 rollback /var/www/html/RHEL-9.4 --type compose",
          "serve the previous compose again",
        ),
    handler: (flags) =>
      rollBack(
        commandContext(environment, flags).output,
        { folder: flags.folder, type: flags.type, lockTimeoutSeconds: flags["lock-timeout"] },
        environment.signal,
      ),
  });
