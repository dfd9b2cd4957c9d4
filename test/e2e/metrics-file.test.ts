// --metrics-file: the last run in Prometheus' text format for node_exporter's textfile collector,
// read back with a small parser of that format and checked against the same run's --json; written
// atomically, on failure too, never by a plan; a file that cannot be written fails the run with
// exit 7 once the mirror is done. Real CLI, sandbox on 127.0.0.1.
import { access, mkdtemp, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { escapeLabelValue } from "../../src/report/metrics.js";
import { randomFile, textFile } from "../../src/sandbox/catalog/component-builder.js";
import { type MetricsFile, parsePrometheusText, sampleValue } from "../helpers/prometheus-text.js";
import { runCli } from "../helpers/run-cli.js";
import { addTestComponent, TEST_TOPIC } from "../helpers/sandbox-component.js";
import { mountTmpfs, TMPFS_UNAVAILABLE } from "../helpers/tmpfs.js";
import { useSandbox } from "../helpers/use-sandbox.js";

/** Quote, backslash and line feed: every character the format escapes in a label value. */
const AWKWARD_NAME = 'metrics "quoted" \\ 1.0\nsecond line';

let componentId: string;

const box = useSandbox({
  setup: (sandbox) => {
    componentId = addTestComponent(sandbox, {
      seed: "metrics",
      name: AWKWARD_NAME,
      type: "metered",
      files: [textFile("README", "metrics\n"), randomFile("payload/data.bin", "metrics", 40_000)],
    }).id;
  },
  clearFaults: true,
});

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "dci-mirror-metrics-"));
}

async function readMetrics(path: string): Promise<MetricsFile> {
  return parsePrometheusText(await readFile(path, "utf8"));
}

/** Runs a sync with --json and --metrics-file; returns the document and the metrics read back. */
async function syncWithMetrics(extra: readonly string[] = []) {
  const folder = await tempDir();
  const path = join(folder, "dci_mirror.prom");
  const args = [TEST_TOPIC, join(folder, "mirror"), "--component-id", componentId, "--json"];
  const result = await runCli([...args, "--metrics-file", path, ...extra], box.env);
  return { result, document: JSON.parse(result.stdout), metrics: await readMetrics(path), folder };
}

describe("--metrics-file", () => {
  it("writes the run's start, end, success, exit code and per-component counts, as the --json says", async () => {
    const { result, document, metrics, folder } = await syncWithMetrics();
    expect(result.exitCode).toBe(0);
    expect(sampleValue(metrics, "dci_mirror_last_run_start_timestamp_seconds")).toBe(
      Date.parse(document.startedAt) / 1000,
    );
    expect(sampleValue(metrics, "dci_mirror_last_run_end_timestamp_seconds")).toBe(
      Date.parse(document.finishedAt) / 1000,
    );
    expect(sampleValue(metrics, "dci_mirror_last_run_success")).toBe(1);
    expect(sampleValue(metrics, "dci_mirror_last_run_exit_code")).toBe(0);
    const [component] = document.topics[0].components;
    // The name's quote, backslash and line feed came back through the format's escapes.
    const labels = { topic: TEST_TOPIC, type: "metered", component: AWKWARD_NAME };
    expect(component.name).toBe(AWKWARD_NAME);
    expect(sampleValue(metrics, "dci_mirror_files", labels)).toBe(component.files);
    expect(sampleValue(metrics, "dci_mirror_bytes", labels)).toBe(component.bytes);
    expect(sampleValue(metrics, "dci_mirror_fetched_files", labels)).toBe(component.downloaded);
    expect(sampleValue(metrics, "dci_mirror_fetched_bytes", labels)).toBe(
      component.bytesTransferred,
    );
    expect(sampleValue(metrics, "dci_mirror_failed_files", labels)).toBe(0);
    expect(sampleValue(metrics, "dci_mirror_removed_entries", labels)).toBe(0);
    for (const name of new Set(metrics.samples.map((sample) => sample.name))) {
      expect(name).toMatch(/^dci_mirror_/);
      expect(metrics.types.get(name)).toBe("gauge");
      expect(metrics.helps.get(name)).not.toBe("");
    }
    // Renamed into place: no temporary file is left beside it.
    expect((await readdir(folder)).sort()).toEqual(["dci_mirror.prom", "mirror"]);
  });

  it("writes a failed run too, with success 0, its exit code and the failed files", async () => {
    box.sandbox.setFaults([{ match: "payload/data.bin", corrupt: true }]);
    const { result, document, metrics } = await syncWithMetrics();
    expect(result.exitCode).toBe(6);
    expect(document.exitCode).toBe(6);
    expect(sampleValue(metrics, "dci_mirror_last_run_success")).toBe(0);
    expect(sampleValue(metrics, "dci_mirror_last_run_exit_code")).toBe(6);
    const labels = { topic: TEST_TOPIC, type: "metered" };
    expect(sampleValue(metrics, "dci_mirror_failed_files", labels)).toBe(1);
  });

  it("writes a run stopped before it mirrored anything (credentials refused), without per-component samples", async () => {
    const path = join(await tempDir(), "dci_mirror.prom");
    const refused = { ...box.env, DCI_API_SECRET: "not-the-secret" };
    const result = await runCli([TEST_TOPIC, await tempDir(), "--metrics-file", path], refused);
    expect(result.exitCode).toBe(3);
    const metrics = await readMetrics(path);
    expect(sampleValue(metrics, "dci_mirror_last_run_exit_code")).toBe(3);
    expect(sampleValue(metrics, "dci_mirror_last_run_success")).toBe(0);
    expect(metrics.samples.some((sample) => sample.name === "dci_mirror_files")).toBe(false);
  });

  it("fails with exit 7 naming the file when it cannot be written, after the mirror is complete", async () => {
    const folder = await tempDir();
    const path = join(folder, "missing-folder", "dci_mirror.prom");
    const dest = join(folder, "mirror");
    const args = [TEST_TOPIC, dest, "--component-id", componentId, "--metrics-file", path];
    const result = await runCli(args, box.env);
    expect(result.exitCode).toBe(7);
    expect(result.stderr).toContain(`Could not write the metrics file ${path}`);
    expect(result.stderr).toContain("The mirror run itself finished");
    expect(result.stdout).toMatch(/finished with errors \(exit code 7\)/);
    await access(join(dest, TEST_TOPIC, "metered", "payload", "data.bin"));
    const json = await runCli([...args, "--json"], box.env);
    expect(json.exitCode).toBe(7);
    expect(JSON.parse(json.stdout).exitCode).toBe(7);
    expect(JSON.parse(json.stderr.trim())).toMatchObject({ code: "METRICS_FILE", exitCode: 7 });
  });

  it("takes metrics_file from a settings file, the command line winning; a plan writes none", async () => {
    const folder = await tempDir();
    const fromFile = join(folder, "from-file.prom");
    const settings = join(folder, "settings.yml");
    await writeFile(settings, `metrics_file: ${fromFile}\n`);
    const args = [TEST_TOPIC, join(folder, "mirror"), "--component-id", componentId];
    expect((await runCli(["plan", ...args, "--settings", settings], box.env)).exitCode).toBe(0);
    await expect(access(fromFile)).rejects.toThrow();
    expect((await runCli([...args, "--settings", settings], box.env)).exitCode).toBe(0);
    expect(sampleValue(await readMetrics(fromFile), "dci_mirror_last_run_success")).toBe(1);
    const fromFlag = join(folder, "from-flag.prom");
    const flagged = [...args, "--settings", settings, "--metrics-file", fromFlag];
    expect((await runCli(flagged, box.env)).exitCode).toBe(0);
    await access(fromFlag);
  });
});

describe("label values", () => {
  it.each([
    ["plain", "plain"],
    ['a "quote"', 'a \\"quote\\"'],
    ["back\\slash", "back\\\\slash"],
    ["two\nlines", "two\\nlines"],
  ])("escapes %j as %j", (value, escaped) => {
    expect(escapeLabelValue(value)).toBe(escaped);
  });
});

describe("--metrics-file on a local fault", () => {
  it("replaces a symlink at PATH by the file, and leaves the file it pointed to alone", async () => {
    const folder = await tempDir();
    const outside = join(folder, "outside.txt");
    await writeFile(outside, "not a metrics file\n");
    const path = join(folder, "dci_mirror.prom");
    await symlink(outside, path);
    const args = [TEST_TOPIC, join(folder, "mirror"), "--component-id", componentId];
    expect((await runCli([...args, "--metrics-file", path], box.env)).exitCode).toBe(0);
    expect(await readFile(outside, "utf8")).toBe("not a metrics file\n");
    expect(sampleValue(await readMetrics(path), "dci_mirror_last_run_success")).toBe(1);
    expect(await readdir(folder)).toEqual(["dci_mirror.prom", "mirror", "outside.txt"]);
  });

  it.skipIf(TMPFS_UNAVAILABLE !== undefined)(
    `on a full disk: exit 7, the previous metrics file intact, no temp file left (${TMPFS_UNAVAILABLE ?? "tmpfs"})`,
    async () => {
      const disk = await mountTmpfs(64 * 1024);
      try {
        const path = join(disk.path, "dci_mirror.prom");
        const previous = "dci_mirror_last_run_success 1\n";
        await writeFile(path, previous);
        // Fill what is left: the write stops at ENOSPC with the bytes it could place.
        await writeFile(join(disk.path, "filler"), Buffer.alloc(128 * 1024)).catch(() => undefined);
        const dest = join(await tempDir(), "mirror");
        const args = [TEST_TOPIC, dest, "--component-id", componentId, "--metrics-file", path];
        const result = await runCli(args, box.env);
        expect(result.exitCode).toBe(7);
        expect(result.stderr).toContain(`No space left on the device holding ${path}`);
        await access(join(dest, TEST_TOPIC, "metered", "payload", "data.bin"));
        expect(await readFile(path, "utf8")).toBe(previous);
        expect((await readdir(disk.path)).sort()).toEqual(["dci_mirror.prom", "filler"]);
      } finally {
        await disk.unmount();
      }
    },
  );
});
