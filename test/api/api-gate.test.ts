// The client's cap on API requests in flight and its shared pause after a 429/503, on real
// sockets: a small HTTP server on 127.0.0.1 plays the files gateway, holds each answer a while,
// and records when each request arrived and how many were in flight at once.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { DciClient } from "../../src/api/client.js";

const CLIENT_ID = "remoteci/6d5f0c2e-5b3a-4b8e-9f5e-3f1b2a4c6d7e";

interface Gateway {
  readonly csUrl: string;
  readonly arrivalsMs: number[];
  peakInFlight: number;
  close(): Promise<void>;
}

/** Answers every call with a 302 after `holdMs`; the first `overloaded` calls get a 429 instead. */
async function startGateway(holdMs: number, overloaded = 0): Promise<Gateway> {
  let inFlight = 0;
  let answered = 0;
  const started = performance.now();
  const gateway: Omit<Gateway, "csUrl" | "close"> = { arrivalsMs: [], peakInFlight: 0 };
  const server: Server = createServer((request, response) => {
    gateway.arrivalsMs.push(performance.now() - started);
    inFlight++;
    gateway.peakInFlight = Math.max(gateway.peakInFlight, inFlight);
    setTimeout(() => {
      inFlight--;
      answered++;
      if (answered <= overloaded) {
        response.writeHead(429, { "retry-after": "1", "content-type": "application/json" });
        response.end(JSON.stringify({ message: "slow down" }));
        return;
      }
      response.writeHead(302, { location: `http://127.0.0.1:1/object${request.url ?? ""}` });
      response.end();
    }, holdMs);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(gateway, {
    csUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

let gateway: Gateway | undefined;
let client: DciClient | undefined;

afterEach(async () => {
  await client?.close();
  await gateway?.close();
  client = undefined;
  gateway = undefined;
});

/** A client of `gateway` letting `apiJobs` requests in flight. */
function clientOf(server: Gateway, apiJobs: number): DciClient {
  return new DciClient({ csUrl: server.csUrl, clientId: CLIENT_ID, apiSecret: "s", apiJobs });
}

function fileUrls(dci: DciClient, count: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count }, (_, index) => dci.fileUrl("c0ffee", `f/${index}.rpm`)),
  );
}

describe("API requests in flight", () => {
  it("never exceed apiJobs, however many calls are made at once", async () => {
    gateway = await startGateway(40);
    client = clientOf(gateway, 3);
    const urls = await fileUrls(client, 20);
    expect(urls).toHaveLength(20);
    expect(gateway.arrivalsMs).toHaveLength(20);
    expect(gateway.peakInFlight).toBe(3);
  });

  it("reach apiJobs when the calls are there (the cap is not a queue of one)", async () => {
    gateway = await startGateway(40);
    client = clientOf(gateway, 8);
    await fileUrls(client, 16);
    expect(gateway.peakInFlight).toBe(8);
  });

  it("refuses an apiJobs below 1 with a usage error", () => {
    expect(
      () =>
        new DciClient({
          csUrl: "http://127.0.0.1:1",
          clientId: CLIENT_ID,
          apiSecret: "s",
          apiJobs: 0,
        }),
    ).toThrow(/apiJobs must be a whole number of at least 1/);
  });
});

describe("a 429 from the control server", () => {
  it("pauses every API request for its Retry-After, not only the call that got it", async () => {
    gateway = await startGateway(20, 1);
    client = clientOf(gateway, 1);
    // One call at a time: the first gets the 429 (answered at ~20 ms) with Retry-After: 1.
    const urls = await fileUrls(client, 4);
    expect(urls).toHaveLength(4);
    const [first = 0, ...later] = gateway.arrivalsMs;
    // Every later request, the other calls' included, waited out the second.
    for (const arrival of later) expect(arrival - first).toBeGreaterThanOrEqual(950);
    expect(later).toHaveLength(4);
  });

  it("holds the calls already waiting for a slot as well", async () => {
    gateway = await startGateway(20, 1);
    client = clientOf(gateway, 4);
    await fileUrls(client, 8);
    const sorted = [...gateway.arrivalsMs].sort((a, b) => a - b);
    // The first four left together; the 429 came back at ~20 ms; the other three of the first
    // four were answered at ~20 ms too, so the four calls still waiting (and the retried one) are
    // held until ~1 s after the 429.
    const afterPause = sorted.filter((arrival) => arrival >= 950);
    expect(sorted.slice(0, 4).every((arrival) => arrival < 500)).toBe(true);
    expect(afterPause).toHaveLength(5);
  });
});
