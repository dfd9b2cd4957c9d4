// holdResponse on a real node:http server: a client that gives up during the hold ends the wait at
// once, with its timer cleared, and nothing is written to the dead response.
import { createServer, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { holdResponse } from "../../src/sandbox/traffic/latency.js";

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => {
    server?.close(() => resolve());
    server?.closeAllConnections();
  });
  server = undefined;
});

/** Starts a server whose every request goes to `onRequest`; resolves with its port. */
async function serve(onRequest: (res: ServerResponse) => void): Promise<number> {
  server = createServer((_req, res) => onRequest(res));
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

const activeTimeouts = () =>
  process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;

describe("holdResponse", () => {
  it("resolves true after the delay, with the response still open", async () => {
    const held = new Promise<{ isOpen: boolean; elapsedMs: number }>((resolve) => {
      void serve((res) => {
        const startedMs = performance.now();
        void holdResponse(res, 80).then((isOpen) => {
          resolve({ isOpen, elapsedMs: performance.now() - startedMs });
          res.end();
        });
      }).then((port) => request({ host: "127.0.0.1", port }).end());
    });
    const { isOpen, elapsedMs } = await held;
    expect(isOpen).toBe(true);
    expect(elapsedMs).toBeGreaterThanOrEqual(70);
  });

  it("resolves false as soon as the client drops the request, and leaves no timer", async () => {
    const before = activeTimeouts();
    let dropClient = () => {};
    const held = new Promise<boolean>((resolve) => {
      void serve((res) => {
        const waiting = holdResponse(res, 60_000);
        dropClient();
        void waiting.then(resolve);
      }).then((port) => {
        const client = request({ host: "127.0.0.1", port, agent: false });
        client.on("error", () => {
          // The client's own abort: the ECONNRESET it reports is expected.
        });
        dropClient = () => client.destroy();
        client.end();
      });
    });
    expect(await held).toBe(false);
    // At most as many: other timers of the process may end meanwhile, the 60 s one must not stay.
    expect(activeTimeouts()).toBeLessThanOrEqual(before);
  });

  it("resolves false at once for a response already closed", async () => {
    const held = new Promise<boolean>((resolve) => {
      void serve((res) => {
        res.destroy();
        void holdResponse(res, 60_000).then(resolve);
      }).then((port) =>
        request({ host: "127.0.0.1", port })
          .on("error", () => {})
          .end(),
      );
    });
    expect(await held).toBe(false);
  });
});
