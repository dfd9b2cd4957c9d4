/**
 * Reads a `dcirc.sh` credentials file as data, never executing it: shell
 * assignments (`NAME=VALUE`, `export NAME=VALUE`, quoted or bare) and the YAML flavour
 * (`NAME: value`). Pure: text in, variables out.
 */

const NAME = "[A-Za-z_][A-Za-z0-9_]*";
const ASSIGNMENT = new RegExp(`^(?:export\\s+)?(${NAME})=(.*)$`);
const EXPORT_ONLY = new RegExp(`^export(?:\\s+${NAME})+\\s*$`);
const YAML_PAIR = new RegExp(`^(${NAME}):(?:\\s+(.*))?$`);

/** One value in shell syntax: single-quoted, double-quoted (with escapes) or bare. */
function readShellValue(raw: string): string {
  let value = "";
  let index = 0;
  while (index < raw.length) {
    const char = raw[index] ?? "";
    if (char === "'") {
      const end = raw.indexOf("'", index + 1);
      const stop = end === -1 ? raw.length : end;
      value += raw.slice(index + 1, stop);
      index = stop + 1;
    } else if (char === '"') {
      index++;
      while (index < raw.length && raw[index] !== '"') {
        const next = raw[index + 1] ?? "";
        if (raw[index] === "\\" && '"\\$`'.includes(next) && next !== "") {
          value += next;
          index += 2;
        } else {
          value += raw[index];
          index++;
        }
      }
      index++;
    } else if (/\s/.test(char) || char === "#" || char === ";") {
      break;
    } else if (char === "\\" && index + 1 < raw.length) {
      value += raw[index + 1];
      index += 2;
    } else {
      value += char;
      index++;
    }
  }
  return value;
}

/** A YAML scalar on one line: quoted or plain, with a trailing ` # comment` removed. */
function readYamlValue(raw: string): string {
  const trimmed = raw.trim();
  const quoted = /^(['"])(.*)\1$/.exec(trimmed);
  if (quoted) return quoted[2] ?? "";
  return trimmed.replace(/\s+#.*$/, "");
}

/**
 * Parses the text of a dcirc file into its variables. Later assignments win; lines that are not
 * assignments (comments, `export NAME…`, shebangs) carry no value and are skipped.
 */
export function parseDcirc(text: string): Readonly<Record<string, string>> {
  const variables: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#") || line === "---" || EXPORT_ONLY.test(line)) continue;
    const assignment = ASSIGNMENT.exec(line);
    if (assignment?.[1] !== undefined) {
      variables[assignment[1]] = readShellValue(assignment[2] ?? "");
      continue;
    }
    const pair = YAML_PAIR.exec(line);
    if (pair?.[1] !== undefined) variables[pair[1]] = readYamlValue(pair[2] ?? "");
  }
  return variables;
}
