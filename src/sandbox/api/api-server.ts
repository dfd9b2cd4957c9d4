/**
 * The sandbox's DCI API server: a node:http server on 127.0.0.1 that routes like werkzeug, verifies
 * every signed request as the DCI control server does, serves the endpoints a downloader
 * uses from a catalog, and logs every request to the shared RequestLog.
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import { verifyRequest } from "../../signing/verify.js";
import type { SandboxCatalog } from "../catalog/catalog-types.js";
import { createListener, type ServerTls, schemeOf } from "../tls/listener.js";
import type { ServerCounter } from "../traffic/counters.js";
import { holdResponse } from "../traffic/latency.js";
import { requestHeader } from "../traffic/request-header.js";
import type { RequestLog } from "../traffic/request-log.js";
import type { ApiContext, ApiRequest } from "./api-context.js";
import { dispatch } from "./api-dispatch.js";
import { type ApiResponse, errorResponse, jsonResponse } from "./api-response.js";
import { matchRoute, splitTarget } from "./api-routes.js";
import { writeApiResponse } from "./api-writer.js";
import type { GatewayOptions } from "./files-gateway.js";
import { JobStore, type SandboxJob } from "./job-store.js";
import { findViewer, type Viewer } from "./visibility.js";

export interface ApiServerOptions extends Omit<GatewayOptions, "urlExpirySeconds"> {
  /** Default `127.0.0.1`: the literal IP, because `localhost` may resolve to `::1`. */
  readonly host?: string;
  /** Default 0: a free port, read back from `origin`. */
  readonly port?: number;
  /**
   * The catalog, read afresh on every request: pass a getter to swap in a catalog with extra
   * (hostile) components between requests, or a catalog whose arrays you mutate in place.
   */
  readonly catalog: SandboxCatalog | (() => SandboxCatalog);
  readonly log: RequestLog;
  /** The server clock in epoch milliseconds; shift it to simulate clock skew. */
  readonly now: () => number;
  /** Lifetime of presigned URLs; default 600 s, as DCI. */
  readonly urlExpirySeconds?: number;
  /** Larger request bodies get a 413; default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Every answer is held this long before its head is sent (a far-away server); default 0. */
  readonly latencyMs?: number | undefined;
  /** Counts this server's connections and requests in flight. */
  readonly traffic?: ServerCounter | undefined;
  /** Serve HTTPS with this certificate (default: plain HTTP). */
  readonly tls?: ServerTls | undefined;
}

export interface ApiServer {
  /** `http://127.0.0.1:<port>`; the API lives under `<origin>/api/v1`. */
  readonly origin: string;
  /** Jobs created through `POST /api/v1/jobs` and not yet deleted. */
  readonly jobs: ReadonlyMap<string, SandboxJob>;
  /** Stops listening and cuts every open connection. */
  close(): Promise<void>;
}

interface ServerState {
  readonly options: ApiServerOptions;
  readonly gateway: GatewayOptions;
  readonly jobs: JobStore;
}

const HEALTH = { _status: "OK", message: "Distributed CI." } as const;

/** Reads the whole body; undefined when it exceeds the limit (the rest is drained, not kept). */
async function readBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = [];
  let sizeBytes = 0;
  for await (const chunk of req) {
    const bytes = chunk instanceof Uint8Array ? chunk : Buffer.from(String(chunk));
    sizeBytes += bytes.length;
    if (sizeBytes <= maxBytes) chunks.push(bytes);
  }
  return sizeBytes > maxBytes ? undefined : Buffer.concat(chunks);
}

/**
 * Verifies the signature as the DCI control server does and finds the caller, or answers the
 * refusal.
 */
function authenticate(
  request: ApiRequest,
  catalog: SandboxCatalog,
  nowMs: number,
): Viewer | ApiResponse {
  const verdict = verifyRequest({
    method: request.method,
    path: request.rawPath,
    query: request.rawQuery,
    headers: request.headers,
    body: request.body,
    now: new Date(nowMs),
    findIdentity: (clientType, clientId) => {
      const viewer = findViewer(catalog, clientType, clientId);
      if (viewer === undefined) return undefined;
      const { identity, team } = viewer;
      const isTeamActive = team.state === "active";
      return { secret: identity.secret, teamName: team.name, isTeamActive };
    },
  });
  if (!verdict.ok) return errorResponse(verdict.status, verdict.message);
  const viewer = findViewer(catalog, verdict.clientType, verdict.clientId);
  return viewer ?? errorResponse(404, `${verdict.clientType} not found`);
}

async function respond(req: IncomingMessage, state: ServerState): Promise<ApiResponse> {
  const method = req.method ?? "GET";
  const { path, query } = splitTarget(req.url ?? "/");
  const match = matchRoute(method, path);
  if (match.kind === "not-found") return { kind: "html", status: 404 };
  if (match.kind === "method-not-allowed") return { kind: "html", status: 405 };
  const route = match.route;
  if (route.name === "health") {
    return jsonResponse(200, route.version === 1 ? HEALTH : { ...HEALTH, version: "2" });
  }
  const body = await readBody(req, state.options.maxBodyBytes ?? 1024 * 1024);
  if (body === undefined) return errorResponse(413, "Request Entity Too Large");
  const catalog =
    typeof state.options.catalog === "function" ? state.options.catalog() : state.options.catalog;
  const nowMs = state.options.now();
  const request: ApiRequest = {
    method,
    rawPath: path,
    rawQuery: query,
    headers: req.headers,
    body,
  };
  const viewer = authenticate(request, catalog, nowMs);
  if ("kind" in viewer) return viewer;
  const context: ApiContext = { request, catalog, viewer, nowMs, jobs: state.jobs };
  return dispatch(route, context, state.gateway);
}

/** Answers one request; never rejects (an unexpected error becomes the HTML 500 page). */
async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  state: ServerState,
): Promise<void> {
  const { path, query } = splitTarget(req.url ?? "/");
  const entry = state.options.log.add({
    server: "api",
    method: req.method ?? "GET",
    path,
    query,
    range: requestHeader(req, "range"),
    ifRange: requestHeader(req, "if-range"),
    hasAuthorization: req.headers.authorization !== undefined,
  });
  const latencyMs = state.options.latencyMs ?? 0;
  // The client may give up during the wait: then there is no one to answer.
  if (latencyMs > 0 && !(await holdResponse(res, latencyMs))) return;
  let response: ApiResponse;
  try {
    response = await respond(req, state);
  } catch {
    // The real server turns unhandled exceptions into werkzeug's HTML 500 page; so do we.
    response = { kind: "html", status: 500 };
  }
  const isHead = req.method === "HEAD";
  // Date follows the sandbox clock, so a shifted clock looks to clients like a real skewed server.
  res.setHeader("Date", new Date(state.options.now()).toUTCString());
  try {
    writeApiResponse(res, response, { isHead, entry });
  } catch {
    // A header value Node refuses (a hostile catalog etag with a newline): a 500, not a crash.
    if (res.headersSent) res.destroy();
    else writeApiResponse(res, { kind: "html", status: 500 }, { isHead, entry });
  }
}

/** Starts the sandbox API server and resolves once it listens; rejects if the port is taken. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const jobs = new JobStore();
  const gateway: GatewayOptions = {
    storeOrigin: options.storeOrigin,
    storeSecret: options.storeSecret,
    urlExpirySeconds: options.urlExpirySeconds ?? 600,
    ...(options.takeGatewayFault === undefined
      ? {}
      : { takeGatewayFault: options.takeGatewayFault }),
  };
  const state: ServerState = { options, gateway, jobs };
  const server = createListener(options.tls, (req, res) => {
    // handle() catches everything itself, so this promise cannot reject.
    void handle(req, res, state);
  });
  options.traffic?.watch(server);
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const authority = host.includes(":") ? `[${host}]` : host;
  return {
    origin: `${schemeOf(options.tls)}://${authority}:${port}`,
    jobs: jobs.view,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
}
