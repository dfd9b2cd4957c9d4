// DciClient against the real sandbox server on 127.0.0.1: every call, typed errors, retries,
// clock-skew recovery, a forward proxy, and the promise that no DCI header reaches the store.
import { createHash } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DciClient } from "../../src/api/client.js";
import type { HttpRetryEvent, HttpWarning } from "../../src/api/http.js";
import {
  AuthError,
  isMirrorError,
  NetworkError,
  NotFoundError,
  UsageError,
} from "../../src/errors.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { startForwardProxy } from "../helpers/forward-proxy.js";

let sandbox: Sandbox;
const fastRetry = { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 };
const errorTexts: string[] = [];

function client(overrides: Partial<ConstructorParameters<typeof DciClient>[0]> = {}): DciClient {
  return new DciClient({
    csUrl: sandbox.csUrl,
    ...sandbox.credentials,
    retry: fastRetry,
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    if (isMirrorError(error)) errorTexts.push(`${error.message} ${error.hint} ${error.code}`);
    return error;
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
});
afterEach(() => sandbox.setFaults([]));
afterAll(async () => {
  await sandbox.close();
});

describe("DciClient construction", () => {
  it("builds from an environment map, with a client id lacking its remoteci/ prefix", async () => {
    const env = {
      DCI_CS_URL: `${sandbox.csUrl}/`,
      DCI_CLIENT_ID: sandbox.credentials.clientId.replace("remoteci/", ""),
      DCI_API_SECRET: ` ${sandbox.credentials.apiSecret} `,
    };
    const dci = DciClient.fromEnv(env);
    expect(dci.credentials.clientId).toBe(sandbox.credentials.clientId);
    expect(`remoteci/${(await dci.identity()).id}`).toBe(sandbox.credentials.clientId);
    await dci.close();
  });

  it("builds from a dcirc.sh file read as data", async () => {
    const folder = await mkdtemp(join(tmpdir(), "dci-mirror-client-"));
    const rc = join(folder, "dcirc.sh");
    await writeFile(
      rc,
      `#!/usr/bin/env bash\nexport DCI_CLIENT_ID=${sandbox.credentials.clientId}\nexport DCI_API_SECRET="${sandbox.credentials.apiSecret}"\nexport DCI_CS_URL=${sandbox.csUrl}\n`,
    );
    const dci = await DciClient.fromRcFile(rc);
    expect((await dci.listTopics()).count).toBeGreaterThan(0);
    await dci.close();
    const missing = await failure(DciClient.fromRcFile(join(folder, "absent.sh")));
    expect(isMirrorError(missing) && missing.code).toBe("CONFIG_RC_UNREADABLE");
  });
});

describe("DciClient calls", () => {
  it("reads the identity of the sandbox remoteci", async () => {
    const identity = await client().identity();
    expect(`remoteci/${identity.id}`).toBe(sandbox.credentials.clientId);
    expect(identity.teams.length).toBeGreaterThan(0);
  });

  it("lists visible topics only, with where, sort, limit and offset", async () => {
    const dci = client();
    const all = await dci.listTopics({ sort: "name" });
    const names = all.items.map((topic) => topic.name);
    expect(names).toContain("RHEL-9.4");
    expect(names).toContain("OpenShift-4.16");
    expect(names).not.toContain("RHEL-10.0");
    expect(names).toEqual([...names].sort());
    const rhel = await dci.listTopics({
      where: { name: "RHEL*" },
      sort: "name",
      limit: 1,
      offset: 1,
    });
    expect(rhel.items).toHaveLength(1);
    expect(rhel.count).toBe(names.filter((name) => name.toLowerCase().includes("rhel")).length);
  });

  it("iterates over every page of a list", async () => {
    const dci = client();
    const pages = [];
    for await (const page of dci.topicPages({ sort: "name", limit: 2 }))
      pages.push(page.items.map((topic) => topic.name));
    const total = (await dci.listTopics()).count;
    expect(pages.length).toBe(Math.ceil(total / 2));
    expect(pages.flat()).toHaveLength(total);
  });

  it("finds a topic by name and by id", async () => {
    const dci = client();
    const topic = await dci.topicByName("RHEL-9.4");
    expect(topic.componentTypes).toContain("compose");
    expect((await dci.topic(topic.id)).name).toBe("RHEL-9.4");
  });

  it("resolves latest components the way dci-downloader does: newest created_at, optional tag", async () => {
    const dci = client();
    const topic = await dci.topicByName("RHEL-9.4");
    const latest = await dci.latestComponent(topic.id, { type: "compose" });
    const milestone = await dci.latestComponent(topic.id, { type: "compose", tag: "milestone" });
    expect(latest?.tags).not.toContain("milestone");
    expect(milestone?.tags).toContain("milestone");
    expect(latest?.id).not.toBe(milestone?.id);
    const all = await dci.listComponents(topic.id, {
      where: "type:compose,state:active",
      sort: "-created_at",
    });
    expect(all.items[0]?.id).toBe(latest?.id);
    const perType = await dci.latestComponents(topic);
    expect(perType.map((component) => component.type).sort()).toEqual(
      [...topic.componentTypes].sort(),
    );
    expect((await dci.component(latest?.id ?? "")).name).toBe(latest?.name);
  });

  it("fetches a files list through the gateway and serves files whose bytes match it", async () => {
    const dci = client();
    const topic = await dci.topicByName("RHEL-9.4");
    const latest = await dci.latestComponent(topic.id, { type: "compose" });
    const list = await dci.filesList(latest?.id ?? "");
    expect(list.files.length).toBeGreaterThan(50);
    const rpm = list.files.find((file) => file.name.endsWith(".rpm"));
    if (!rpm) throw new Error("no rpm in the compose");
    const url = await dci.fileUrl(latest?.id ?? "", `${rpm.path}/${rpm.name}`);
    expect(url.startsWith(sandbox.storeUrl)).toBe(true);
    const answer = await request(url);
    const bytes = Buffer.from(await answer.body.arrayBuffer());
    expect(bytes.length).toBe(rpm.sizeBytes);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(rpm.sha256);
    const rhdl = await dci.filesList(latest?.id ?? "", { rhdl: true });
    expect(rhdl.files.length).toBe(list.files.length);
  });

  it("never sends the DCI signature headers to the object store", async () => {
    sandbox.requestLog.clear();
    const dci = client();
    const topic = await dci.topicByName("RHEL-9.4");
    const latest = await dci.latestComponent(topic.id, { type: "compose" });
    await dci.filesList(latest?.id ?? "");
    const store = sandbox.requestLog.entries.filter((entry) => entry.server === "store");
    const api = sandbox.requestLog.entries.filter((entry) => entry.server === "api");
    expect(store.length).toBeGreaterThan(0);
    expect(store.every((entry) => !entry.hasAuthorization)).toBe(true);
    expect(api.every((entry) => entry.hasAuthorization)).toBe(true);
  });
});

describe("DciClient errors", () => {
  it.each([
    ["the constructor", () => client({ clientId: "remoteci/lab-1" }), "DCI_CLIENT_ID"],
    [
      "fromEnv",
      () =>
        DciClient.fromEnv({
          DCI_CS_URL: sandbox.csUrl,
          DCI_CLIENT_ID: "feeder/1",
          DCI_API_SECRET: sandbox.credentials.apiSecret,
        }),
      "DCI_CLIENT_ID",
    ],
  ])("refuses a malformed client id in %s before any request", (_case, build, source) => {
    sandbox.requestLog.clear();
    let error: unknown;
    try {
      build();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect(isMirrorError(error) && error.code).toBe("CONFIG_BAD_CLIENT_ID");
    expect(isMirrorError(error) && error.message).toContain(source);
    expect(isMirrorError(error) && error.message).toContain("remoteci/<uuid>");
    expect(sandbox.requestLog.entries).toEqual([]);
  });

  it("names the rc file a malformed client id came from", async () => {
    const rc = join(await mkdtemp(join(tmpdir(), "dci-client-rc-")), "dcirc.sh");
    await writeFile(
      rc,
      `DCI_CS_URL=${sandbox.csUrl}\nDCI_CLIENT_ID=remoteci/not-a-uuid\nDCI_API_SECRET=${sandbox.credentials.apiSecret}\n`,
    );
    const error = await failure(DciClient.fromRcFile(rc));
    expect(isMirrorError(error) && error.message).toContain(`DCI_CLIENT_ID in ${rc}`);
    expect(isMirrorError(error) && `${error.message} ${error.hint}`).not.toContain(
      sandbox.credentials.apiSecret,
    );
  });

  it("names the variables to check when the secret is wrong", async () => {
    const error = await failure(client({ apiSecret: "x".repeat(64) }).identity());
    expect(error).toBeInstanceOf(AuthError);
    expect(isMirrorError(error) && error.code).toBe("AUTH_SIGNATURE_INVALID");
    expect(isMirrorError(error) && error.hint).toMatch(/DCI_CLIENT_ID and DCI_API_SECRET/);
    expect(isMirrorError(error) && error.exitCode).toBe(3);
  });

  it("reports an unknown client id as a credentials problem", async () => {
    const error = await failure(
      client({ clientId: "remoteci/00000000-0000-4000-8000-000000000000" }).identity(),
    );
    expect(error).toBeInstanceOf(AuthError);
    expect(isMirrorError(error) && error.code).toBe("AUTH_UNKNOWN_IDENTITY");
  });

  it("reports an inactive team with its own code", async () => {
    const inactive = sandbox.inactiveCredentials;
    const error = await failure(client({ ...inactive }).identity());
    expect(isMirrorError(error) && error.code).toBe("AUTH_TEAM_INACTIVE");
  });

  it("says to ask for access when a topic is missing or not visible", async () => {
    const dci = client();
    const error = await failure(dci.topicByName("RHEL-10.0"));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(isMirrorError(error) && error.hint).toContain(
      "ask your Red Hat contact for access to topic RHEL-10.0",
    );
    expect(isMirrorError(error) && error.exitCode).toBe(4);
    const hidden = sandbox.catalog.topics.find((topic) => topic.name === "RHEL-10.0");
    const direct = await failure(dci.topic(hidden?.id ?? ""));
    expect(direct).toBeInstanceOf(NotFoundError);
    const missing = await failure(dci.component("00000000-0000-4000-8000-000000000000"));
    expect(missing).toBeInstanceOf(NotFoundError);
  });

  it("refuses bad list parameters with a usage error", async () => {
    const error = await failure(client().listTopics({ where: "nosuchkey:1" }));
    expect(error).toBeInstanceOf(UsageError);
    expect(String(error)).toContain("Invalid where key");
  });

  it("retries server errors and gives up with a network error naming origin and path only", async () => {
    sandbox.setFaults([{ match: "dci_files_list.json", gatewayStatus: { status: 503 } }]);
    const retries: HttpRetryEvent[] = [];
    const dci = client({ onRetry: (event) => retries.push(event) });
    const topic = await dci.topicByName("RHEL-9.4");
    const latest = await dci.latestComponent(topic.id, { type: "compose" });
    const error = await failure(dci.filesList(latest?.id ?? ""));
    expect(error).toBeInstanceOf(NetworkError);
    expect(isMirrorError(error) && error.code).toBe("SERVER_ERROR");
    expect(retries).toHaveLength(fastRetry.maxAttempts - 1);
    expect(String(error)).toContain(
      `${sandbox.csUrl}/api/v1/components/${latest?.id}/files/dci_files_list.json`,
    );
  });

  it("honours Retry-After on 429 and 503 before retrying", async () => {
    const dci = client();
    const topic = await dci.topicByName("RHEL-9.4");
    const latest = await dci.latestComponent(topic.id, { type: "compose" });
    for (const status of [429, 503]) {
      sandbox.setFaults([
        { match: "dci_files_list.json", times: 1, gatewayStatus: { status, retryAfterSeconds: 1 } },
      ]);
      const retries: HttpRetryEvent[] = [];
      const started = performance.now();
      const list = await client({ onRetry: (event) => retries.push(event) }).filesList(
        latest?.id ?? "",
      );
      expect(list.files.length).toBeGreaterThan(0);
      expect(retries.map((event) => event.delayMs)).toEqual([1000]);
      expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    }
  });

  describe("reading the files list from the object store", () => {
    const listRequests = (server: "api" | "store") =>
      sandbox.requestLog.entries.filter(
        (entry) => entry.server === server && entry.path.endsWith("/dci_files_list.json"),
      );
    async function latestCompose(dci: DciClient): Promise<string> {
      const topic = await dci.topicByName("RHEL-9.4");
      return (await dci.latestComponent(topic.id, { type: "compose" }))?.id ?? "";
    }

    it("honours the store's Retry-After, asking the gateway for a fresh URL each time", async () => {
      const dci = client();
      const id = await latestCompose(dci);
      sandbox.setFaults([
        {
          match: "dci_files_list.json",
          times: 1,
          storeStatus: { status: 503, retryAfterSeconds: 1 },
        },
      ]);
      sandbox.requestLog.clear();
      const started = performance.now();
      const list = await dci.filesList(id);
      expect(list.files.length).toBeGreaterThan(0);
      expect(performance.now() - started).toBeGreaterThanOrEqual(990);
      expect(listRequests("store").map((entry) => entry.status)).toEqual([503, 200]);
      expect(listRequests("api")).toHaveLength(2);
    });

    it("asks again at once when the presigned URL has expired (403)", async () => {
      const dci = client({ retry: { ...fastRetry, baseDelayMs: 5_000, maxDelayMs: 5_000 } });
      const id = await latestCompose(dci);
      sandbox.setFaults([{ match: "dci_files_list.json", times: 1, expireUrls: true }]);
      sandbox.requestLog.clear();
      const started = performance.now();
      await dci.filesList(id);
      // The backoff would have waited at least 2.5 s: a 403 is retried without waiting.
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(listRequests("store").map((entry) => entry.status)).toEqual([403, 200]);
    });

    it("gives up on a store error after the policy's attempts, or at once when it is not retryable", async () => {
      const dci = client();
      const id = await latestCompose(dci);
      for (const [status, attempts] of [
        [500, fastRetry.maxAttempts],
        [400, 1],
      ] as const) {
        sandbox.setFaults([{ match: "dci_files_list.json", storeStatus: { status } }]);
        sandbox.requestLog.clear();
        const error = await failure(dci.filesList(id));
        expect(error).toBeInstanceOf(NetworkError);
        expect(isMirrorError(error) && error.code).toBe("STORE_ERROR");
        expect(String(error)).toContain(`HTTP ${status} for dci_files_list.json`);
        expect(listRequests("store")).toHaveLength(attempts);
      }
    });
  });

  it("fails a connection refused with the URL and no query string", async () => {
    const dci = new DciClient({
      ...sandbox.credentials,
      csUrl: "http://127.0.0.1:1",
      retry: fastRetry,
    });
    const error = await failure(dci.listTopics({ where: "name:RHEL-9.4" }));
    expect(error).toBeInstanceOf(NetworkError);
    expect(String(error)).toContain("http://127.0.0.1:1/api/v1/topics");
    expect(String(error)).not.toContain("where");
    expect(String(error)).toContain("ECONNREFUSED");
  });

  it("signs with the server's time when the local clock is 20 minutes off, and warns once", async () => {
    const warnings: HttpWarning[] = [];
    for (const skewMs of [-20 * 60_000, 20 * 60_000]) {
      const dci = client({
        now: () => Date.now() + skewMs,
        onWarning: (warning) => warnings.push(warning),
      });
      await dci.identity();
      await dci.listTopics();
      expect(Math.abs(dci.clockOffsetMs + skewMs)).toBeLessThan(5_000);
    }
    expect(warnings.map((warning) => warning.code)).toEqual(["CLOCK_SKEW", "CLOCK_SKEW"]);
    expect(warnings[0]?.message).toMatch(/clock is (19 min 5\d|20 min \d) s behind/);
  });

  it("goes through a forward proxy given as HTTP_PROXY, and says so when the proxy is down", async () => {
    const proxy = await startForwardProxy();
    try {
      const dci = client({ proxy: { httpProxy: proxy.url } });
      const identity = await dci.identity();
      expect(`remoteci/${identity.id}`).toBe(sandbox.credentials.clientId);
      expect(proxy.seen.some((line) => line.includes(new URL(sandbox.csUrl).host))).toBe(true);
      await dci.close();
    } finally {
      await proxy.close();
    }
    const error = await failure(
      client({ proxy: { httpProxy: "http://user:pw@127.0.0.1:1" } }).identity(),
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect(isMirrorError(error) && error.hint).toContain("proxy http://127.0.0.1:1");
    expect(isMirrorError(error) && error.hint).not.toContain("pw");
  });

  it("never puts the secret, an Authorization header or a presigned query in an error", () => {
    expect(errorTexts.length).toBeGreaterThan(8);
    for (const text of errorTexts) {
      expect(text).not.toContain(sandbox.credentials.apiSecret);
      expect(text).not.toContain("x".repeat(64));
      expect(text).not.toMatch(/Signature=|X-Amz-Signature|Credential=/);
    }
  });
});
