/**
 * The I/O before a command's connection is resolved: the --rc file, read as data, then handed to
 * the pure resolver of config/. Loaded when a command runs, not for `--help`.
 */
import { type DcircFile, resolveConnection } from "../../config/connection.js";
import type { ConnectionSettings } from "../../config/run-settings.js";
import { readDcircFile } from "../../credentials/read-dcirc.js";
import type { CommandContext, ConnectionFlags } from "./context.js";

/** The --rc file as data (never executed); none with --sandbox, which needs no credentials. */
export async function readRcFile(
  flags: ConnectionFlags,
  signal: AbortSignal,
): Promise<DcircFile | undefined> {
  if (flags.sandbox || flags.rc === undefined) return undefined;
  return { path: flags.rc, variables: await readDcircFile(flags.rc, signal) };
}

/** The connection of a command without settings files (identity, topics, components). */
export async function connectionSettings(context: CommandContext): Promise<ConnectionSettings> {
  return resolveConnection({
    sandbox: context.connection.sandbox,
    dciCsUrl: context.connection.dciCsUrl,
    caFile: context.connection.caFile,
    env: context.env,
    dcirc: await readRcFile(context.connection, context.signal),
  });
}
