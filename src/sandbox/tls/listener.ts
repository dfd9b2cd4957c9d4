/**
 * The sandbox's servers listen over plain HTTP, or over HTTPS with a given certificate: one
 * factory for the API server and the object store, so both serve the same way.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";

/** A server certificate and its private key, PEM. */
export interface ServerTls {
  readonly certPem: string;
  readonly keyPem: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A node:http server, or a node:https one when `tls` is given (not listening yet). */
export function createListener(tls: ServerTls | undefined, handler: Handler) {
  return tls === undefined
    ? createHttpServer(handler)
    : createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, handler);
}

/** `http` or `https`, for the server's origin. */
export function schemeOf(tls: ServerTls | undefined): "http" | "https" {
  return tls === undefined ? "http" : "https";
}
