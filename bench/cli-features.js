// What the dci-mirror build under test offers, read once from its --help: flags are added in other
// branches while the bench runs on this one, and a run with an unknown flag only exits 2.
import { spawnSync } from "node:child_process";

const BIN = new URL("../bin/dci-mirror.js", import.meta.url).pathname;

/** The help text of one option: from its name to the next line that starts another option. */
function optionText(help, flag) {
  const start = help.search(new RegExp(`${flag}\\b`));
  if (start < 0) return undefined;
  const rest = help.slice(start);
  const next = rest.slice(flag.length).search(/\n\s+-/);
  return next < 0 ? rest : rest.slice(0, flag.length + next);
}

/**
 * `{ defaultJobs, hasPrefetch, hasApiJobs }` of the built CLI; throws when --help fails (dist/ not
 * built) or shows no --jobs default, since every scenario depends on it.
 */
export function cliFeatures() {
  const result = spawnSync(process.execPath, [BIN, "--help"], {
    encoding: "utf8",
    // A wide terminal: yargs wraps the help at the terminal's width, splitting an option's line.
    env: { ...process.env, COLUMNS: "200" },
  });
  if (result.status !== 0) {
    throw new Error(`dci-mirror --help exited ${result.status}: ${result.stderr.trim()}`);
  }
  const help = result.stdout;
  const jobsDefault = /\[default: (\d+)\]/.exec(optionText(help, "--jobs") ?? "");
  if (jobsDefault === null) throw new Error("dci-mirror --help shows no default for --jobs");
  return {
    defaultJobs: Number(jobsDefault[1]),
    // yargs lists a boolean that defaults to true as --prefetch, with --no-prefetch in its text.
    hasPrefetch: /--(no-)?prefetch\b/.test(help),
    hasApiJobs: optionText(help, "--api-jobs") !== undefined,
  };
}
