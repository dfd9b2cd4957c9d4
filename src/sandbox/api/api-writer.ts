/**
 * Writes an ApiResponse to a node:http response and completes its RequestLog entry with the status
 * and the body bytes actually sent (none for HEAD).
 */
import type { ServerResponse } from "node:http";
import type { RequestLogEntry } from "../traffic/request-log.js";
import { type ApiResponse, HTML_PAGES } from "./api-response.js";

function bodyOf(response: ApiResponse): { readonly bytes: Buffer; readonly contentType?: string } {
  switch (response.kind) {
    case "json":
      return { bytes: Buffer.from(JSON.stringify(response.body)), contentType: "application/json" };
    case "html":
      return {
        bytes: Buffer.from(HTML_PAGES[response.status]),
        contentType: "text/html; charset=utf-8",
      };
    case "empty":
      return { bytes: Buffer.alloc(0) };
  }
}

/** Sends the response; HEAD gets the same headers as GET and no body. */
export function writeApiResponse(
  res: ServerResponse,
  response: ApiResponse,
  request: { readonly isHead: boolean; readonly entry: RequestLogEntry },
): void {
  const { bytes, contentType } = bodyOf(response);
  const headers: Record<string, string> = {};
  if (contentType !== undefined) headers["Content-Type"] = contentType;
  // RFC 9110 §8.6: a 204 carries no Content-Length.
  if (response.status !== 204) headers["Content-Length"] = String(bytes.length);
  Object.assign(headers, response.headers);
  res.writeHead(response.status, headers);
  const bytesSent = request.isHead || response.status === 204 ? 0 : bytes.length;
  request.entry.status = response.status;
  request.entry.bytesSent = bytesSent;
  res.end(bytesSent === 0 ? undefined : bytes);
}
