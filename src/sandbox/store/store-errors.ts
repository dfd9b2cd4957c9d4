/**
 * S3-style error replies of the sandbox object store: XML bodies for GET, none for HEAD, and the
 * codes S3 uses, so a client's error handling meets what it will meet in production.
 */
import type { ServerResponse } from "node:http";
import type { RequestLogEntry } from "../traffic/request-log.js";

export interface ErrorReply {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly isHead?: boolean;
  readonly retryAfterSeconds?: number;
}

type ErrorTemplate = Omit<ErrorReply, "isHead" | "retryAfterSeconds">;

export const ERRORS = {
  twoAuthMechanisms: {
    status: 400,
    code: "InvalidArgument",
    message:
      "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified",
  },
  noSuchKey: { status: 404, code: "NoSuchKey", message: "The specified key does not exist." },
  invalidRange: {
    status: 416,
    code: "InvalidRange",
    message: "The requested range is not satisfiable",
  },
  internal: { status: 500, code: "InternalError", message: "We encountered an internal error." },
  injected: (status: number): ErrorTemplate => ({
    status,
    code: status >= 500 ? "ServiceUnavailable" : "InjectedFault",
    message: "Fault injected by the sandbox",
  }),
} as const satisfies Record<string, ErrorTemplate | ((status: number) => ErrorTemplate)>;

/** Sends an error reply and records its status and body size in the log entry. */
export function sendError(res: ServerResponse, entry: RequestLogEntry, reply: ErrorReply): void {
  const body = reply.isHead
    ? ""
    : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${reply.code}</Code><Message>${reply.message}</Message></Error>`;
  res.setHeader("Content-Type", "application/xml");
  res.setHeader("Content-Length", Buffer.byteLength(body));
  if (reply.retryAfterSeconds !== undefined) {
    res.setHeader("Retry-After", String(reply.retryAfterSeconds));
  }
  entry.status = reply.status;
  res.writeHead(reply.status);
  res.end(body, () => {
    entry.bytesSent = Buffer.byteLength(body);
  });
}
