// The drop-in CLI: settings files, plan, verify, completion, --json against its schema, usage errors
// naming the flag, and plain (ANSI-free) output for cron. Real CLI, sandbox on 127.0.0.1.
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { runCli, sandboxEnv } from "../helpers/run-cli.js";
import { readTree } from "../helpers/tree.js";

const ESC = "\u001b[";
const schema = JSON.parse(
  readFileSync(new URL("../../docs/summary.schema.json", import.meta.url), "utf8"),
);
const validateSummary = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
  env = sandboxEnv(sandbox);
});
afterAll(async () => {
  await sandbox.close();
});

async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `dci-mirror-${prefix}-`));
}

async function settingsFile(text: string): Promise<string> {
  const path = join(await tempDir("settings"), "settings.yml");
  await writeFile(path, text);
  return path;
}

function arches(tree: { files: Map<string, string> }): string[] {
  return [
    ...new Set(
      [...tree.files.keys()]
        .map((path) => path.split("/")[1] ?? "")
        .filter((arch) => /^(x86_64|aarch64|ppc64le|s390x)$/.test(arch)),
    ),
  ].sort();
}

describe("--json", () => {
  it("prints one document that matches docs/summary.schema.json, and nothing else on stdout", async () => {
    const dest = await tempDir("json");
    const result = await runCli(["RHEL-9.4", dest, "--filter", "compose", "--json"], env);
    expect(result.exitCode).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(validateSummary(document), JSON.stringify(validateSummary.errors)).toBe(true);
    expect(document.totals.downloaded).toBe(document.totals.files);
    expect(document.topics[0].components[0].failures).toEqual([]);
    expect(result.stderr).toBe("");
  });

  it("reports a failed topic as JSON on stderr and in the document, with exit code 4", async () => {
    const dest = await tempDir("json");
    const result = await runCli(["RHEL-10.0", dest, "--json"], env);
    expect(result.exitCode).toBe(4);
    const document = JSON.parse(result.stdout);
    expect(validateSummary(document)).toBe(true);
    expect(document.topics[0].error.code).toBe("TOPIC_NOT_FOUND");
    expect(JSON.parse(result.stderr.trim().split("\n")[0] ?? "")).toMatchObject({
      type: "error",
      code: "TOPIC_NOT_FOUND",
      exitCode: 4,
    });
  });
});

describe("output for cron and pipes", () => {
  it("prints plain lines without ANSI codes when not on a terminal, and nothing with --quiet on success", async () => {
    const dest = await tempDir("plain");
    const loud = await runCli(["RHEL-9.4", dest, "--filter", "compose"], env);
    expect(loud.exitCode).toBe(0);
    expect(loud.stderr).toMatch(/RHEL-9\.4\.0-\d+\.\d+: \d+ files .*to fetch/);
    expect(loud.stdout + loud.stderr).not.toContain(ESC);
    const quiet = await runCli(
      ["RHEL-9.4", await tempDir("plain"), "--filter", "compose", "--quiet"],
      env,
    );
    expect(quiet.exitCode).toBe(0);
    expect(quiet.stderr).toBe("");
    expect(quiet.stdout).toBe("");
  });
});

describe("settings files", () => {
  it("mirrors the topics of a settings file with its own archs and variants", async () => {
    const dest = await tempDir("settings");
    const settings = await settingsFile(
      `download_folder: ${dest}\ntopics:\n  - name: RHEL-9.4\n    archs: [aarch64]\n    variants: [BaseOS]\n    filters:\n      - type: compose\n`,
    );
    const result = await runCli(["--settings", settings], env);
    expect(result.stderr).not.toContain("dci-mirror:");
    expect(result.exitCode).toBe(0);
    const tree = await readTree(join(dest, "RHEL-9.4", "compose"));
    expect(arches(tree)).toEqual(["aarch64"]);
    expect(
      [...tree.files.keys()]
        .filter((path) => path.includes("/"))
        .every((path) => path.startsWith("BaseOS/") || path.startsWith("metadata")),
    ).toBe(true);
  });

  it("keeps the file's archs for the same topic given on the command line without --arch (unlike dci-downloader)", async () => {
    const dest = await tempDir("settings");
    const settings = await settingsFile(
      `topics:\n  - name: RHEL-9.4\n    archs: [aarch64]\n    filters: [{type: compose}]\n`,
    );
    const result = await runCli(["RHEL-9.4", dest, "--settings", settings], env);
    expect(result.exitCode).toBe(0);
    expect(arches(await readTree(join(dest, "RHEL-9.4", "compose")))).toEqual(["aarch64"]);
    const overridden = await tempDir("settings");
    expect(
      (await runCli(["RHEL-9.4", overridden, "--settings", settings, "--arch", "x86_64"], env))
        .exitCode,
    ).toBe(0);
    expect(arches(await readTree(join(overridden, "RHEL-9.4", "compose")))).toEqual(["x86_64"]);
  });

  it("lets the environment beat the file and the command line beat the environment", async () => {
    const fromFile = await tempDir("file");
    const fromEnv = await tempDir("env");
    const fromCli = await tempDir("cli");
    const settings = await settingsFile(
      `local_repo: ${fromFile}\ntopic: RHEL-9.4\nfilters: [{type: compose}]\n`,
    );
    expect(
      (await runCli(["--settings", settings], { ...env, DCI_LOCAL_REPO: fromEnv })).exitCode,
    ).toBe(0);
    expect(await readdir(fromEnv)).toEqual(["RHEL-9.4"]);
    expect(await readdir(fromFile)).toEqual([]);
    expect(
      (
        await runCli(["--settings", settings, "--local-repo", fromCli], {
          ...env,
          DCI_LOCAL_REPO: fromEnv,
        })
      ).exitCode,
    ).toBe(0);
    expect(await readdir(fromCli)).toEqual(["RHEL-9.4"]);
  });

  it.each([
    ["an empty file", "", /empty/],
    [
      "a YAML syntax error, with line and column",
      "topics:\n  - name: [RHEL-9.4\n",
      /settings\.yml:\d+:\d+/,
    ],
    ["a key of the wrong type", "topics:\n  - name: RHEL-9.4\n    archs: 5\n", /archs/],
    [
      "a misspelt key, naming the file, the line and the nearest known key",
      "topics:\n  - name: RHEL-9.4\n    arches: [aarch64]\n",
      /settings file \/.*\/settings\.yml, line 3: unknown key "arches"; did you mean "archs"\?/,
    ],
  ])("refuses %s with exit code 2", async (_label, text, message) => {
    const result = await runCli(
      ["--settings", await settingsFile(text), "--local-repo", await tempDir("bad")],
      env,
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it.each([
    ["does not exist", (folder: string) => join(folder, "missing.yml")],
    ["is a directory", (folder: string) => folder],
  ])(
    "refuses a --settings path that %s with exit code 2, before any network call",
    async (what, pathIn) => {
      sandbox.requestLog.clear();
      const path = pathIn(await tempDir("no-settings"));
      const result = await runCli(["RHEL-9.4", await tempDir("dest"), "--settings", path], env);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(`The settings file ${path} ${what}.`);
      expect(sandbox.requestLog.entries).toEqual([]);
    },
  );
});

describe("validation and usage errors", () => {
  it.each([
    [["RHEL-9.4", "/tmp/x", "--arch", "sparc"], /sparc/, /x86_64/],
    [["RHEL-9.4", "/tmp/x", "--variant", "Bogus"], /Bogus/, /AppStream/],
  ])(
    "refuses %j before any network call, listing the allowed names",
    async (args, bad, allowed) => {
      sandbox.requestLog.clear();
      const result = await runCli(args, env);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(bad);
      expect(result.stderr).toMatch(allowed);
      expect(sandbox.requestLog.entries).toEqual([]);
    },
  );

  it.each([
    [
      ["RHEL-9.4", "/tmp/x", "--variantt", "BaseOS"],
      /Unknown argument: variantt\. Did you mean --variant\?/,
    ],
    [["RHEL-9.4", "/tmp/x", "--jobs", "0"], /--jobs must be a whole number/],
    [["verify", "/tmp/x", "-j", "0"], /--jobs must be a whole number of at least 1, not 0/],
    [["verify", "/tmp/x", "--jobs", "two"], /--jobs must be a whole number/],
    [["RHEL-9.4", "/tmp/x", "--filter", ":nightly"], /--filter/],
    [["--local-repo", "/tmp/x"], /at least one topic/],
    [["RHEL-9.4", "/tmp/x", "--all", "--arch", "aarch64"], /--arch is ignored with --all/],
    [["RHEL-9.4", "/tmp/x", "--tech-preview", "foo"], /--tech-preview names "foo"/],
  ])("exits 2 naming the flag for %j", async (args, message) => {
    sandbox.requestLog.clear();
    const result = await runCli(args, env);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(sandbox.requestLog.entries).toEqual([]);
  });
});

describe("plan, verify and completion", () => {
  it("plans without writing anything and shows sizes and free space", async () => {
    const dest = await tempDir("plan");
    const result = await runCli(["plan", "RHEL-9.4", dest, "--filter", "compose"], env);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(
      /would fetch \d+ \(.+\), resume 0, check 0, keep 0, remove 0; .+ free/,
    );
    expect(await readdir(dest)).toEqual([]);
    const json = JSON.parse(
      (await runCli(["plan", "RHEL-9.4", dest, "--filter", "compose", "--json"], env)).stdout,
    );
    expect(validateSummary(json)).toBe(true);
    expect(json.dryRun).toBe(true);
    expect(json.topics[0].components[0].planned.freeBytes).toBeGreaterThan(0);
  });

  it("verifies a mirror offline, and exits 6 naming a damaged file", async () => {
    const dest = await tempDir("verify");
    expect((await runCli(["RHEL-9.4", dest, "--filter", "compose"], env)).exitCode).toBe(0);
    const ok = await runCli(["verify", join(dest, "RHEL-9.4")]);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toMatch(/compose .*: \d+ files, .*: ok/);
    await writeFile(join(dest, "RHEL-9.4", "compose", "COMPOSE_ID"), "tampered");
    const bad = await runCli(["verify", join(dest, "RHEL-9.4")]);
    expect(bad.exitCode).toBe(6);
    expect(bad.stdout).toMatch(/(size|sha256)-mismatch COMPOSE_ID/);
  });

  it("prints a shell completion script", async () => {
    const result = await runCli(["completion"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("dci-mirror");
    expect(result.stdout).toMatch(/complete|compdef/);
  });

  it("shows examples for cron, settings files and filters in --help", async () => {
    const help = await runCli(["sync", "--help"]);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain("--settings");
    expect(help.stdout).toContain("--lock-timeout 3600");
    expect(help.stdout).toContain("--variant BaseOS --iso");
  });
});

describe("the other flags", () => {
  it("uses --dci-cs-url for every call, over a wrong DCI_CS_URL (dci-downloader only used it for downloads)", async () => {
    const dest = await tempDir("csurl");
    const result = await runCli(
      ["RHEL-9.4", dest, "--filter", "compose", "--dci-cs-url", sandbox.csUrl],
      { ...env, DCI_CS_URL: "http://127.0.0.1:1" },
    );
    expect(result.stderr).not.toContain("dci-mirror:");
    expect(result.exitCode).toBe(0);
  });

  it("fetches files through the RHDL (v2) gateway with --tech-preview rhdl", async () => {
    const dest = await tempDir("rhdl");
    sandbox.requestLog.clear();
    const result = await runCli(
      ["RHEL-9.4", dest, "--filter", "compose", "--tech-preview", "rhdl"],
      env,
    );
    expect(result.exitCode).toBe(0);
    const gateway = sandbox.requestLog.entries.filter(
      (entry) => entry.server === "api" && entry.path.includes("/files/"),
    );
    expect(gateway.length).toBeGreaterThan(1);
    expect(gateway.every((entry) => entry.path.startsWith("/api/v2/"))).toBe(true);
    expect(gateway.some((entry) => entry.path.endsWith("/rhdl_files_list.json"))).toBe(true);
  });

  it("accepts --dci-repo-url for compatibility and --dry-run changes nothing", async () => {
    const dest = await tempDir("dry");
    const result = await runCli(
      ["RHEL-9.4", dest, "--dry-run", "--dci-repo-url", "https://repo.example/"],
      env,
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/would fetch/);
    expect(await readdir(dest)).toEqual([]);
  });

  it("prints retries and causes with --verbose", async () => {
    sandbox.setFaults([{ match: "COMPOSE_ID", storeStatus: { status: 503 }, times: 1 }]);
    try {
      const result = await runCli(
        ["RHEL-9.4", await tempDir("verbose"), "--filter", "compose", "--verbose", "--no-progress"],
        env,
      );
      expect(result.exitCode).toBe(0);
      expect(result.stderr).toMatch(/retrying COMPOSE_ID in \d+ ms \(attempt 1: HTTP 503\)/);
      expect(result.stderr + result.stdout).not.toContain(ESC);
    } finally {
      sandbox.setFaults([]);
    }
    const failing = await runCli(["topics", "--verbose"], {
      ...env,
      DCI_CS_URL: "http://127.0.0.1:1",
    });
    expect(failing.exitCode).toBe(5);
    expect(failing.stderr).toContain("caused by:");
  });
});
