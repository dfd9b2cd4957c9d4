// The real CLI (bin/dci-mirror.js over dist/) against the sandbox on 127.0.0.1.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { VERSION } from "../../src/version.js";
import { BIN, cleanEnv, runCli } from "../helpers/run-cli.js";

let sandbox: Sandbox;
let sandboxEnv: Record<string, string>;
const ANSI = "\u001b[";

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
  sandboxEnv = cleanEnv({
    DCI_CS_URL: `${sandbox.csUrl}/`,
    DCI_CLIENT_ID: sandbox.credentials.clientId,
    DCI_API_SECRET: sandbox.credentials.apiSecret,
  });
});
afterAll(async () => {
  await sandbox.close();
});

describe("dci-mirror CLI", () => {
  it("lists the sandbox topics with --sandbox and no credentials at all", async () => {
    const result = await runCli(["topics", "--sandbox"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^NAME\s+ID\s+COMPONENT TYPES\s+STATE$/m);
    expect(result.stdout).toContain("RHEL-9.4");
    expect(result.stdout).not.toContain("RHEL-10.0");
    expect(result.stdout + result.stderr).not.toContain(ANSI);
  });

  it("prints topics as one JSON document with --json", async () => {
    const result = await runCli(["topics", "--json"], sandboxEnv);
    expect(result.exitCode).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document.schema).toBe("dci-mirror/topics/1");
    expect(document.topics.map((topic: { name: string }) => topic.name)).toContain(
      "OpenShift-4.16",
    );
  });

  it("shows the latest milestone compose with components --latest", async () => {
    const result = await runCli(
      ["components", "RHEL-9.4", "--type", "compose", "--tag", "milestone", "--latest", "--json"],
      sandboxEnv,
    );
    expect(result.exitCode).toBe(0);
    const { components } = JSON.parse(result.stdout);
    expect(components).toHaveLength(1);
    expect(components[0].tags).toContain("milestone");
    expect(components[0].type).toBe("compose");
  });

  it("reads credentials from --rc, which wins over the environment", async () => {
    const folder = await mkdtemp(join(tmpdir(), "dci-mirror-rc-"));
    const rc = join(folder, "dcirc.sh");
    await writeFile(
      rc,
      `DCI_CLIENT_ID='${sandbox.credentials.clientId}'\nDCI_API_SECRET='${sandbox.credentials.apiSecret}'\nDCI_CS_URL='${sandbox.csUrl}/'\nexport DCI_CLIENT_ID\nexport DCI_API_SECRET\nexport DCI_CS_URL\n`,
    );
    const env = { ...sandboxEnv, DCI_API_SECRET: "wrong".repeat(10) };
    const result = await runCli(["identity", "--rc", rc], env);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(sandbox.credentials.clientId);
    expect(result.stdout).toContain(`--rc ${rc}`);
  });

  it("exits 3 on a wrong secret, names the variables and never prints the secret", async () => {
    const secret = "S3cretValueThatMustNotLeak0123456789abcdefghijklmnopqrstuvwxyzAB";
    const result = await runCli(["topics", "--verbose"], { ...sandboxEnv, DCI_API_SECRET: secret });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("DCI_API_SECRET");
    expect(result.stderr + result.stdout).not.toContain(secret);
    expect(result.stderr).not.toMatch(/Signature=|Credential=/);
  });

  it("exits 2 naming the missing variables when there are no credentials", async () => {
    const result = await runCli(["topics"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("DCI_CS_URL, DCI_CLIENT_ID, DCI_API_SECRET not set");
    expect(result.stderr).toContain("--sandbox");
  });

  it("exits 4 with an access hint for a topic it cannot see, as JSON on stderr with --json", async () => {
    const result = await runCli(["components", "RHEL-10.0", "--json"], sandboxEnv);
    expect(result.exitCode).toBe(4);
    expect(result.stdout).toBe("");
    const error = JSON.parse(result.stderr);
    expect(error).toMatchObject({ type: "error", code: "TOPIC_NOT_FOUND", exitCode: 4 });
    expect(error.hint).toContain("ask your Red Hat contact for access to topic RHEL-10.0");
  });

  it.each([
    [["topcs", "--sandbox"], /Unknown command "topcs"\. Did you mean topics\?/],
    [["topics", "--sandbx"], /Unknown argument: sandbx/],
    [[], /at least one topic/],
    [["RHEL-9.4", "--sandbox"], /destination folder for topic RHEL-9\.4 is not specified/],
  ])("exits 2 on the usage error in %j", async (args, message) => {
    const result = await runCli(args);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it("prints its version and a help text with the exit codes", async () => {
    expect((await runCli(["--version"])).stdout.trim()).toBe(VERSION);
    const help = await runCli(["--help"]);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain("Exit codes:");
    expect(help.stdout).toMatch(/130\s+interrupted/);
  });

  it("runs the sandbox until Ctrl-C, serving the variables it prints", async () => {
    const child = spawn(process.execPath, [BIN, "sandbox", "--size", "tiny"], {
      env: cleanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.setEncoding("utf8");
    for await (const chunk of child.stdout) {
      stdout += chunk;
      if (stdout.includes("Press Ctrl-C")) break;
    }
    const variables = Object.fromEntries(
      [...stdout.matchAll(/export (DCI_\w+)='([^']*)'/g)].map((match) => [match[1], match[2]]),
    );
    expect(Object.keys(variables).sort()).toEqual([
      "DCI_API_SECRET",
      "DCI_CLIENT_ID",
      "DCI_CS_URL",
    ]);
    const topics = await runCli(["topics"], cleanEnv(variables));
    expect(topics.exitCode).toBe(0);
    expect(topics.stdout).toContain("RHEL-9.4");
    child.kill("SIGINT");
    const [exitCode] = await once(child, "close");
    expect(exitCode).toBe(0);
    expect(stderr).toContain("sandbox stopped");
  });
});
