import type { IncomingMessage } from "node:http";

/** A request header as one string (repeated headers joined as HTTP allows), for logs and checks. */
export function requestHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}
