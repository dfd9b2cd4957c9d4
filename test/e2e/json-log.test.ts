// The --json document as a log line: one line per run (sync, plan, a failed run), valid against
// docs/summary.schema.json, with when, where and by which version it ran, the warnings it gave,
// which component each folder held before, and each failed file with its reason. Real CLI, sandbox
// on 127.0.0.1.
import { readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { randomFile, textFile } from "../../src/sandbox/catalog/component-builder.js";
import { runCli } from "../helpers/run-cli.js";
import { addTestComponent, TEST_TOPIC } from "../helpers/sandbox-component.js";
import { useSandbox } from "../helpers/use-sandbox.js";

const schema = JSON.parse(
  readFileSync(new URL("../../docs/summary.schema.json", import.meta.url), "utf8"),
);
const validateSummary = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
const packageVersion: string = JSON.parse(
  readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
).version;

const box = useSandbox({
  clearFaults: true,
});

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "dci-mirror-jsonlog-"));
}

/** The one JSON line of stdout, checked against the schema. */
function documentOf(stdout: string) {
  expect(stdout.endsWith("\n")).toBe(true);
  expect(stdout.slice(0, -1)).not.toContain("\n");
  const document = JSON.parse(stdout);
  expect(validateSummary(document), JSON.stringify(validateSummary.errors)).toBe(true);
  return document;
}

function addComponent(type: string, name: string, createdAt: string) {
  return addTestComponent(box.sandbox, {
    seed: name,
    name,
    type,
    createdAt,
    files: [textFile("README", `${name}\n`), randomFile("payload/data.bin", name, 20_000)],
  });
}

describe("--json on one line", () => {
  it.each([
    ["sync", []],
    ["plan", ["plan"]],
    ["sync --dry-run", ["--dry-run"]],
  ] as const)(
    "prints %s as one line ending in one newline, with times, host, version and warnings",
    async (_, extra) => {
      const args = extra[0] === "plan" ? ["plan", TEST_TOPIC] : [TEST_TOPIC, ...extra];
      const before = Date.now();
      const result = await runCli(
        [...args, await tempDir(), "--filter", "compose", "--json"],
        box.env,
      );
      const after = Date.now();
      expect(result.exitCode).toBe(0);
      const document = documentOf(result.stdout);
      expect(document.schema).toBe("dci-mirror/summary/1");
      expect(document.version).toBe(packageVersion);
      expect(document.host).toBe(hostname());
      expect(document.warnings).toEqual([]);
      const started = Date.parse(document.startedAt);
      const finished = Date.parse(document.finishedAt);
      expect(document.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(started).toBeGreaterThanOrEqual(before);
      expect(finished).toBeGreaterThanOrEqual(started);
      expect(finished).toBeLessThanOrEqual(after);
      expect(document.dryRun).toBe(extra.length > 0);
    },
  );

  it("prints a failed run as one line too, listing each failed file with its code and reason", async () => {
    const component = addComponent("failing", "failing-1.0", "2020-01-01T00:00:00");
    box.sandbox.setFaults([{ match: "payload/data.bin", corrupt: true }]);
    const result = await runCli(
      [TEST_TOPIC, await tempDir(), "--component-id", component.id, "--json"],
      box.env,
    );
    expect(result.exitCode).toBe(6);
    const document = documentOf(result.stdout);
    expect(document.exitCode).toBe(6);
    const [entry] = document.topics[0].components;
    expect(entry.failures).toEqual([
      {
        path: "payload/data.bin",
        code: expect.stringMatching(/SHA256/),
        message: expect.stringContaining("payload/data.bin"),
        exitCode: 6,
      },
    ]);
    expect(entry.failuresOmitted).toBe(0);
  });
});

describe("which component a folder held before", () => {
  it("says the previous component of the folder (null when new), in the document and the text summary", async () => {
    const dest = await tempDir();
    const first = addComponent("changing", "changing-1.0", "2020-01-01T00:00:00");
    const args = [TEST_TOPIC, dest, "--filter", "changing"];
    const created = documentOf((await runCli([...args, "--json"], box.env)).stdout);
    const firstEntry = created.topics[0].components[0];
    expect(firstEntry).toMatchObject({ id: first.id, name: "changing-1.0", version: "1.0" });
    expect(firstEntry.previous).toBeNull();

    const second = addComponent("changing", "changing-2.0", "2020-02-01T00:00:00");
    const planned = documentOf((await runCli(["plan", ...args, "--json"], box.env)).stdout);
    const changed = documentOf((await runCli([...args, "--json"], box.env)).stdout);
    for (const document of [planned, changed]) {
      expect(document.topics[0].components[0]).toMatchObject({
        id: second.id,
        name: "changing-2.0",
        version: "2.0",
        previous: { id: first.id, name: "changing-1.0", version: "1.0" },
      });
    }
    const again = await runCli(args, box.env);
    expect(again.stdout).not.toContain("previously");
    const back = await runCli([...args, "--component-id", first.id], box.env);
    expect(back.exitCode).toBe(0);
    expect(back.stdout).toMatch(/changing changing-1\.0: .*; previously changing-2\.0$/m);
  });

  it("says the previously published snapshot in snapshot mode", async () => {
    const dest = await tempDir();
    const first = addComponent("snapped", "snapped-1.0", "2020-01-01T00:00:00");
    const args = [TEST_TOPIC, dest, "--filter", "snapped", "--snapshots", "2", "--json"];
    expect(
      documentOf((await runCli(args, box.env)).stdout).topics[0].components[0].previous,
    ).toBeNull();
    addComponent("snapped", "snapped-2.0", "2020-02-01T00:00:00");
    const document = documentOf((await runCli(args, box.env)).stdout);
    expect(document.topics[0].components[0].previous).toEqual({
      id: first.id,
      name: "snapped-1.0",
      version: "1.0",
    });
  });
});

describe("warnings", () => {
  it("lists every warning of the run in the document, and prints each on stderr as JSON", async () => {
    const dest = await tempDir();
    addComponent("warned", "warned-1.0", "2020-01-01T00:00:00");
    const args = [TEST_TOPIC, dest, "--filter", "warned", "--json"];
    expect((await runCli([...args, "--snapshots", "1"], box.env)).exitCode).toBe(0);
    const result = await runCli(args, box.env);
    expect(result.exitCode).toBe(0);
    const document = documentOf(result.stdout);
    expect(document.warnings).toEqual([
      { code: "SNAPSHOT_MODE_LEFT", message: expect.stringContaining("plain folder again") },
    ]);
    const printed = result.stderr
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(printed).toEqual([{ type: "warning", ...document.warnings[0] }]);
  });
});
