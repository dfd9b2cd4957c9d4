// Reads a TypeScript file the way the architecture check needs it: the code with comments and
// the insides of strings, templates and regular expressions blanked (same length, newlines kept,
// quotes kept), and the imports found in that code with their specifiers read from the original.

const WORD = /[\w$]/;
/** After these, a `/` starts a regular expression rather than a division. */
const BEFORE_REGEX = new Set("(,=:[!&|?{};+-*%<>~^".split(""));
const KEYWORDS_BEFORE_REGEX = new Set(
  "return typeof case do else in of new delete void throw yield await instanceof".split(" "),
);

/** The code with comments and literal contents turned to spaces; offsets and lines unchanged. */
export function maskSource(text: string): string {
  const out = text.split("");
  const blank = (from: number, to: number) => {
    for (let k = from; k < to && k < out.length; k++) if (out[k] !== "\n") out[k] = " ";
  };
  const substitutions: number[] = []; // brace depth at which each open `${` closes
  let depth = 0;
  let last = "";
  let index = 0;
  // Blanks template text from `from` to the closing backtick or the next `${`; returns where to go on.
  const template = (from: number): number => {
    for (let k = from; k < text.length; k++) {
      if (text[k] === "\\") k++;
      else if (text[k] === "`") {
        blank(from, k);
        return k + 1;
      } else if (text[k] === "$" && text[k + 1] === "{") {
        blank(from, k);
        substitutions.push(depth);
        return k + 2;
      }
    }
    blank(from, text.length);
    return text.length;
  };
  while (index < text.length) {
    const char = text[index] ?? "";
    const next = text[index + 1] ?? "";
    if (char === "/" && next === "/") {
      const end = text.indexOf("\n", index);
      blank(index, end === -1 ? text.length : end);
      index = end === -1 ? text.length : end;
    } else if (char === "/" && next === "*") {
      const end = text.indexOf("*/", index + 2);
      blank(index, end === -1 ? text.length : end + 2);
      index = end === -1 ? text.length : end + 2;
    } else if (char === '"' || char === "'") {
      const end = stringEnd(text, index, char);
      blank(index + 1, end);
      index = end + 1;
      last = "value";
    } else if (char === "`") {
      index = template(index + 1);
      last = "value";
    } else if (
      char === "/" &&
      (last === "" || BEFORE_REGEX.has(last) || KEYWORDS_BEFORE_REGEX.has(last))
    ) {
      const end = regexEnd(text, index);
      blank(index + 1, end);
      index = end + 1;
      last = "value";
    } else if (char === "}" && substitutions.at(-1) === depth) {
      substitutions.pop();
      index = template(index + 1);
      last = "value";
    } else if (WORD.test(char)) {
      let end = index;
      while (end < text.length && WORD.test(text[end] ?? "")) end++;
      last = text.slice(index, end);
      index = end;
    } else {
      if (char === "{") depth++;
      if (char === "}") depth--;
      if (!/\s/.test(char)) last = char;
      index++;
    }
  }
  return out.join("");
}

function stringEnd(text: string, start: number, quote: string): number {
  let k = start + 1;
  while (k < text.length && text[k] !== quote && text[k] !== "\n") k += text[k] === "\\" ? 2 : 1;
  return k;
}

/** The closing `/` of the regular expression opened at `start` (the opening `/` when it is not one). */
function regexEnd(text: string, start: number): number {
  let inClass = false;
  for (let k = start + 1; k < text.length; k++) {
    const char = text[k];
    if (char === "\\") k++;
    else if (char === "\n") return start;
    else if (char === "[") inClass = true;
    else if (char === "]") inClass = false;
    else if (char === "/" && !inClass) return k;
  }
  return start;
}

export type ImportKind = "import" | "re-export" | "dynamic" | "require";

export interface ImportRef {
  /** What is loaded; undefined when it is computed (a variable, a template with `${}`). */
  readonly specifier: string | undefined;
  readonly kind: ImportKind;
  /** `import type` / `export type`: erased at build, so it loads nothing at run time. */
  readonly typeOnly: boolean;
  readonly line: number;
  /** The code that loads it, as written up to the specifier (`import(`, `createRequire(`...). */
  readonly code: string;
}

const FORMS: readonly { kind: ImportKind; pattern: RegExp }[] = [
  { kind: "import", pattern: /\bimport\s+(type\s+)?[\w$*{][^;]*?\bfrom\s*(?=["'])/g },
  { kind: "import", pattern: /\bimport\s*(?=["'])/g },
  {
    kind: "re-export",
    pattern: /\bexport\s+(type\s+)?(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s*from\s*(?=["'])/g,
  },
  { kind: "dynamic", pattern: /(?<![\w$.])import\s*\(\s*/g },
  { kind: "require", pattern: /(?<![\w$])(?:createRequire|require)\s*\(\s*/g },
];

/** Every import, re-export, dynamic import and require call in the file's code. */
export function findImports(text: string, masked: string): ImportRef[] {
  const found: { at: number; ref: ImportRef }[] = [];
  for (const { kind, pattern } of FORMS) {
    for (const match of masked.matchAll(pattern)) {
      const start = match.index;
      const literalAt = start + match[0].length;
      const specifier = literalAt < masked.length ? literal(text, masked, literalAt) : undefined;
      const typeOnly = match[1] !== undefined || /\btypeof\s*$/.test(masked.slice(0, start));
      const line = masked.slice(0, start).split("\n").length;
      const code = match[0].replace(/\s+/g, " ").trim();
      found.push({ at: start, ref: { specifier, kind, typeOnly, line, code } });
    }
  }
  return found.sort((a, b) => a.at - b.at).map((entry) => entry.ref);
}

/** The contents of the string or plain template literal at `at`; undefined for anything else. */
function literal(text: string, masked: string, at: number): string | undefined {
  const quote = masked[at];
  if (quote !== '"' && quote !== "'" && quote !== "`") return undefined;
  const end = masked.indexOf(quote, at + 1);
  if (end === -1 || masked.slice(at, end).includes("${")) return undefined;
  return text.slice(at + 1, end);
}
