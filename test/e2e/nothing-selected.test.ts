// A request that selects nothing is a failure (exit 4, NOTHING_SELECTED) that says what the topic
// has: a mistyped --filter type or tag, a topic without an active component, package filters that
// match no package (dci-downloader read them as regular expressions, so `kernel-[0-9]` matched
// nothing and it exited 0). Nothing is touched on disk. Real CLI, sandbox on 127.0.0.1.
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { readTree } from "../helpers/tree.js";
import { useSandbox } from "../helpers/use-sandbox.js";

const schema = JSON.parse(
  readFileSync(new URL("../../docs/summary.schema.json", import.meta.url), "utf8"),
);
const validateSummary = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

const box = useSandbox({
  setup: (sandbox) => {
    const rhel = sandbox.catalog.topics.find((topic) => topic.name === "RHEL-9.4");
    if (rhel === undefined) throw new Error("the tiny sandbox has no RHEL-9.4 topic");
    // Same product as RHEL-9.4 (so the sandbox credentials see it), but no component at all.
    sandbox.addTopic({ ...rhel, id: "00000000-0000-4000-8000-0000000e3771", name: "RHEL-9.9" });
  },
});

async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `dci-mirror-${prefix}-`));
}

describe("a --filter that matches no component", () => {
  it("exits 4 for a mistyped tag, listing the topic's types with their tags, and creates nothing", async () => {
    const dest = await tempDir("nighty");
    const result = await runCli(["RHEL-9.4", dest, "--filter", "compose:nighty"], box.env);
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain(
      "Topic RHEL-9.4 has no active component for filter compose:nighty. It has: compose (tags: ",
    );
    expect(result.stderr).toMatch(/compose \(tags: [^)]*\bnightly\b[^)]*\)/);
    expect(result.stderr).toMatch(/compose-noinstall \(tags: [^)]*\)/);
    expect(result.stdout).toContain("RHEL-9.4: FAILED [NOTHING_SELECTED]");
    expect(await readdir(dest)).toEqual([]);
  });

  it("exits 4 for a mistyped type, and says that types and tags are matched literally when one looks like a pattern", async () => {
    const dest = await tempDir("compse");
    const result = await runCli(
      ["RHEL-9.4", dest, "--filter", "compse", "--filter", "compose:night.*"],
      box.env,
    );
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain(
      "Topic RHEL-9.4 has no active component for filters compse, compose:night.*.",
    );
    expect(result.stderr).toContain(
      'Types and tags are matched literally, not as regular expressions or globs: "night.*" looks like a pattern.',
    );
    expect(await readdir(dest)).toEqual([]);
  });

  it("exits 4 for a topic with no active component, saying so", async () => {
    const result = await runCli(["RHEL-9.9", await tempDir("empty")], box.env);
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain(
      "Topic RHEL-9.9 has no active component to mirror. Topic RHEL-9.9 has no active component at all.",
    );
  });

  it("still mirrors the other topics, and reports the topic's error in --json (exit 4)", async () => {
    const dest = await tempDir("two-topics");
    const settings = join(await tempDir("settings"), "settings.yml");
    await writeFile(
      settings,
      `download_folder: ${dest}\ntopics:\n  - name: RHEL-9.4\n    filters: [{type: compose, tag: nighty}]\n  - name: RHEL-8.10\n`,
    );
    const result = await runCli(["--settings", settings, "--json"], box.env);
    expect(result.exitCode).toBe(4);
    const document = JSON.parse(result.stdout);
    expect(validateSummary(document), JSON.stringify(validateSummary.errors)).toBe(true);
    expect(document.exitCode).toBe(4);
    const byName = new Map(document.topics.map((topic: { name: string }) => [topic.name, topic]));
    expect(byName.get("RHEL-9.4")).toMatchObject({
      error: { code: "NOTHING_SELECTED", exitCode: 4 },
      components: [],
    });
    expect(byName.get("RHEL-8.10")).toMatchObject({ error: null });
    expect(await readdir(dest)).toEqual(["RHEL-8.10"]);
  });
});

describe("package filters that match no package", () => {
  it("exit 4 without removing anything, and say that a regex-looking filter is matched literally", async () => {
    const dest = await tempDir("packages");
    const args = ["RHEL-9.4", dest, "--filter", "compose"];
    expect((await runCli(args, box.env)).exitCode).toBe(0);
    const before = await readTree(join(dest, "RHEL-9.4", "compose"));
    expect([...before.files.keys()].some((path) => path.includes("/Packages/kernel-"))).toBe(true);

    const result = await runCli([...args, "--package-filter", "kernel-[0-9]", "--json"], box.env);
    expect(result.exitCode).toBe(4);
    const document = JSON.parse(result.stdout);
    expect(validateSummary(document), JSON.stringify(validateSummary.errors)).toBe(true);
    const [component] = document.topics[0].components;
    expect(component.error).toMatchObject({ code: "NOTHING_SELECTED", exitCode: 4 });
    expect(component.error.message).toMatch(
      /^The package filters \(--package-filter kernel-\[0-9\]\) match none of the \d+ files of the selected trees of component /,
    );
    expect(component.error.hint).toContain(
      'Package filters are matched literally, not as regular expressions or globs: "kernel-[0-9]" looks like a pattern. To keep paths by pattern, use --include GLOB',
    );
    expect(component.removedPaths).toEqual([]);
    expect(await readTree(join(dest, "RHEL-9.4", "compose"))).toEqual(before);
  });

  it("warn about the one that matches nothing when another matches, and mirror what matches", async () => {
    const dest = await tempDir("packages-some");
    const result = await runCli(
      [
        "RHEL-9.4",
        dest,
        "--filter",
        "compose",
        "--package-filter",
        "kernel",
        "--package-filter",
        "kernal",
      ],
      box.env,
    );
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/--package-filter kernal matches no package of component /);
    const tree = await readTree(join(dest, "RHEL-9.4", "compose"));
    const packages = [...tree.files.keys()].filter((path) => path.includes("/Packages/"));
    expect(packages.length).toBeGreaterThan(0);
    expect(packages.every((path) => path.includes("kernel"))).toBe(true);
  });
});
