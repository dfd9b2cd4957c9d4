/**
 * `dci-mirror verify DEST/TOPIC`: re-hashes a mirror offline against its last recorded selection.
 */
import { DEFAULTS } from "../../config/run-settings.js";
import { IntegrityError, NotFoundError } from "../../errors.js";
import type { ComponentVerification } from "../../run/verify.js";
import { formatBytes, formatSeconds } from "../../units.js";
import { jobsOption } from "../options/transfer.js";
import { createOutput, type Output } from "../output.js";
import { type CliEnvironment, defineCommand } from "./context.js";

export const verifyCommand = (environment: CliEnvironment) =>
  defineCommand({
    command: "verify <folder>",
    describe:
      "re-hash a mirror (DEST/TOPIC or DEST/TOPIC/TYPE) offline against its last files list",
    builder: (command) =>
      command
        .positional("folder", {
          type: "string",
          demandOption: true,
          describe: "DEST/<topic> or DEST/<topic>/<type>",
        })
        .option("jobs", jobsOption(DEFAULTS.verifyJobs, "files hashed at once"))
        .example(
          "$0 verify /var/www/html/RHEL-9.4",
          "check every file of every component of RHEL-9.4",
        ),
    handler: (flags) =>
      verifyFolder(
        createOutput(flags),
        { folder: flags.folder, jobs: flags.jobs },
        environment.signal,
      ),
  });

/** A line per component and one per problem; with --quiet only the components with problems. */
function printVerdicts(output: Output, components: readonly ComponentVerification[]): void {
  for (const component of components) {
    if (output.quiet && component.problems.length === 0) continue;
    const verdict =
      component.problems.length === 0 ? "ok" : `${component.problems.length} problem(s)`;
    output.result(
      `${component.folder} (${component.componentName}): ${component.checkedFiles} files, ${formatBytes(component.checkedBytes)}: ${verdict}`,
    );
    for (const problem of component.problems)
      output.result(`  ${problem.problem} ${problem.path}: ${problem.detail}`);
  }
}

async function verifyFolder(
  output: Output,
  flags: { folder: string; jobs: number },
  signal: AbortSignal,
): Promise<void> {
  const started = performance.now();
  // Loaded when the command runs: the hashing stages are not needed for `--help`.
  const { verifyMirror } = await import("../../run/verify.js");
  const components = await verifyMirror(flags.folder, { jobs: flags.jobs, signal });
  if (components.length === 0) {
    throw new NotFoundError(
      `Nothing to verify in ${flags.folder}: no folder mirrored by dci-mirror.`,
      {
        code: "VERIFY_NOTHING",
        hint: "Give DEST/<topic> (or DEST/<topic>/<type>) of a mirror made by dci-mirror.",
      },
    );
  }
  const problems = components.flatMap((component) =>
    component.problems.map((problem) => ({ ...problem, folder: component.folder })),
  );
  if (output.json) {
    output.document({ schema: "dci-mirror/verify/1", ok: problems.length === 0, components });
  } else {
    printVerdicts(output, components);
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
