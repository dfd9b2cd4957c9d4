/**
 * Flags that would be accepted and then do nothing are refused instead: a selection flag beside
 * `--all` (which keeps every file of a compose), and a `--tech-preview` feature dci-mirror does
 * not have. Pure.
 */
import { UsageError } from "../errors.js";
import type { CliSettings } from "./cli-settings.js";
import type { TopicSettings } from "./settings-types.js";
import { present } from "./values.js";

/** The tech-preview features there are (`--tech-preview`, a topic's `tech_preview`). */
export const TECH_PREVIEW_FEATURES: readonly string[] = ["rhdl"];

/** True when the features (as the user wrote them: any case, spaces around) include `feature`. */
export function hasTechPreview(values: readonly string[] | undefined, feature: string): boolean {
  return (values ?? []).some((value) => value.trim().toLowerCase() === feature);
}

/**
 * Throws UsageError USAGE_TECH_PREVIEW when a value is not a known feature; `where` names the
 * flag or the settings key for the message.
 */
export function checkTechPreview(values: readonly string[] | undefined, where: string): void {
  const unknown = (values ?? []).find(
    (value) => !TECH_PREVIEW_FEATURES.some((feature) => hasTechPreview([value], feature)),
  );
  if (unknown === undefined) return;
  const said = unknown.trim() === "" ? "no feature" : JSON.stringify(unknown);
  throw new UsageError(
    `${where} names ${said}: the only tech-preview feature is ${TECH_PREVIEW_FEATURES.join(", ")}.`,
    {
      code: "USAGE_TECH_PREVIEW",
      hint: "Write --tech-preview rhdl (tech_preview: [rhdl] in a settings file) to fetch files through the RHDL gateway, or leave it out.",
    },
  );
}

/** Flags of the command line's topic that --all makes meaningless. */
const TOPIC_FLAGS = [
  ["arch", "--arch"],
  ["variant", "--variant"],
  ["packageFilter", "--package-filter"],
] as const;

/** Flags applied to every topic that --all makes meaningless when every topic has it. */
const EVERY_TOPIC_FLAGS = [
  ["debug", "--debug"],
  ["src", "--src"],
  ["iso", "--iso"],
] as const;

function ignored(flag: string, by: string): UsageError {
  return new UsageError(
    `${flag} is ignored with ${by}, which keeps every file of a compose, whatever its arch, variant, package, debug, source or ISO tree.`,
    {
      code: "USAGE_IGNORED_BY_ALL",
      hint: `Leave out ${flag}, or leave out ${by} to keep only what ${flag} selects; --include and --exclude globs still apply with --all.`,
    },
  );
}

/**
 * Throws UsageError USAGE_IGNORED_BY_ALL when a selection flag given on the command line would be
 * ignored because its topic (or every topic) mirrors everything (`--all`, `download_everything`).
 */
export function refuseIgnoredByAll(cli: CliSettings, topics: readonly TopicSettings[]): void {
  const by = (topic: TopicSettings) =>
    cli.all === true ? "--all" : `download_everything: true (topic ${topic.name})`;
  const name = present(cli.topic)?.trim();
  const cliTopic = topics.find((topic) => topic.name === name);
  if (cliTopic?.all === true) {
    const given = TOPIC_FLAGS.find(([key]) => cli[key] !== undefined);
    if (given !== undefined) throw ignored(given[1], by(cliTopic));
  }
  const [first] = topics;
  if (first === undefined || !topics.every((topic) => topic.all === true)) return;
  const given = EVERY_TOPIC_FLAGS.find(([key]) => cli[key] === true);
  if (given !== undefined) throw ignored(given[1], by(first));
}
