/**
 * "Did you mean --variant?" for unknown flags: the nearest known flag by edit distance.
 */
/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
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
  const [best] = [...knownFlags]
    .map((flag) => ({ flag, distance: editDistance(unknown, flag) }))
    .sort((a, b) => a.distance - b.distance);
  return best !== undefined && best.distance <= Math.max(2, Math.floor(unknown.length / 3))
    ? ` Did you mean --${best.flag}?`
    : "";
}
