/** SQL `LIKE` patterns as regular expressions, for the sandbox's list filters. Pure. */

/** SQL LIKE: `%` any run, `_` one character, backslash escapes the next character. */
export function likeToRegExp(pattern: string, ignoreCase: boolean): RegExp {
  let source = "";
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index] ?? "";
    if (char === "\\" && index + 1 < pattern.length) {
      index++;
      source += escapeRegExp(pattern[index] ?? "");
    } else if (char === "%") source += "[\\s\\S]*";
    else if (char === "_") source += "[\\s\\S]";
    else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`, ignoreCase ? "iu" : "u");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
