// A first Ctrl-C stops the run gracefully and says what it did so far: the files done, failed and
// not done, and the bytes received, as text or as the --json document with exit code 130.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { randomFile, textFile } from "../../src/sandbox/catalog/component-builder.js";
import { BIN } from "../helpers/run-cli.js";
import { addTestComponent } from "../helpers/sandbox-component.js";
import { useSandbox } from "../helpers/use-sandbox.js";

const schema = JSON.parse(
  readFileSync(new URL("../../docs/summary.schema.json", import.meta.url), "utf8"),
);
const validateSummary = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

let componentId: string;

const box = useSandbox({
  setup: (sandbox) => {
    componentId = addTestComponent(sandbox, {
      seed: "interrupted",
      name: "stopped-1.0",
      type: "stopped",
      files: [
        textFile("a.txt", "a\n"),
        textFile("b.txt", "b\n"),
        textFile("c.txt", "c\n"),
        randomFile("images/disk.img", "disk", 4 * 1024 * 1024),
      ],
    }).id;
    // The image drips, so the run is still busy with it when the Ctrl-C comes.
    sandbox.setFaults([{ match: "images/disk.img", bytesPerSecond: 32 * 1024 }]);
  },
});

/** Resolves once the small files are in place and the image's partial holds bytes. */
async function busyWithTheImage(folder: string): Promise<void> {
  const partialDir = join(folder, ".dci-mirror", "partial");
  for (;;) {
    const placed = await readdir(folder).catch(() => [] as string[]);
    const partials = await readdir(partialDir).catch(() => [] as string[]);
    const sizes = await Promise.all(
      partials.map(
        async (name) => (await stat(join(partialDir, name)).catch(() => undefined))?.size,
      ),
    );
    if (["a.txt", "b.txt", "c.txt"].every((name) => placed.includes(name)) && sizes.some(Boolean))
      return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Runs the CLI, sends one SIGINT once it is busy with the image, and collects its output. */
async function interruptedRun(extraArgs: readonly string[]) {
  const dest = await mkdtemp(join(tmpdir(), "dci-mirror-stopped-"));
  const args = [BIN, "RHEL-9.4", dest, "--component-id", componentId, ...extraArgs];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: box.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  await busyWithTheImage(join(dest, "RHEL-9.4", "stopped"));
  child.kill("SIGINT");
  const [exitCode] = await once(child, "close");
  return { exitCode, stdout, stderr };
}

describe("a run stopped by Ctrl-C", () => {
  it("prints what it did so far on stdout, then why it stopped, and exits 130", async () => {
    const result = await interruptedRun([]);
    expect(result.exitCode).toBe(130);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^RHEL-9\.4\/stopped stopped-1\.0: 4 files, 4\.0 MiB; 3 downloaded, 0 up to date, 0 removed, 1 not done; /,
    );
    expect(lines.at(-1)).toMatch(
      /^dci-mirror: interrupted after \d+\.\d s: 3 files done, 0 failed, 1 not done; \d.* of 4\.0 MiB received$/,
    );
    expect(lines.at(-1)).not.toMatch(/; 6 B of/);
    expect(result.stderr).toContain("Interrupted by SIGINT");
  });

  it("prints the --json document of what it did so far, with exit code 130", async () => {
    const result = await interruptedRun(["--json"]);
    expect(result.exitCode).toBe(130);
    const document = JSON.parse(result.stdout);
    expect(validateSummary(document), JSON.stringify(validateSummary.errors)).toBe(true);
    expect(document.exitCode).toBe(130);
    expect(document.totals).toMatchObject({ files: 4, downloaded: 3, failed: 0 });
    expect(document.topics[0].components[0]).toMatchObject({ type: "stopped", downloaded: 3 });
    expect(JSON.parse(result.stderr.trim().split("\n").at(-1) ?? "")).toMatchObject({
      code: "INTERRUPTED",
      exitCode: 130,
    });
  });
});
