// The traffic counters on real sockets, exact as client tests need them: connections as the server
// accepted them (a keep-alive reuse is not a new one) and the peak of requests in flight at once.
import { Agent, request } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";

const LATENCY_MS = 100;

let sandbox: Sandbox;
let health: string;

beforeAll(async () => {
  // The hold keeps concurrent requests in flight together long enough to be counted together.
  sandbox = await startSandbox({ size: "tiny", apiLatencyMs: LATENCY_MS });
  health = `${sandbox.csUrl}/api/v1/`;
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  sandbox.traffic.reset();
  sandbox.requestLog.clear();
});

/** Runs `use` with a private agent, closed afterwards so no pooled socket outlives the test. */
async function withAgent<T>(options: Agent.Options, use: (agent: Agent) => Promise<T>): Promise<T> {
  const agent = new Agent(options);
  try {
    return await use(agent);
  } finally {
    await agent.close();
  }
}

async function getText(url: string, agent: Agent, signal?: AbortSignal): Promise<number> {
  const response = await request(url, { dispatcher: agent, ...(signal ? { signal } : {}) });
  await response.body.text();
  return response.statusCode;
}

describe("sandbox.traffic", () => {
  it("counts one connection for two requests over one keep-alive agent, two for two agents", async () => {
    // One connection per origin: an unbounded undici pool sends a request made in the same tick as
    // the previous body's end on a second socket (the first is not back in the pool yet).
    await withAgent({ connections: 1 }, async (agent) => {
      expect(await getText(health, agent)).toBe(200);
      expect(await getText(health, agent)).toBe(200);
    });
    expect(sandbox.traffic.api.connections).toBe(1);
    await withAgent({ connections: 1 }, (agent) => getText(health, agent));
    expect(sandbox.traffic.api.connections).toBe(2);
    expect(sandbox.traffic.store.connections).toBe(0);
    expect(sandbox.traffic.api.peakInFlight).toBe(1);
  });

  it("peaks at the number of requests held at once", async () => {
    await withAgent({}, async (agent) => {
      const statuses = await Promise.all(Array.from({ length: 5 }, () => getText(health, agent)));
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
    });
    expect(sandbox.traffic.api).toMatchObject({ connections: 5, inFlight: 0, peakInFlight: 5 });
  });

  it("sees a client's connection limit: five requests over two connections peak at two", async () => {
    await withAgent({ connections: 2 }, async (agent) => {
      await Promise.all(Array.from({ length: 5 }, () => getText(health, agent)));
    });
    expect(sandbox.traffic.api).toMatchObject({ connections: 2, inFlight: 0, peakInFlight: 2 });
  });

  it("counts a request the client drops during the hold out of flight, and serves on", async () => {
    await withAgent({}, async (agent) => {
      const dropped = new AbortController();
      const pending = getText(health, agent, dropped.signal);
      await vi.waitFor(() => expect(sandbox.traffic.api.inFlight).toBe(1));
      dropped.abort();
      await expect(pending).rejects.toThrow();
      await vi.waitFor(() => expect(sandbox.traffic.api.inFlight).toBe(0));
      expect(await getText(health, agent)).toBe(200);
    });
    // The dropped request got no status line; the next one was answered.
    expect(sandbox.requestLog.entries.map((entry) => entry.status)).toEqual([0, 200]);
    expect(sandbox.traffic.api.peakInFlight).toBe(1);
  });

  it("restarts the peak from the requests still in flight on reset", async () => {
    await withAgent({}, async (agent) => {
      const first = getText(health, agent);
      const second = getText(health, agent);
      await vi.waitFor(() => expect(sandbox.traffic.api.inFlight).toBe(2));
      sandbox.traffic.reset();
      expect(sandbox.traffic.api).toMatchObject({ connections: 0, inFlight: 2, peakInFlight: 2 });
      await Promise.all([first, second]);
    });
    expect(sandbox.traffic.api.inFlight).toBe(0);
    sandbox.traffic.reset();
    expect(sandbox.traffic.api).toMatchObject({ connections: 0, inFlight: 0, peakInFlight: 0 });
  });
});
