// A malformed client id is refused by the real CLI before any request: the real server would
// answer a non-UUID id with a 400 carrying a raw database error. The message names where the id
// came from (environment, --rc file, settings file) and the expected shape; never the secret.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { cleanEnv, runCli } from "../helpers/run-cli.js";

let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
  dir = await mkdtemp(join(tmpdir(), "dci-mirror-client-id-"));
});
beforeEach(() => sandbox.requestLog.clear());
afterAll(async () => {
  await sandbox.close();
});

function envWith(clientId: string | undefined): Record<string, string> {
  return cleanEnv({
    DCI_CS_URL: sandbox.csUrl,
    DCI_API_SECRET: sandbox.credentials.apiSecret,
    ...(clientId === undefined ? {} : { DCI_CLIENT_ID: clientId }),
  });
}

function expectRefusedBeforeAnyRequest(
  result: { exitCode: number | null; stdout: string; stderr: string },
  source: string,
): void {
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain(source);
  expect(result.stderr).toContain("remoteci/<uuid>");
  expect(result.stderr + result.stdout).not.toContain(sandbox.credentials.apiSecret);
  expect(sandbox.requestLog.entries).toEqual([]);
}

describe("a malformed client id", () => {
  it("exits 2 naming DCI_CLIENT_ID from the environment, before any request", async () => {
    const result = await runCli(["topics"], envWith("remoteci/1"));
    expectRefusedBeforeAnyRequest(result, "DCI_CLIENT_ID (environment)");
    expect(result.stderr).toContain("not a UUID");
  });

  it("exits 2 naming the --rc file it came from", async () => {
    const rc = join(dir, "dcirc.sh");
    await writeFile(
      rc,
      `DCI_CLIENT_ID='remotecis/${sandbox.credentials.clientId.split("/")[1]}'\nexport DCI_CLIENT_ID\n`,
    );
    const result = await runCli(["identity", "--rc", rc], envWith(sandbox.credentials.clientId));
    expectRefusedBeforeAnyRequest(result, `DCI_CLIENT_ID in ${rc}`);
    expect(result.stderr).toContain("remoteci or feeder");
  });

  it("exits 2 naming the settings file it came from, in JSON with --json", async () => {
    const settings = join(dir, "settings.yml");
    await writeFile(settings, "client_id: remoteci/lab-1\n");
    const dest = join(dir, "mirror");
    const result = await runCli(
      ["RHEL-9.4", dest, "--settings", settings, "--json"],
      envWith(undefined),
    );
    expectRefusedBeforeAnyRequest(result, `client_id in ${settings}`);
    expect(JSON.parse(result.stderr)).toMatchObject({
      code: "CONFIG_BAD_CLIENT_ID",
      exitCode: 2,
    });
  });

  it("does not print an API secret put in DCI_CLIENT_ID by mistake", async () => {
    const result = await runCli(["topics"], envWith(sandbox.credentials.apiSecret));
    expectRefusedBeforeAnyRequest(result, "DCI_CLIENT_ID (environment)");
    expect(result.stderr).toContain("looks like an API secret");
  });
});
