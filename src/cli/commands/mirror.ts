/**
 * `dci-mirror [sync] TOPIC DEST` and `dci-mirror plan`: settings files, environment and flags are
 * resolved into topics, then mirrored (or planned) into DEST/<topic>/<type>/.
 */

import { API_TIMEOUT_MS } from "../../api/http.js";
import { readSettingsFiles } from "../../config/read-settings.js";
import { type CliSettings, resolveConfig } from "../../config/resolve.js";
import type { RunSettings } from "../../config/run-settings.js";
import { ensureSkopeo } from "../../containers/skopeo.js";
import { UsageError } from "../../errors.js";
import { DEFAULT_RETRY_POLICY } from "../../http/backoff.js";
import { summaryDocument } from "../../report/json.js";
import { ProgressReporter } from "../../report/progress.js";
import { summaryLines } from "../../report/summary.js";
import { explainRun } from "../../run/explain.js";
import { runMirror } from "../../run/mirror.js";
import type { MirrorSummary } from "../../run/types.js";
import { type ConnectionFlags, connect } from "../connect.js";
import type { Output } from "../output.js";
import { editDistance } from "../suggest.js";

export interface MirrorFlags {
  /** What the command line said about the selection (undefined: not given). */
  readonly cli: CliSettings;
  readonly settings: readonly string[];
  readonly explain: string | undefined;
  readonly jobs: number;
  readonly verify: boolean;
  readonly lockTimeoutSeconds: number | undefined;
  readonly stallTimeoutSeconds: number;
  readonly dryRun: boolean;
  readonly progress: boolean;
}

export interface MirrorContext {
  readonly connection: ConnectionFlags;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly output: Output;
  readonly signal: AbortSignal;
  readonly setExitCode: (code: number) => void;
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

/** Runs the mirror (or the plan) and sets the exit code from its summary. */
export async function mirrorCommand(context: MirrorContext, flags: MirrorFlags): Promise<void> {
  const { output } = context;
  refuseMistypedCommand(flags.cli);
  const config = resolveConfig({
    cli: flags.cli,
    env: context.env,
    files: await readSettingsFiles(flags.settings, context.signal),
  });
  // Checked before any network call, as dci-downloader does: a run must not fail after hours.
  if (config.registry !== undefined && !flags.dryRun) await ensureSkopeo();
  const connection = await connect(
    {
      ...context.connection,
      base: config.credentials,
      // One flag for every silence: a transfer may wait the full --stall-timeout, an API answer
      // at most 30 s (a control server that takes longer is stuck, not slow).
      apiTimeoutMs: Math.min(flags.stallTimeoutSeconds * 1000, API_TIMEOUT_MS),
    },
    context.env,
    {
      onWarning: (warning) => output.warn(warning.code, warning.message),
      onRetry: (event) =>
        output.debug(`retrying ${event.url} in ${event.delayMs} ms (${event.reason})`),
    },
  );
  const progress = new ProgressReporter({
    isTty: process.stderr.isTTY === true,
    quiet: output.quiet || output.json,
    showBar: flags.progress,
    write: (line) => output.info(line),
    fail: (failure) =>
      output.error({
        code: failure.code,
        message: `failed ${failure.path}: ${failure.message}`,
        hint: "",
        exitCode: failure.exitCode,
      }),
    now: Date.now,
    debug: (line) => output.debug(line),
  });
  const settings: RunSettings = Object.freeze({
    topics: config.topics,
    jobs: flags.jobs,
    verify: flags.verify,
    dryRun: flags.dryRun,
    lockTimeoutMs:
      flags.lockTimeoutSeconds === undefined ? undefined : flags.lockTimeoutSeconds * 1000,
    stallTimeoutMs: flags.stallTimeoutSeconds * 1000,
    retry: DEFAULT_RETRY_POLICY,
    registry: config.registry,
  });
  try {
    if (flags.explain !== undefined) {
      const runContext = {
        client: connection.client,
        settings,
        emit: () => undefined,
        signal: context.signal,
      };
      for (const explanation of await explainRun(flags.explain, runContext)) {
        output.result(explanation.heading);
        for (const line of explanation.lines) output.result(line);
      }
      return;
    }
    const summary = await runMirror(connection.client, settings, {
      onEvent: (event) => progress.handle(event),
      signal: context.signal,
    });
    progress.stop();
    report(output, summary, flags.dryRun);
    context.setExitCode(summary.exitCode);
  } finally {
    progress.stop();
    await connection.close();
  }
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
