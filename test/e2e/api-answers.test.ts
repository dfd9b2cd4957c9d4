import { once } from "node:events";
import { readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { createServer as createHttpServer, request as httpRequest, type Server } from "node:http";
import { createServer as createTcpServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { cleanEnv, runCli, sandboxEnv } from "../helpers/run-cli.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function origin(server: Server | ReturnType<typeof createTcpServer>): string {
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("server not listening");
  return `http://127.0.0.1:${address.port}`;
}

/**
 * Listens on a free loopback port and returns the origin; the server (after `beforeClose`) is
 * closed once the test ends.
 */
async function listenLocal(
  server: Server | ReturnType<typeof createTcpServer>,
  beforeClose: () => void = () => {
    if ("closeAllConnections" in server) server.closeAllConnections();
  },
): Promise<string> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  closers.push(async () => {
    beforeClose();
    server.close();
    await once(server, "close");
  });
  return origin(server);
}

async function tempDest(): Promise<string> {
  return mkdtemp(join(tmpdir(), "dci-mirror-api-answers-"));
}

/** A TCP server that accepts every connection and never sends a byte. */
async function silentServer(): Promise<{ url: string; connections: () => number }> {
  const sockets: Socket[] = [];
  const server = createTcpServer((socket) => {
    sockets.push(socket);
    socket.on("error", () => undefined);
  });
  const url = await listenLocal(server, () => {
    for (const socket of sockets) socket.destroy();
  });
  return { url, connections: () => sockets.length };
}

function fakeCredentials(csUrl: string): Record<string, string> {
  return cleanEnv({
    DCI_CS_URL: csUrl,
    DCI_CLIENT_ID: "remoteci/6b3c2dbe-9ad8-4a6b-8a7a-1f2b2a1c5e10",
    DCI_API_SECRET: "a".repeat(64),
  });
}

describe("an API that accepts the connection and never answers", () => {
  it("fails within the call's budget and says the server did not answer, not that it is unreachable", async () => {
    const silent = await silentServer();
    const startedMs = performance.now();
    const result = await runCli(
      ["RHEL-9.4", await tempDest(), "--stall-timeout", "1", "--no-progress"],
      fakeCredentials(silent.url),
    );
    const elapsedMs = performance.now() - startedMs;
    expect(result.exitCode).toBe(5);
    expect(result.stderr).toContain(
      `The DCI API at ${silent.url} accepted the connection but did not answer within 1 s`,
    );
    expect(result.stderr).not.toContain("Cannot reach");
    expect(result.stderr).toContain("--stall-timeout");
    // Retried (a new connection per attempt), but within 4 × the 1 s timeout, plus start-up.
    expect(silent.connections()).toBeGreaterThanOrEqual(2);
    expect(elapsedMs).toBeLessThan(9_000);
  }, 20_000);
});

const RSS_CEILING_KIB = 1024 * 1024;

function peakRssKiB(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  } catch {
    // The child has just exited: its last reading stands.
    return 0;
  }
}

/**
 * Runs the CLI and watches its peak RSS (VmHWM) from /proc. Past 1 GiB the child is killed, so a
 * regression fails this test instead of eating the machine's memory (the bug reached 22 GB).
 */
async function runWatched(args: readonly string[], env: Record<string, string>) {
  let peakKiB = 0;
  const result = await runCli(args, env, {
    onStart: (child) => {
      const watchdog = setInterval(() => {
        peakKiB = Math.max(peakKiB, peakRssKiB(child.pid));
        if (peakKiB > RSS_CEILING_KIB) child.kill("SIGKILL");
      }, 20);
      return () => clearInterval(watchdog);
    },
  });
  return { exitCode: result.exitCode, stderr: result.stderr, peakKiB };
}

describe("an object store that accepts the connection and never answers", () => {
  it("fails the files list read within 4 × --stall-timeout, saying the store did not answer", async () => {
    const silent = await silentServer();
    const sandbox: Sandbox = await startSandbox({ size: "tiny", externalStoreOrigin: silent.url });
    closers.push(() => sandbox.close());
    const startedMs = performance.now();
    const result = await runCli(
      [
        "RHEL-9.4",
        await tempDest(),
        "--filter",
        "compose",
        "--stall-timeout",
        "1",
        "--no-progress",
      ],
      sandboxEnv(sandbox),
    );
    const elapsedMs = performance.now() - startedMs;
    expect(result.exitCode).toBe(5);
    expect(result.stderr).toMatch(
      new RegExp(
        `The object store at ${silent.url} accepted the connection but did not answer within 1 s \\(GET /\\S+/dci_files_list\\.json\\)`,
      ),
    );
    expect(silent.connections()).toBeGreaterThanOrEqual(2);
    expect(elapsedMs).toBeLessThan(7_000);
  }, 30_000);
});

/** An API that answers 200 at once, then drips its body one byte every 200 ms, for ever. */
async function drippingApi(): Promise<string> {
  const timers = new Set<NodeJS.Timeout>();
  const server = createHttpServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    const timer = setInterval(() => response.write(" "), 200);
    timers.add(timer);
    response.on("close", () => clearInterval(timer));
  });
  return listenLocal(server, () => {
    for (const timer of timers) clearInterval(timer);
    server.closeAllConnections();
  });
}

describe("an API that drips its answer without ever finishing it", () => {
  it("fails once the call's budget (4 × --stall-timeout) is used up, naming the call", async () => {
    const api = await drippingApi();
    const startedMs = performance.now();
    const result = await runCli(
      ["RHEL-9.4", await tempDest(), "--stall-timeout", "1", "--no-progress"],
      fakeCredentials(api),
    );
    const elapsedMs = performance.now() - startedMs;
    expect(result.exitCode).toBe(5);
    expect(result.stderr).toMatch(
      new RegExp(
        `The DCI API at ${api} did not complete GET /api/v1/\\S+ within 4 s, retries included\\.`,
      ),
    );
    expect(elapsedMs).toBeLessThan(9_000);
  }, 30_000);
});

/** A server (object store or API) whose every answer is an endless stream of JSON-looking bytes. */
async function endlessServer(): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const block = Buffer.alloc(1024 * 1024, '{"files": [');
  const server = createHttpServer((request, response) => {
    requests.push(new URL(request.url ?? "/", "http://x").pathname);
    response.writeHead(200, { "content-type": "application/json" });
    const pump = (): void => {
      while (!response.destroyed && response.write(block));
      if (!response.destroyed) response.once("drain", pump);
    };
    response.on("error", () => undefined);
    pump();
  });
  return { url: await listenLocal(server), requests };
}

describe("a files list that never ends", () => {
  it("fails the component with a size message, without retrying, and keeps memory bounded", async () => {
    const store = await endlessServer();
    const sandbox: Sandbox = await startSandbox({
      size: "tiny",
      externalStoreOrigin: store.url,
    });
    closers.push(() => sandbox.close());
    const topic = sandbox.catalog.topics.find((candidate) => candidate.name === "RHEL-9.4");
    const component = sandbox.catalog.components.find((item) => item.topicId === topic?.id);
    const result = await runWatched(
      ["RHEL-9.4", await tempDest(), "--filter", component?.type ?? "", "--no-progress"],
      sandboxEnv(sandbox),
    );
    expect(result.exitCode).toBe(5);
    expect(result.stderr).toMatch(
      /The files list of component [0-9a-f-]+ is larger than 256 MiB; refusing it\./,
    );
    const listRequests = store.requests.filter((path) => path.endsWith("/dci_files_list.json"));
    expect(listRequests).toHaveLength(1);
    // 256 MiB of chunks plus Node itself; the unbounded read grew to many GiB.
    expect(result.peakKiB).toBeGreaterThan(0);
    expect(result.peakKiB).toBeLessThan(RSS_CEILING_KIB);
  }, 60_000);
});

function topicRecord(id: string, name: string) {
  return {
    id,
    name,
    component_types: ["Compose"],
    state: "active",
    data: {},
    created_at: "2024-01-01T00:00:00.000000",
    export_control: true,
  };
}

function componentRecord(id: string, topicId: string) {
  return {
    id,
    topic_id: topicId,
    name: `RHEL-9.4-${id}`,
    type: "compose",
    tags: [],
    state: "active",
    created_at: "2024-01-01T00:00:00.000000",
  };
}

/**
 * A DCI API stand-in whose listings claim 10⁹ records. It does not check signatures: the client
 * signs, and signing is not what these tests are about. `answer` builds each listing page.
 */
async function lyingApi(
  answer: (path: string, offset: number) => Record<string, unknown>,
): Promise<{ url: string; paths: string[] }> {
  const paths: string[] = [];
  const server = createHttpServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://x");
    paths.push(url.pathname);
    const body = JSON.stringify({
      ...answer(url.pathname, Number(url.searchParams.get("offset") ?? 0)),
      _meta: { count: 1e9 },
    });
    response.writeHead(200, { "content-type": "application/json" }).end(body);
  });
  return { url: await listenLocal(server), paths };
}

describe("a listing whose _meta.count lies", () => {
  it("stops listing topics at the first page that adds nothing new, when the server ignores offset", async () => {
    const api = await lyingApi(() => ({
      topics: [topicRecord("t-1", "RHEL-9.4"), topicRecord("t-2", "RHEL-9.5")],
    }));
    const result = await runCli(["topics", "--json"], fakeCredentials(api.url));
    expect(result.exitCode).toBe(0);
    const names = JSON.parse(result.stdout).topics.map((topic: { name: string }) => topic.name);
    expect(names).toEqual(["RHEL-9.4", "RHEL-9.5"]);
    expect(api.paths.filter((path) => path === "/api/v1/topics")).toHaveLength(2);
  }, 20_000);

  it("stops listing a topic's components at the first page that adds nothing new", async () => {
    const api = await lyingApi((path) =>
      path === "/api/v1/topics"
        ? { topics: [topicRecord("t-1", "RHEL-9.4")] }
        : { components: [componentRecord("c-1", "t-1"), componentRecord("c-2", "t-1")] },
    );
    const result = await runCli(["components", "RHEL-9.4", "--json"], fakeCredentials(api.url));
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).components).toHaveLength(2);
    expect(api.paths.filter((path) => path.endsWith("/components"))).toHaveLength(2);
  }, 20_000);

  it("fails with a shape error after 1,000 pages of a listing that never ends", async () => {
    const api = await lyingApi((_path, offset) => ({
      topics: [topicRecord(`t-${offset}`, `topic-${offset}`)],
    }));
    const result = await runCli(["topics", "--json"], fakeCredentials(api.url));
    expect(result.exitCode).toBe(5);
    expect(result.stderr).toContain(
      "The topic list still had more records after 1000 pages; refusing to page further.",
    );
    expect(api.paths).toHaveLength(1000);
  }, 60_000);
});

/**
 * A reverse proxy in front of the sandbox that drops every v2 (RHDL) request, as the real control
 * server does when the RHDL service behind it is down. Headers go through untouched, so the
 * signature (which covers Host) still verifies at the sandbox.
 */
async function rhdlDownProxy(sandboxUrl: string): Promise<{ url: string; dropped: string[] }> {
  const dropped: string[] = [];
  const upstream = new URL(sandboxUrl);
  const server = createHttpServer((incoming, outgoing) => {
    if ((incoming.url ?? "").startsWith("/api/v2/")) {
      dropped.push(incoming.url ?? "");
      incoming.socket.destroy();
      return;
    }
    const forwarded = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on("error", () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  return { url: await listenLocal(server), dropped };
}

describe("--tech-preview rhdl when the RHDL service is down", () => {
  it("names the DCI v2 (RHDL) files gateway as the one that dropped the connection", async () => {
    const sandbox: Sandbox = await startSandbox({ size: "tiny" });
    closers.push(() => sandbox.close());
    const proxy = await rhdlDownProxy(sandbox.csUrl);
    const env = sandboxEnv(sandbox, { DCI_CS_URL: proxy.url });
    const result = await runCli(
      [
        "RHEL-9.4",
        await tempDest(),
        "--filter",
        "compose",
        "--tech-preview",
        "rhdl",
        "--no-progress",
      ],
      env,
    );
    expect(result.exitCode).toBe(5);
    expect(proxy.dropped.length).toBeGreaterThan(0);
    expect(result.stderr).toContain("The DCI v2 (RHDL) files gateway dropped the connection");
    expect(result.stderr).toContain("without --tech-preview rhdl");
    expect(result.stderr).not.toContain("Check DCI_CS_URL");
  }, 30_000);
});

describe("an API answer that never ends", () => {
  it("fails the call with a size message, without retrying, and keeps memory bounded", async () => {
    const api = await endlessServer();
    const result = await runWatched(
      ["RHEL-9.4", await tempDest(), "--no-progress"],
      fakeCredentials(api.url),
    );
    expect(result.exitCode).toBe(5);
    expect(result.stderr).toContain(
      `The answer to GET ${api.url}/api/v1/topics is larger than 64 MiB; refusing it.`,
    );
    expect(api.requests).toEqual(["/api/v1/topics"]);
    expect(result.peakKiB).toBeGreaterThan(0);
    expect(result.peakKiB).toBeLessThan(RSS_CEILING_KIB);
  }, 60_000);
});
