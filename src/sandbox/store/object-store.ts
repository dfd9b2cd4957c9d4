/**
 * The sandbox object store: an S3-like origin behind the files gateway's presigned URLs. It checks
 * the presigned query, serves whole objects and single byte ranges (with If-Range), answers errors
 * as S3-style XML, applies the store-stage fault rules and logs every request without its query.
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { SandboxObject } from "../catalog/catalog-types.js";
import type { FaultRule } from "../faults/fault-types.js";
import type { FaultQuery } from "../faults/faults.js";
import { createListener, type ServerTls, schemeOf } from "../tls/listener.js";
import type { ServerCounter } from "../traffic/counters.js";
import { holdResponse } from "../traffic/latency.js";
import { requestHeader } from "../traffic/request-header.js";
import type { RequestLog, RequestLogEntry } from "../traffic/request-log.js";
import type { LocatedObject } from "./objects.js";
import { checkPresigned } from "./presign.js";
import { sendObject, whenClosed } from "./send-object.js";
import { ERRORS, sendError } from "./store-errors.js";

export type StoreResolver = (
  objectKey: string,
) => SandboxObject | LocatedObject | undefined | Promise<SandboxObject | LocatedObject | undefined>;

export interface ObjectStoreOptions {
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Default 0: any free port. */
  readonly port?: number;
  readonly resolve: StoreResolver;
  /** The secret presigned URLs are signed with (shared with the files gateway). */
  readonly secret: string;
  readonly faults: { readonly take: (query: FaultQuery) => readonly FaultRule[] };
  readonly log: RequestLog;
  /** Clock for URL expiry, in epoch milliseconds. */
  readonly now: () => number;
  /** Every answer is held this long before its head is sent (a far-away store); default 0. */
  readonly latencyMs?: number | undefined;
  /** Each response body is paced to at most this many bytes per second; default: no cap. */
  readonly bytesPerSecond?: number | undefined;
  /** Counts this server's connections and requests in flight. */
  readonly traffic?: ServerCounter | undefined;
  /** Serve HTTPS with this certificate (default: plain HTTP). */
  readonly tls?: ServerTls | undefined;
}

export interface ObjectStore {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly origin: string;
  /** Stops listening and destroys every connection, stalled ones included. */
  close(): Promise<void>;
}

type StoreContext = ObjectStoreOptions;

/** Starts the object store; rejects if it cannot listen. */
export async function startObjectStore(options: ObjectStoreOptions): Promise<ObjectStore> {
  const host = options.host ?? "127.0.0.1";
  const context: StoreContext = options;
  const sockets = new Set<Socket>();
  const server = createListener(options.tls, (req, res) => {
    // handle() catches its own errors; nothing is left to await here.
    void handle(req, res, context);
  });
  options.traffic?.watch(server);
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port }: AddressInfo = addressOf(server.address());
  return {
    origin: `${schemeOf(options.tls)}://${host}:${port}`,
    close: async () => {
      // Destroying every socket closes every response, which ends its waits (see whenClosed).
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

function splitUrl(rawUrl: string): readonly [string, string] {
  const queryStart = rawUrl.indexOf("?");
  return queryStart < 0
    ? [rawUrl, ""]
    : [rawUrl.slice(0, queryStart), rawUrl.slice(queryStart + 1)];
}

function addressOf(address: string | AddressInfo | null): AddressInfo {
  if (address === null || typeof address === "string") {
    throw new Error("the object store is not listening on a TCP port");
  }
  return address;
}

async function handle(req: IncomingMessage, res: ServerResponse, context: StoreContext) {
  const method = req.method ?? "GET";
  const [rawPath, rawQuery] = splitUrl(req.url ?? "/");
  const check = checkPresigned(rawPath, rawQuery, method, context.now(), context.secret);
  const entry = context.log.add({
    server: "store",
    method,
    path: rawPath,
    query: "",
    range: req.headers.range,
    ifRange: requestHeader(req, "if-range"),
    hasAuthorization: req.headers.authorization !== undefined,
    ...(check.ok ? { objectKey: check.objectKey } : {}),
  });
  const isHead = method === "HEAD";
  const latencyMs = context.latencyMs ?? 0;
  // The client may give up during the wait: then there is no one to answer.
  if (latencyMs > 0 && !(await holdResponse(res, latencyMs))) return;
  try {
    if (entry.hasAuthorization && new URLSearchParams(rawQuery).has("X-Amz-Signature")) {
      sendError(res, entry, { ...ERRORS.twoAuthMechanisms, isHead });
    } else if (!check.ok) {
      sendError(res, entry, {
        status: check.status,
        code: check.code,
        message: check.message,
        isHead,
      });
    } else {
      await respond(req, res, entry, { context, objectKey: check.objectKey, isHead });
    }
  } catch {
    // After the head, a failure (a closed server, a broken source) can only drop the connection.
    if (res.headersSent) res.destroy();
    else sendError(res, entry, { ...ERRORS.internal, isHead });
  }
}

async function respond(
  req: IncomingMessage,
  res: ServerResponse,
  entry: RequestLogEntry,
  target: { readonly context: StoreContext; readonly objectKey: string; readonly isHead: boolean },
): Promise<void> {
  const { context, objectKey, isHead } = target;
  const object = await context.resolve(objectKey);
  if (!object) {
    sendError(res, entry, { ...ERRORS.noSuchKey, isHead });
    return;
  }
  const rules = context.faults.take({ ...locationOf(object, objectKey), stage: "store" });
  const storeStatus = rules.find((rule) => rule.storeStatus)?.storeStatus;
  if (storeStatus) {
    sendError(res, entry, {
      ...ERRORS.injected(storeStatus.status),
      isHead,
      ...(storeStatus.retryAfterSeconds === undefined
        ? {}
        : { retryAfterSeconds: storeStatus.retryAfterSeconds }),
    });
    return;
  }
  await sendObject(res, entry, object, {
    req,
    rules,
    isHead,
    signal: whenClosed(res),
    bytesPerSecond: context.bytesPerSecond,
  });
}

function locationOf(object: SandboxObject | LocatedObject, objectKey: string) {
  if ("componentId" in object)
    return { componentId: object.componentId, filePath: object.filePath };
  const slash = objectKey.indexOf("/");
  return { componentId: objectKey.slice(0, slash), filePath: objectKey.slice(slash + 1) };
}
