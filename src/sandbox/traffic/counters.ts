/**
 * Connection and concurrency counters per sandbox server, so tests can assert how a client uses the
 * network ("at most 4 API requests in flight", "one connection for 200 files") from what the
 * server really saw, not from the client's own account.
 */
import type { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";

/** One server's traffic, counted since it started or since the last `reset()`. */
export interface ServerTraffic {
  /** TCP connections accepted (the server's `connection` event); a reused keep-alive socket is one. */
  readonly connections: number;
  /** Requests received whose response has not closed yet (sent in full, or cut). */
  readonly inFlight: number;
  /** The most requests in flight at the same time. */
  readonly peakInFlight: number;
}

/** The counters of one server, fed by the server it watches. */
export class ServerCounter implements ServerTraffic {
  #connections = 0;
  #inFlight = 0;
  #peakInFlight = 0;

  get connections(): number {
    return this.#connections;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get peakInFlight(): number {
    return this.#peakInFlight;
  }

  /**
   * Counts `server`'s connections and requests from now on (an http or https server). A request
   * is in flight from its `request` event until its response's `close`, which Node emits once
   * whether the response was sent or the connection dropped.
   */
  watch(server: EventEmitter): void {
    server.on("connection", (_socket: Socket) => {
      this.#connections++;
    });
    // Prepended, so the request counts before the handler runs (and may answer synchronously).
    server.prependListener("request", (_req: IncomingMessage, res: ServerResponse) => {
      this.#inFlight++;
      this.#peakInFlight = Math.max(this.#peakInFlight, this.#inFlight);
      res.once("close", () => {
        this.#inFlight--;
      });
    });
  }

  /** Zeroes the connection count; the peak restarts from the requests in flight right now. */
  reset(): void {
    this.#connections = 0;
    this.#peakInFlight = this.#inFlight;
  }
}

/** What the sandbox shows of both servers' traffic. */
export interface SandboxTraffic {
  readonly api: ServerTraffic;
  readonly store: ServerTraffic;
  /** Resets both servers' counters (as `requestLog.clear()` empties the log). */
  reset(): void;
}

/** The counters of both sandbox servers. */
export class TrafficCounters implements SandboxTraffic {
  readonly api = new ServerCounter();
  /** Stays at zero with an external object store (the sandbox does not see its traffic). */
  readonly store = new ServerCounter();

  reset(): void {
    this.api.reset();
    this.store.reset();
  }
}
