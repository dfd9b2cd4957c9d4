/**
 * The run of `dci-mirror [sync] TOPIC DEST` and `dci-mirror plan`: settings files, --rc file,
 * environment and flags are resolved once into RunSettings, then mirrored (or planned) into
 * DEST/<topic>/<type>/.
 */

import type { DciClient } from "../../api/client.js";
import type { CliSettings } from "../../config/cli-settings.js";
import { readSettingsFiles } from "../../config/read-settings.js";
import { resolveRunSettings } from "../../config/resolve.js";
import type { CommandRunSettings } from "../../config/run-settings.js";
import { ensureSkopeo } from "../../containers/skopeo.js";
import { EXIT_CODES, UsageError } from "../../errors.js";
import type { MirrorEvent } from "../../events.js";
import { summaryDocument } from "../../report/json.js";
import { interruptedLines, RunTally } from "../../report/partial-summary.js";
import { ProgressReporter } from "../../report/progress.js";
import { summaryLines } from "../../report/summary.js";
import { explainRun } from "../../run/explain.js";
import { runMirror } from "../../run/mirror.js";
import type { MirrorSummary, RunContext } from "../../run/types.js";
import { connect } from "../connect.js";
import type { Output } from "../output.js";
import { editDistance } from "../suggest.js";
import { readRcFile } from "./connection.js";
import type { CommandContext } from "./context.js";

/** What `sync` and `plan` hand over: the command line as said, before any resolution. */
export interface MirrorRequest {
  /** What the command line said (undefined: not given). */
  readonly cli: CliSettings;
  /** The `--settings` files, in order. */
  readonly settingsFiles: readonly string[];
  /** `--progress`: a progress bar on a terminal. */
  readonly progress: boolean;
}

const COMMANDS = [
  "sync",
  "plan",
  "verify",
  "topics",
  "components",
  "identity",
  "sandbox",
  "completion",
];

/** `dci-mirror topcs` is a mistyped command, not a topic to mirror: say so before anything else. */
function refuseMistypedCommand(cli: CliSettings): void {
  const topic = cli.topic;
  if (topic === undefined || cli.dest !== undefined) return;
  const command = COMMANDS.find((name) => editDistance(name, topic.toLowerCase()) <= 2);
  if (command === undefined) return;
  throw new UsageError(`Unknown command "${topic}". Did you mean ${command}?`, {
    code: "USAGE",
    hint: `Run \`dci-mirror ${command} --help\`; to mirror a topic named "${topic}", give DEST too.`,
  });
}

/** Settings files, --rc file, environment and command line, resolved once. */
async function runSettings(
  context: CommandContext,
  request: MirrorRequest,
): Promise<CommandRunSettings> {
  return resolveRunSettings({
    cli: request.cli,
    env: context.env,
    files: await readSettingsFiles(request.settingsFiles, context.signal),
    dcirc: await readRcFile(context.connection, context.signal),
  });
}

function progressReporter(output: Output, showBar: boolean): ProgressReporter {
  return new ProgressReporter({
    isTty: process.stderr.isTTY === true,
    quiet: output.quiet || output.json,
    showBar,
    write: (line) => output.info(line),
    fail: (failure) =>
      output.error({
        code: failure.code,
        message: `failed ${failure.path}: ${failure.message}`,
        hint: "",
        exitCode: failure.exitCode,
      }),
    now: Date.now,
    columns: () => process.stderr.columns,
    debug: (line) => output.debug(line),
  });
}

/** Runs the mirror (or the plan) and sets the exit code from its summary. */
export async function mirrorCommand(
  context: CommandContext,
  request: MirrorRequest,
): Promise<void> {
  const { output } = context;
  refuseMistypedCommand(request.cli);
  const settings = await runSettings(context, request);
  // Checked before any network call, as dci-downloader does: a run must not fail after hours.
  if (settings.registry !== undefined && !settings.dryRun) await ensureSkopeo();
  const connection = await connect(settings.connection, {
    onWarning: (warning) => output.warn(warning.code, warning.message),
    onRetry: (event) =>
      output.debug(`retrying ${event.url} in ${event.delayMs} ms (${event.reason})`),
  });
  const progress = progressReporter(output, request.progress);
  try {
    if (settings.explain !== undefined) {
      const run: RunContext = {
        client: connection.client,
        settings,
        emit: () => undefined,
        signal: context.signal,
      };
      for (const explanation of await explainRun(settings.explain, run)) {
        output.result(explanation.heading);
        // explainPath's line breaks are its own; the paths in it passed the list's checks.
        for (const line of explanation.lines) output.result(line);
      }
      return;
    }
    const summary = await runReported(connection.client, settings, { context, progress });
    progress.stop();
    report(output, summary, settings.dryRun);
    context.setExitCode(summary.exitCode);
  } finally {
    progress.stop();
    await connection.close();
  }
}

/**
 * The run, its events drawn by `progress` and counted; when it is stopped (Ctrl-C, SIGTERM) what
 * it did so far is reported before the error that says why it stopped is rethrown.
 */
async function runReported(
  client: DciClient,
  settings: CommandRunSettings,
  { context, progress }: { context: CommandContext; progress: ProgressReporter },
): Promise<MirrorSummary> {
  const tally = new RunTally(Date.now);
  const onEvent = (event: MirrorEvent): void => {
    tally.handle(event);
    progress.handle(event);
  };
  try {
    return await runMirror(client, settings, { onEvent, signal: context.signal });
  } catch (error) {
    if (context.signal.aborted) {
      progress.stop();
      reportInterrupted(context.output, tally, settings.dryRun);
    }
    throw error;
  }
}

/** A stopped run's summary: the text one, or the JSON document with exit code 130. */
function reportInterrupted(output: Output, tally: RunTally, dryRun: boolean): void {
  const summary = tally.summary(EXIT_CODES.interrupted);
  if (output.json) output.document(summaryDocument(summary, { dryRun }));
  else for (const line of interruptedLines(summary, tally.bytesReceived)) output.result(line);
}

function report(output: Output, summary: MirrorSummary, dryRun: boolean): void {
  for (const topic of summary.topics) {
    if (topic.error !== undefined)
      output.error({ ...topic.error, message: `${topic.name}: ${topic.error.message}` });
    for (const component of topic.components) {
      if (component.error === undefined) continue;
      const message = `${topic.name}/${component.type}: ${component.error.message}`;
      output.error({ ...component.error, message });
    }
  }
  if (output.json) {
    output.document(summaryDocument(summary, { dryRun }));
    return;
  }
  for (const line of summaryLines(summary, { dryRun })) output.result(line);
}
