/**
 * "Did you mean --variant?" for unknown flags: the nearest known flag by edit distance.
 */
import { closestName } from "../config/closest-name.js";

/**
 * For yargs' "Unknown argument(s): x, y", a ` Did you mean --z?` for the first unknown flag,
 * among `knownFlags` (the flags of the command being parsed).
 */
export function suggestFlag(
  message: string,
  argv: readonly string[],
  knownFlags: readonly string[],
): string {
  const match = /^Unknown arguments?: (.+)$/.exec(message);
  if (match === null) return "";
  const unknown = (match[1] ?? "").split(", ")[0] ?? "";
  if (!argv.some((arg) => arg === `--${unknown}` || arg.startsWith(`--${unknown}=`))) return "";
  const best = closestName(unknown, knownFlags);
  return best === undefined ? "" : ` Did you mean --${best}?`;
}
