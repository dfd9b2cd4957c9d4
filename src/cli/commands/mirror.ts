/**
 * The run of `dci-mirror [sync] TOPIC DEST` and `dci-mirror plan`: settings files, --rc file,
 * environment and flags are resolved once into RunSettings, then mirrored (or planned) into
 * DEST/<topic>/<type>/.
 */
import { hostname } from "node:os";
import type { DciClient } from "../../api/client.js";
import type { CliSettings } from "../../config/cli-settings.js";
import { editDistance } from "../../config/closest-name.js";
import { readSettingsFiles } from "../../config/read-settings.js";
import { resolveRunSettings } from "../../config/resolve.js";
import type { CommandRunSettings } from "../../config/run-settings.js";
import { ensureSkopeo } from "../../containers/skopeo.js";
import { EXIT_CODES, UsageError } from "../../errors.js";
import type { MirrorEvent } from "../../events.js";
import { type RunFacts, summaryDocument } from "../../report/json.js";
import { interruptedLines, RunTally } from "../../report/partial-summary.js";
import { ProgressReporter } from "../../report/progress.js";
import { explainRun } from "../../run/explain.js";
import { runMirror } from "../../run/mirror.js";
import type { MirrorSummary, RunContext } from "../../run/types.js";
import { connect } from "../connect.js";
import { exitCodeFor } from "../exit-codes.js";
import type { Output } from "../output.js";
import { readRcFile } from "./connection.js";
import type { CommandContext } from "./context.js";
import { reportRun, writeRunMetrics } from "./run-report.js";

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

/**
 * Runs the mirror (or the plan) and sets the exit code from its summary. The metrics file (not
 * for a plan) is written when the run is over, also when it failed or was interrupted.
 */
export async function mirrorCommand(
  context: CommandContext,
  request: MirrorRequest,
): Promise<void> {
  const startedAt = new Date();
  refuseMistypedCommand(request.cli);
  const settings = await runSettings(context, request);
  const metricsFile =
    settings.dryRun || settings.explain !== undefined ? undefined : settings.metricsFile;
  try {
    await mirrorOrExplain(context, { request, settings, startedAt, metricsFile });
  } catch (error) {
    if (metricsFile !== undefined) {
      const facts = { startedAt, finishedAt: new Date(), exitCode: exitCodeFor(error) };
      await writeRunMetrics(context.output, metricsFile, { ...facts, summary: undefined });
    }
    throw error;
  }
}

interface RunInput {
  readonly request: MirrorRequest;
  readonly settings: CommandRunSettings;
  readonly startedAt: Date;
  readonly metricsFile: string | undefined;
}

async function mirrorOrExplain(context: CommandContext, input: RunInput): Promise<void> {
  const { output } = context;
  const { settings } = input;
  // Checked before any network call, as dci-downloader does: a run must not fail after hours.
  if (settings.registry !== undefined && !settings.dryRun) await ensureSkopeo();
  // Every warning of the run, for the --json document (each is printed as it comes, too).
  const warnings: { code: string; message: string }[] = [];
  const connection = await connect(settings.connection, {
    onWarning: (warning) => {
      warnings.push({ code: warning.code, message: warning.message });
      output.warn(warning.code, warning.message);
    },
    onRetry: (event) =>
      output.debug(`retrying ${event.url} in ${event.delayMs} ms (${event.reason})`),
  });
  const progress = progressReporter(output, input.request.progress);
  try {
    if (settings.explain !== undefined) {
      await explain(output, settings, connection.client, context.signal);
      return;
    }
    const onEvent = (event: MirrorEvent): void => {
      if (event.type === "warning") {
        warnings.push({ code: event.code, message: event.message });
        // The progress lines print it as text; with --json it goes to stderr as JSON.
        if (output.json) output.warn(event.code, event.message);
      }
      progress.handle(event);
    };
    const facts = { dryRun: settings.dryRun, startedAt: input.startedAt, warnings };
    const summary = await runReported(connection.client, settings, {
      context,
      progress,
      onEvent,
      facts,
    });
    const finishedAt = new Date();
    progress.stop();
    const { startedAt, metricsFile } = input;
    // Before the summary, so that the summary's exit code is the one the process ends with.
    const exitCode =
      metricsFile === undefined
        ? summary.exitCode
        : await writeRunMetrics(output, metricsFile, {
            startedAt,
            finishedAt,
            exitCode: summary.exitCode,
            summary,
          });
    reportRun(output, { ...summary, exitCode }, { ...facts, finishedAt, host: hostname() });
    context.setExitCode(exitCode);
  } finally {
    progress.stop();
    await connection.close();
  }
}

async function explain(
  output: Output,
  settings: CommandRunSettings,
  client: DciClient,
  signal: AbortSignal,
): Promise<void> {
  const explainPath = settings.explain ?? "";
  const run: RunContext = { client, settings, emit: () => undefined, signal };
  for (const explanation of await explainRun(explainPath, run)) {
    output.result(explanation.heading);
    // explainPath's line breaks are its own; the paths in it passed the list's checks.
    for (const line of explanation.lines) output.result(line);
  }
}

/**
 * The run, its events counted and handed to `onEvent`; when it is stopped (Ctrl-C, SIGTERM) what
 * it did so far is reported before the error that says why it stopped is rethrown.
 */
async function runReported(
  client: DciClient,
  settings: CommandRunSettings,
  input: {
    context: CommandContext;
    progress: ProgressReporter;
    onEvent: (event: MirrorEvent) => void;
    facts: Omit<RunFacts, "finishedAt" | "host">;
  },
): Promise<MirrorSummary> {
  const { context, progress, onEvent, facts } = input;
  const tally = new RunTally(Date.now);
  const counted = (event: MirrorEvent): void => {
    tally.handle(event);
    onEvent(event);
  };
  try {
    return await runMirror(client, settings, { onEvent: counted, signal: context.signal });
  } catch (error) {
    if (context.signal.aborted) {
      progress.stop();
      reportInterrupted(context.output, tally, {
        ...facts,
        finishedAt: new Date(),
        host: hostname(),
      });
    }
    throw error;
  }
}

/**
 * A stopped run's summary: the text one (with --quiet its last line only), or the JSON document
 * with exit code 130.
 */
function reportInterrupted(output: Output, tally: RunTally, facts: RunFacts): void {
  const summary = tally.summary(EXIT_CODES.interrupted);
  if (output.json) {
    output.document(summaryDocument(summary, facts));
    return;
  }
  const lines = interruptedLines(summary, tally.bytesReceived);
  for (const line of output.quiet ? lines.slice(-1) : lines) output.result(line);
}
