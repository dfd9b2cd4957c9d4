/**
 * `dci-mirror [sync] TOPIC DEST`: mirrors the topic's latest components into DEST/<topic>/<type>/.
 */
import type { ComponentFilter } from "../../api/client.js";
import { UsageError } from "../../errors.js";
import { compileFilter } from "../../filtering/compile.js";
import { explainPath } from "../../filtering/explain.js";
import { type MirrorSummary, mirror } from "../../mirror.js";
import type { FilterSpec } from "../../model.js";
import { validateFilesList } from "../../planning/safe-path.js";
import { ProgressReporter } from "../../report/progress.js";
import { summaryLines } from "../../report/summary.js";
import { parseComponentFilter } from "../../selection/latest.js";
import { type ConnectionFlags, connect } from "../connect.js";
import type { Output } from "../output.js";

export interface MirrorFlags {
  readonly topic: string;
  readonly dest: string | undefined;
  readonly filter: readonly string[];
  readonly componentId: string | undefined;
  readonly arch: readonly string[];
  readonly variant: readonly string[];
  readonly debug: boolean;
  readonly src: boolean;
  readonly iso: boolean;
  readonly all: boolean;
  readonly packageFilter: readonly string[];
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly explain: string | undefined;
  readonly jobs: number;
  readonly verify: boolean;
  readonly lockTimeoutSeconds: number | undefined;
  readonly stallTimeoutSeconds: number;
  readonly dryRun: boolean;
  readonly progress: boolean;
  readonly techPreview: readonly string[];
}

export interface MirrorContext {
  readonly connection: ConnectionFlags;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly output: Output;
  readonly signal: AbortSignal;
  readonly setExitCode: (code: number) => void;
}

/** The FilterSpec the flags describe (dci-downloader's meaning, PROTOCOL.md §4.1, §4.5). */
export function filterSpecFromFlags(flags: MirrorFlags): FilterSpec {
  const unique = (values: readonly string[]) => [...new Set(values)];
  return {
    all: flags.all,
    arches: unique(flags.arch),
    variants: unique(flags.variant).map((name) => ({
      name,
      withDebug: flags.debug,
      withIso: flags.iso,
    })),
    withDebug: flags.debug,
    withIso: flags.iso,
    withSource: flags.src,
    packages: unique(flags.packageFilter),
    include: flags.include,
    exclude: flags.exclude,
  };
}

const COMMANDS = ["sync", "topics", "components", "identity", "sandbox"];

/** Edit distance, to tell a mistyped command (`topcs`) from a topic name. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function destination(
  flags: MirrorFlags,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const dest = flags.dest ?? env["DCI_LOCAL_REPO"];
  const command = COMMANDS.find((name) => editDistance(name, flags.topic.toLowerCase()) <= 2);
  if (flags.dest === undefined && command !== undefined) {
    throw new UsageError(`Unknown command "${flags.topic}". Did you mean ${command}?`, {
      code: "USAGE",
      hint: `Run \`dci-mirror ${command} --help\`; to mirror a topic named "${flags.topic}", give DEST too.`,
    });
  }
  if (dest === undefined || dest.trim() === "") {
    throw new UsageError("No destination folder: give DEST after the topic.", {
      code: "USAGE_NO_DEST",
      hint: "For example: dci-mirror RHEL-9.4 /var/www/html/dci (or set DCI_LOCAL_REPO).",
    });
  }
  return dest;
}

/** Runs the mirror and sets the exit code from its summary. */
export async function mirrorCommand(context: MirrorContext, flags: MirrorFlags): Promise<void> {
  const { output } = context;
  const dest = destination(flags, context.env);
  const filters: ComponentFilter[] = flags.filter.map(parseComponentFilter);
  const spec = filterSpecFromFlags(flags);
  const connection = await connect(context.connection, context.env, {
    onWarning: (warning) => output.warn(warning.code, warning.message),
    onRetry: (event) =>
      output.debug(`retrying ${event.url} in ${event.delayMs} ms (${event.reason})`),
  });
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
  });
  try {
    if (flags.explain !== undefined) {
      await explain(context, connection.client, flags, spec, filters);
      return;
    }
    const summary = await mirror({
      client: connection.client,
      dest,
      topics: [
        {
          name: flags.topic,
          ...(filters.length > 0 ? { filters } : {}),
          ...(flags.componentId === undefined ? {} : { componentId: flags.componentId }),
          filter: spec,
          rhdl: flags.techPreview.includes("rhdl"),
        },
      ],
      jobs: flags.jobs,
      verify: flags.verify,
      ...(flags.lockTimeoutSeconds === undefined
        ? {}
        : { lockTimeoutMs: flags.lockTimeoutSeconds * 1000 }),
      stallTimeoutMs: flags.stallTimeoutSeconds * 1000,
      dryRun: flags.dryRun,
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
  }
  if (output.json) {
    output.document({ schema: "dci-mirror/summary/1", ...summary });
    return;
  }
  for (const line of summaryLines(summary, { dryRun })) output.result(line);
}

async function explain(
  context: MirrorContext,
  client: Awaited<ReturnType<typeof connect>>["client"],
  flags: MirrorFlags,
  spec: FilterSpec,
  filters: readonly ComponentFilter[],
): Promise<void> {
  const topic = await client.topicByName(flags.topic, context.signal);
  const components =
    flags.componentId === undefined
      ? await client.latestComponents(
          topic,
          filters.length > 0 ? filters : undefined,
          context.signal,
        )
      : [await client.component(flags.componentId, context.signal)];
  for (const component of components) {
    const listed = validateFilesList(
      await client.filesList(component.id, { signal: context.signal }),
      component.name,
    );
    const text = explainPath(flags.explain ?? "", listed, compileFilter(spec, component.type));
    context.output.result(`${topic.name}/${component.type} ${component.name}:\n${text}`);
  }
}
