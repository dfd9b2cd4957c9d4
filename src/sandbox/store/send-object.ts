/**
 * Sends a found object as the sandbox object store does: its size as stored (a fault may cut it
 * short), a single byte range when asked (with If-Range), S3's headers, then the body under the
 * store-stage fault rules.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SandboxObject } from "../catalog/catalog-types.js";
import type { FaultRule } from "../faults/fault-types.js";
import { requestHeader } from "../traffic/request-header.js";
import type { RequestLogEntry } from "../traffic/request-log.js";
import { decideRequestRange } from "./byte-range.js";
import { planBody, sendBody } from "./store-body.js";
import { ERRORS, sendError } from "./store-errors.js";

/**
 * Aborts when this response closes (sent, dropped by the client, or destroyed by close()). One
 * signal per response: a throttled or stalled body waits on it, so no listener is ever added to a
 * store-wide signal (with many bodies in flight, that piled up: MaxListenersExceededWarning).
 */
export function whenClosed(res: ServerResponse): AbortSignal {
  const closed = new AbortController();
  res.once("close", () => closed.abort());
  return closed.signal;
}

interface SendInput {
  readonly req: IncomingMessage;
  readonly rules: readonly FaultRule[];
  readonly isHead: boolean;
  readonly signal: AbortSignal;
  /** The store's bandwidth cap for this body, bytes per second; undefined: none. */
  readonly bytesPerSecond?: number | undefined;
}

export async function sendObject(
  res: ServerResponse,
  entry: RequestLogEntry,
  object: SandboxObject,
  input: SendInput,
): Promise<void> {
  const sizeBytes = storedSize(object.sizeBytes, input.rules);
  const decision = decideRequestRange(
    {
      range: input.req.headers.range,
      ifRange: requestHeader(input.req, "if-range"),
      ignoreRange: input.rules.some((rule) => rule.ignoreRange),
    },
    { sizeBytes, etag: object.etag, lastModified: object.lastModified },
  );
  if (decision.kind === "unsatisfiable") {
    res.setHeader("Content-Range", `bytes */${sizeBytes}`);
    sendError(res, entry, { ...ERRORS.invalidRange, isHead: input.isHead });
    return;
  }
  const start = decision.kind === "partial" ? decision.start : 0;
  const endInclusive = decision.kind === "partial" ? decision.endInclusive : sizeBytes - 1;
  const bodyBytes = endInclusive - start + 1;
  res.setHeader("Content-Type", "application/octet-stream");
  res.setHeader("Content-Length", bodyBytes);
  res.setHeader("ETag", object.etag);
  res.setHeader("Last-Modified", object.lastModified.toUTCString());
  res.setHeader("Accept-Ranges", "bytes");
  if (decision.kind === "partial") {
    res.setHeader("Content-Range", `bytes ${start}-${endInclusive}/${sizeBytes}`);
  }
  entry.status = decision.kind === "partial" ? 206 : 200;
  res.writeHead(entry.status);
  if (input.isHead || bodyBytes === 0) {
    res.end();
    return;
  }
  // Headers go out now, so a fault that stops at 0 body bytes still shows the client a status.
  res.flushHeaders();
  const plan = planBody(input.rules, bodyBytes, input.bytesPerSecond);
  await sendBody(res, object.read(start, endInclusive), plan, entry, input.signal);
}

/** The object's size as the store shows it: cut short by a `storedBytes` fault, if one hits. */
function storedSize(sizeBytes: number, rules: readonly FaultRule[]): number {
  const stored = rules.find((rule) => rule.storedBytes !== undefined)?.storedBytes;
  return stored === undefined ? sizeBytes : Math.min(sizeBytes, stored);
}
