// dci-mirror(1), as `npm run build` writes it (dist/dci-mirror.1) and the npm package and the RPM
// ship it: rendered by the real man and groff, and compared with what `--help` prints, so the
// two cannot drift apart.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, cleanEnv, runCli } from "../helpers/run-cli.js";
import { REPO_ROOT, runTool } from "../helpers/run-tool.js";

const MAN_PAGE = join(REPO_ROOT, "dist/dci-mirror.1");

/** The page as man shows it, 100 columns wide, in plain text. */
let rendered: string;

beforeAll(async () => {
  const man = await runTool("man", ["-l", MAN_PAGE], { env: cleanEnv({ MANWIDTH: "100" }) });
  expect(man.exitCode, man.stderr).toBe(0);
  rendered = man.stdout;
});

/** The lines of a section of the rendered page: from its heading to the next one of its level. */
function sectionLines(heading: RegExp, nextHeading: RegExp): string {
  const lines = rendered.split("\n");
  const start = lines.findIndex((line) => heading.test(line));
  expect(start, String(heading)).toBeGreaterThanOrEqual(0);
  const length = lines.slice(start + 1).findIndex((line) => nextHeading.test(line));
  return lines.slice(start, length < 0 ? undefined : start + 1 + length).join("\n");
}

/** A command's sub-section of COMMANDS, following "the same options as X" to X's. */
function commandSection(name: string): string {
  const text = sectionLines(new RegExp(`^ {3}dci-mirror \\[?${name}\\b`), /^( {3}\S|\S)/);
  const twin = /same arguments and options as (\S+)\./.exec(text)?.[1];
  return twin === undefined ? text : `${text}\n${commandSection(twin)}`;
}

/** [flag, the start of its description] for each option a `--help` text lists. */
function helpOptions(help: string): Array<readonly [string, string]> {
  const options: Array<readonly [string, string]> = [];
  for (const match of help.matchAll(/^ {2}(?:(-\w), )?\s*(--[\w-]+)\s{2,}(\S.*?)(?:\s{2,}|$)/gm)) {
    const [, alias, flag = "", description = ""] = match;
    options.push([flag, description.slice(0, 30)]);
    if (alias !== undefined) options.push([alias, description.slice(0, 30)]);
  }
  return options;
}

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function flat(text: string): string {
  return text.replace(/\s+/g, " ").toLowerCase();
}

describe("the man page", () => {
  it("has every command that --help lists, with every flag and description its --help shows", async () => {
    const rootHelp = await runCli(["--help"]);
    const commandList = /^Commands:\n([\s\S]*?)\n\n/m.exec(rootHelp.stdout)?.[1] ?? "";
    const commands = [...commandList.matchAll(/^ {2}dci-mirror (\w+)/gm)].map(
      ([, name]) => name ?? "",
    );
    expect(commands).toContain("sync");
    expect(commands.length).toBeGreaterThanOrEqual(10);
    const globals = flat(sectionLines(/^OPTIONS$/, /^\S/));
    for (const command of commands) {
      const help = await runCli([command, "--help"]);
      expect(help.exitCode).toBe(0);
      const options = helpOptions(help.stdout);
      expect(options.length, command).toBeGreaterThan(3);
      const section = flat(commandSection(command));
      for (const [flag, description] of options) {
        // The option's entry: the flag (and its alias), its value's name, then its description.
        const entry = new RegExp(
          `${literal(flag)}(?:, -\\w)? (?:\\S+ )?${literal(flat(description))}`,
        );
        const where = entry.test(section) ? section : globals;
        expect(where, `${command} ${flag}: ${description}`).toMatch(entry);
      }
    }
  });

  it("lists every exit code that --help lists, with its meaning", async () => {
    const help = await runCli(["--help"]);
    const codes = [...help.stdout.matchAll(/^ {2}( {0,2}\d+) {2}(.+)$/gm)];
    expect(codes.length).toBeGreaterThanOrEqual(10);
    const exitStatus = flat(sectionLines(/^EXIT STATUS$/, /^\S/));
    for (const [, code = "", meaning = ""] of codes)
      expect(exitStatus).toContain(`${code.trim()} ${flat(meaning)}`);
  });

  it("has the sections --help lacks: files, environment, exit status, examples", () => {
    for (const heading of ["NAME", "SYNOPSIS", "FILES", "ENVIRONMENT", "EXIT STATUS", "EXAMPLES"])
      expect(rendered).toMatch(new RegExp(`^${heading}$`, "m"));
    expect(sectionLines(/^FILES$/, /^\S/)).toContain("/etc/dci-mirror/dcirc.sh");
    expect(sectionLines(/^ENVIRONMENT$/, /^\S/)).toContain("DCI_API_SECRET");
    expect(sectionLines(/^EXAMPLES$/, /^\S/)).toContain("systemctl enable --now dci-mirror@");
  });

  it("renders with groff -ww and man -l without a warning", async () => {
    const groff = await runTool("groff", ["-ww", "-man", "-Tutf8", "-z", MAN_PAGE]);
    expect(groff.stderr).toBe("");
    expect(groff.exitCode).toBe(0);
    const man = await runTool("man", ["--warnings=w", "-l", MAN_PAGE], { env: cleanEnv() });
    expect(man.stderr).toBe("");
    // The check is not blind: an undefined macro is reported.
    const broken = join(await mkdtemp(join(tmpdir(), "dci-mirror-man-")), "broken.1");
    await writeFile(broken, `${await readFile(MAN_PAGE, "utf8")}.XY not a macro\n`);
    const refused = await runTool("groff", ["-ww", "-man", "-Tutf8", "-z", broken]);
    expect(refused.stderr).toMatch(/XY/);
  });

  it("is what the build made from this CLI: the version --version prints", async () => {
    const version = await runTool(process.execPath, [BIN, "--version"]);
    expect(rendered).toContain(`dci-mirror ${version.stdout.trim()}`);
  });
});
