/**
 * `dci-mirror verify DEST/TOPIC`: re-hashes a mirror offline against its last recorded selection;
 * given DEST itself, every topic found there.
 */
import { DEFAULTS } from "../../config/run-settings.js";
import { IntegrityError, NotFoundError } from "../../errors.js";
import type { ComponentVerification, TopicVerification } from "../../run/verify.js";
import { formatBytes, formatSeconds } from "../../units.js";
import { jobsOption } from "../options/transfer.js";
import { createOutput, type Output } from "../output.js";
import { type CliEnvironment, defineCommand } from "./context.js";

export const verifyCommand = (environment: CliEnvironment) =>
  defineCommand({
    command: "verify <folder>",
    describe:
      "re-hash a mirror (DEST, DEST/TOPIC or DEST/TOPIC/TYPE) offline against its last files list",
    builder: (command) =>
      command
        .positional("folder", {
          type: "string",
          demandOption: true,
          describe: "DEST (every topic), DEST/<topic> or DEST/<topic>/<type>",
        })
        .option("jobs", jobsOption(DEFAULTS.verifyJobs, "files hashed at once"))
        .example(
          "$0 verify /var/www/html/RHEL-9.4",
          "check every file of every component of RHEL-9.4",
        )
        .example("$0 verify /var/www/html", "check every topic mirrored there"),
    handler: (flags) =>
      verifyFolder(
        createOutput(flags),
        { folder: flags.folder, jobs: flags.jobs },
        environment.signal,
      ),
  });

function verdict(components: readonly ComponentVerification[]): string {
  const problems = components.reduce((sum, component) => sum + component.problems.length, 0);
  return problems === 0 ? "ok" : `${problems} problem(s)`;
}

/** A line per component and one per problem; with --quiet only the components with problems. */
function printVerdicts(output: Output, components: readonly ComponentVerification[]): void {
  for (const component of components) {
    if (output.quiet && component.problems.length === 0) continue;
    output.result(
      `${component.folder} (${component.componentName}): ${component.checkedFiles} files, ${formatBytes(component.checkedBytes)}: ${verdict([component])}`,
    );
    for (const problem of component.problems)
      output.result(`  ${problem.problem} ${problem.path}: ${problem.detail}`);
  }
}

/** The components of `folder` (a component or topic folder), else of every topic under it. */
async function verifyAny(
  folder: string,
  options: { jobs: number; signal: AbortSignal },
): Promise<{ components: ComponentVerification[]; topics?: TopicVerification[] }> {
  // Loaded when the command runs: the hashing stages are not needed for `--help`.
  const { verifyMirror, verifyRoot } = await import("../../run/verify.js");
  const components = await verifyMirror(folder, options);
  if (components.length > 0) return { components };
  const topics = await verifyRoot(folder, options);
  if (topics.length === 0) {
    throw new NotFoundError(
      `Nothing to verify in ${folder}: it holds no topic mirrored by dci-mirror.`,
      {
        code: "VERIFY_NOTHING",
        hint: "Give DEST (every topic), DEST/<topic> or DEST/<topic>/<type> of a mirror made by dci-mirror.",
      },
    );
  }
  return { components: topics.flatMap((topic) => topic.components), topics };
}

function printTopics(output: Output, topics: readonly TopicVerification[]): void {
  for (const topic of topics) {
    output.result(
      `${topic.folder}: ${topic.components.length} component(s): ${verdict(topic.components)}`,
    );
    printVerdicts(output, topic.components);
  }
}

async function verifyFolder(
  output: Output,
  flags: { folder: string; jobs: number },
  signal: AbortSignal,
): Promise<void> {
  const started = performance.now();
  const { components, topics } = await verifyAny(flags.folder, { jobs: flags.jobs, signal });
  const problems = components.flatMap((component) =>
    component.problems.map((problem) => ({ ...problem, folder: component.folder })),
  );
  if (output.json) {
    const byTopic = topics?.map((topic) => ({
      folder: topic.folder,
      ok: topic.components.every((component) => component.problems.length === 0),
      components: topic.components,
    }));
    const ok = problems.length === 0;
    output.document({
      schema: "dci-mirror/verify/1",
      ok,
      components,
      ...(byTopic ? { topics: byTopic } : {}),
    });
  } else {
    if (topics === undefined) printVerdicts(output, components);
    else printTopics(output, topics);
    output.info(`verified in ${formatSeconds(performance.now() - started)}`);
  }
  if (problems.length > 0) {
    throw new IntegrityError(
      `${problems.length} file(s) in ${flags.folder} do not match the last mirrored files list.`,
      {
        code: "VERIFY_MISMATCH",
        hint: "Run the same `dci-mirror TOPIC DEST` again: it re-downloads what is wrong (add --verify to re-hash everything).",
      },
    );
  }
}
