// User-facing text (messages and hints in src/, the README, the JSON schema in docs/) refers only
// to what ships in the repository: never to the design notes or the style guide the project was
// written from, which users do not have.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** References to documents that do not ship: the protocol notes and the style guide. */
const UNSHIPPED = [
  /PROTOCOL\.md/i,
  /STYLE\.md/i,
  /style guide/i,
  /house style/i,
  /\/work\/shared/i,
];

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** Each `file:line: text` of `text` that names an unshipped document. */
function unshippedReferences(file: string, text: string): string[] {
  return text
    .split("\n")
    .flatMap((line, index) =>
      UNSHIPPED.some((pattern) => pattern.test(line))
        ? [`${file}:${index + 1}: ${line.trim()}`]
        : [],
    );
}

describe("user-facing text", () => {
  it("names no document that does not ship, in src/, README.md or docs/", () => {
    const files = [
      ...filesUnder(join(ROOT, "src")),
      join(ROOT, "README.md"),
      ...filesUnder(join(ROOT, "docs")),
    ];
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((path) =>
      unshippedReferences(relative(ROOT, path), readFileSync(path, "utf8")),
    );
    expect(found).toEqual([]);
  });

  it.each([
    'hint: "See PROTOCOL.md section 4.2 for the settings format."',
    "// as the house style says",
    "see the Style Guide",
    "read /work/shared/STYLE.md first",
  ])("notices %j", (line) => {
    expect(unshippedReferences("x.ts", `ok\n${line}\n`)).toEqual([`x.ts:2: ${line}`]);
  });
});
