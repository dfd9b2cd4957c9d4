// `dci-mirror sandbox` with the far-away flags, run as a user runs it: bad values are usage errors,
// good ones reach the servers (a held API answer, presigned URLs with the chosen lifetime).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { request } from "undici";
import { describe, expect, it } from "vitest";
import { signRequestAt } from "../../src/signing/sign.js";
import { BIN, cleanEnv, runCli } from "../helpers/run-cli.js";

/** The `id` of the first item of a DCI list answer (`{"topics": [{"id": ...}]}`). */
function firstId(text: string, listName: string): string {
  const answer: unknown = JSON.parse(text);
  const items: unknown =
    typeof answer === "object" && answer !== null ? Reflect.get(answer, listName) : [];
  const first: unknown = Array.isArray(items) ? items[0] : undefined;
  const id: unknown = typeof first === "object" && first !== null ? Reflect.get(first, "id") : "";
  return String(id);
}

describe("dci-mirror sandbox, far-away flags", () => {
  it.each([
    [["--api-latency=-5"], /--api-latency must be a number of milliseconds, 0 or more, not -5/],
    [["--store-latency", "soon"], /--store-latency must be .* not a number/],
    [["--store-rate", "10X"], /--store-rate must be bytes per second.*"10X"/],
    [["--url-lifetime", "0"], /--url-lifetime must be a whole number of at least 1, not 0/],
  ])("exits 2 on %j", async (flags, message) => {
    const result = await runCli(["sandbox", "--size", "tiny", ...flags]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe("");
  });

  it("holds API answers, presigns for --url-lifetime and says so in its banner", async () => {
    const flags = ["--api-latency", "120", "--store-rate", "10M", "--url-lifetime", "60"];
    const child = spawn(process.execPath, [BIN, "sandbox", "--size", "tiny", ...flags], {
      env: cleanEnv(),
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.setEncoding("utf8");
    for await (const chunk of child.stdout) {
      stdout += chunk;
      if (stdout.includes("Press Ctrl-C")) break;
    }
    try {
      expect(stdout).toContain(
        "Far-away (WAN) profile: API answers held 120 ms, store bodies at most 10,000,000 bytes/s.",
      );
      const variable = (name: string) => new RegExp(`export ${name}='([^']*)'`).exec(stdout)?.[1];
      const credentials = {
        accessKey: variable("DCI_CLIENT_ID") ?? "",
        secretKey: variable("DCI_API_SECRET") ?? "",
      };
      const get = async (target: string) => {
        const url = new URL(`${variable("DCI_CS_URL") ?? ""}${target}`);
        const startedMs = performance.now();
        const response = await request(url, {
          headers: signRequestAt({ method: "GET", url, ...credentials }, new Date()),
        });
        const text = await response.body.text();
        expect(performance.now() - startedMs).toBeGreaterThanOrEqual(0.9 * 120);
        return { status: response.statusCode, headers: response.headers, text };
      };
      const topicId = firstId((await get("/api/v1/topics?where=name:RHEL-9.4")).text, "topics");
      const listed = await get(`/api/v1/topics/${topicId}/components`);
      const componentId = firstId(listed.text, "components");
      const file = await get(`/api/v1/components/${componentId}/files/dci_files_list.json`);
      expect(file.status).toBe(302);
      const location = new URL(String(file.headers["location"]));
      expect(location.searchParams.get("X-Amz-Expires")).toBe("60");
    } finally {
      child.kill("SIGINT");
    }
    const [exitCode] = await once(child, "close");
    expect(exitCode).toBe(0);
  });
});
