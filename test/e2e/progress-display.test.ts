// The progress display on a real terminal (a pty from util-linux `script`, 80 columns): it names
// the component being mirrored, shows the fetch phase and then, on a first run over files without
// a record, the check phase, and no line it draws is wider than the terminal.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { randomFile, textFile } from "../../src/sandbox/catalog/component-builder.js";
import { BIN } from "../helpers/run-cli.js";
import { addTestComponent } from "../helpers/sandbox-component.js";
import { useSandbox } from "../helpers/use-sandbox.js";

const SCRIPT_UNAVAILABLE = spawnSync("script", ["--version"]).status !== 0;
const COLUMNS = 80;
const LONG_PATH = `images/${"a-very-long-directory-name/".repeat(3)}disk-image-with-a-long-name.img`;
const LONG_NAME = `display-${"long-component-name-".repeat(4)}1.0`;

let componentId: string;

const box = useSandbox({
  setup: (sandbox) => {
    componentId = addTestComponent(sandbox, {
      seed: "display",
      name: LONG_NAME,
      type: "display",
      files: [
        randomFile(LONG_PATH, "disk", 6 * 1024 * 1024),
        ...Array.from({ length: 20 }, (_, index) => textFile(`notes/${index}.txt`, `${index}\n`)),
      ],
    }).id;
    // About 2 s for the image: the display is redrawn several times (5 per second).
    sandbox.setFaults([{ match: "images/**", bytesPerSecond: 3 * 1024 * 1024 }]);
  },
});

/** What a terminal of COLUMNS columns shows, as the lines drawn: escape sequences removed. */
async function runInTerminal(dest: string): Promise<string[]> {
  const cli = [process.execPath, BIN, "RHEL-9.4", dest, "--component-id", componentId];
  const command = `stty cols ${COLUMNS} rows 24; exec ${cli.map((arg) => `'${arg}'`).join(" ")}`;
  const child = spawn("script", ["-qefc", command, "/dev/null"], {
    env: box.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let printed = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    printed += chunk;
  });
  const [exitCode] = await once(child, "close");
  expect(exitCode).toBe(0);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's own escape sequences.
  const drawn = printed.split(/\u001b\[[0-9;?]*[A-Za-z]|\r|\n/);
  return drawn.filter((line) => line.trim() !== "");
}

/** The lines the display drew (the summary on stdout comes after it, with line wrap back on). */
function displayLines(lines: readonly string[]): string[] {
  return lines.filter(
    (line) => !line.startsWith("RHEL-9.4/display ") && !line.startsWith("dci-mirror: done"),
  );
}

describe.skipIf(SCRIPT_UNAVAILABLE)(
  "the progress display on an 80-column terminal (skipped without util-linux script)",
  () => {
    it("names the component, shows the fetch phase with its rate, and fits every line in the width", async () => {
      const lines = await runInTerminal(await mkdtemp(join(tmpdir(), "dci-mirror-display-")));
      for (const line of displayLines(lines))
        expect([...line].length, line).toBeLessThanOrEqual(COLUMNS);
      expect(lines).toContainEqual(
        expect.stringMatching(/^mirroring RHEL-9\.4\/display display-long.*….*-1\.0$/),
      );
      expect(lines).toContainEqual(
        expect.stringMatching(/^fetch .*\d+% .*\/21 files .*\/s {2}(ETA \S+|done)$/),
      );
      // The image's own line: its long path shortened in the middle, its numbers whole.
      expect(lines).toContainEqual(
        expect.stringMatching(/^ {4}images\/a-very.*….*\.img {2} *\d+% {2}.*\/6\.0 MiB$/),
      );
      expect(lines.join("\n")).not.toMatch(/NaN|Infinity|ETA NFs/);
    });

    it("shows the check phase with its own files and bytes on a first run over files without a record", async () => {
      const dest = await mkdtemp(join(tmpdir(), "dci-mirror-display-"));
      await runInTerminal(dest);
      // As after a move from dci-downloader: the files are there, the record of verified ones is not.
      await rm(join(dest, "RHEL-9.4", "display", ".dci-mirror", "state.json"));
      const lines = await runInTerminal(dest);
      for (const line of displayLines(lines))
        expect([...line].length, line).toBeLessThanOrEqual(COLUMNS);
      expect(lines).toContainEqual(
        expect.stringMatching(/^check .*\d+% .*\/6\.0 MiB {2}\d+\/21 files /),
      );
      expect(lines).not.toContainEqual(expect.stringMatching(/^fetch /));
    });
  },
);
