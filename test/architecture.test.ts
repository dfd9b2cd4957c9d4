// The project's import rules: the pure zone does no I/O and reads no clock, only named modules
// touch the network, the file system or the process, and the mirror's stages never load the sandbox.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = new URL("../src/", import.meta.url).pathname;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(directory, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(directory, entry.name)]
        : [],
  );
}

/** The code without comments and string contents, so prose cannot trip the checks below. */
function codeOnly(text: string): string {
  let out = "";
  for (let index = 0; index < text.length; index++) {
    const char = text[index] ?? "";
    const next = text[index + 1] ?? "";
    if (char === "/" && next === "/") {
      const lineEnd = text.indexOf("\n", index);
      index = lineEnd === -1 ? text.length : lineEnd - 1;
    } else if (char === "/" && next === "*") {
      index = text.indexOf("*/", index + 2) + 1;
    } else if (char === '"' || char === "'" || char === "`") {
      let end = index + 1;
      while (end < text.length && text[end] !== char) end += text[end] === "\\" ? 2 : 1;
      out += `${char}${char}`;
      index = end;
    } else {
      out += char;
    }
  }
  return out;
}

const files = sourceFiles(SRC).map((path) => {
  const text = readFileSync(path, "utf8");
  return { path: relative(SRC, path), text, code: codeOnly(text) };
});

function valueImports(text: string): string[] {
  return [...text.matchAll(/^import\s+(?!type\s)[^;]*?from\s+"([^"]+)"/gms)].map(
    (match) => match[1] ?? "",
  );
}

const PURE_ZONE = [
  /^signing\/(canonical|sign|verify)\.ts$/,
  /^http\/(backoff|headers)\.ts$/,
  /^tree\/bookkeeping\.ts$/,
  /^api\/(endpoints|latest)\.ts$/,
  /^config\/(resolve|settings-file|rhel-names|component-filter|run-settings|library-settings)\.ts$/,
  /^credentials\/(dcirc|credentials)\.ts$/,
  /^(model|errors|failures|events|units)\.ts$/,
  /^filtering\//,
  /^planning\//,
  /^report\/(summary|json)\.ts$/,
  /^containers\/images\.ts$/,
  /^sandbox\/query\//,
  /^sandbox\/api\/(visibility|serialize)\.ts$/,
  /^sandbox\/store\/presign\.ts$/,
];
const NETWORK_ALLOWED = [
  /^api\/(transport|signed-exchange|store-reader)\.ts$/,
  /^transfer\/download\.ts$/,
  /^sandbox\//,
];
const FS_ALLOWED = [
  /^tree\//,
  // skopeo's source file holds the pull password: written 0600 in a private temp folder, then removed.
  /^containers\/skopeo\.ts$/,
  /^transfer\/(partial|partial-open|verify)\.ts$/,
  /^(config|credentials)\/read-[a-z-]+\.ts$/,
  /^sandbox\//,
];
const PROCESS_ALLOWED = [/^cli\//, /^report\//];
const CLOCK_OR_RANDOM = /Date\.now\(|Math\.random\(|new Date\(\)/;

describe("architecture", () => {
  it("finds the source files", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it("sees code, not comments or strings", () => {
    expect(codeOnly('const a = "process.env"; // Date.now()\n/* any */ const b = 1;')).toBe(
      'const a = ""; \n const b = 1;',
    );
    expect(CLOCK_OR_RANDOM.test(codeOnly("const t = Date.now();"))).toBe(true);
  });

  it.each(files.map((file) => [file.path, file] as const))(
    "%s follows the import rules",
    (path, file) => {
      const imports = valueImports(file.text);
      const isPure = PURE_ZONE.some((rule) => rule.test(path));
      if (isPure) {
        expect(
          imports.filter((name) => /^(node:(fs|net|http|https)|undici)/.test(name)),
          "pure zone does I/O",
        ).toEqual([]);
        expect(CLOCK_OR_RANDOM.test(file.code), "pure zone reads the clock or randomness").toBe(
          false,
        );
        expect(/\bprocess\./.test(file.code), "pure zone touches process").toBe(false);
      }
      if (!NETWORK_ALLOWED.some((rule) => rule.test(path))) {
        expect(
          imports.filter((name) => name === "undici" || /^node:(net|http|https)$/.test(name)),
          "network import",
        ).toEqual([]);
      }
      if (!FS_ALLOWED.some((rule) => rule.test(path))) {
        expect(
          imports.filter((name) => /^node:fs/.test(name)),
          "file system import",
        ).toEqual([]);
      }
      if (!PROCESS_ALLOWED.some((rule) => rule.test(path))) {
        expect(
          /process\.(argv|env|exit|exitCode|stdout|stderr|on)\b/.test(file.code),
          "process access",
        ).toBe(false);
      }
      expect(/^export default/m.test(file.text), "default export").toBe(false);
      expect(/\bas any\b|:\s*any\b/.test(file.code), "any").toBe(false);
      expect(/@ts-ignore/.test(file.text), "ts-ignore").toBe(false);
    },
  );

  it("keeps the sandbox out of the mirror's stages (the CLI and index may use it)", () => {
    const stages = files.filter((file) =>
      /^(api|config|selection|filtering|planning|transfer|tree|report)\//.test(file.path),
    );
    for (const file of stages) {
      expect(
        valueImports(file.text).filter((name) => name.includes("/sandbox/")),
        file.path,
      ).toEqual([]);
    }
  });
});
