/**
 * Writes an object-store response body under fault rules and the store's bandwidth cap: corrupted
 * bytes, a paced rate, and a stop after N bytes (cut, truncate or stall). Each piece is awaited
 * until the socket has taken it, so the request log counts bytes that really left, and a cut
 * happens after the client can see them.
 */
import type { ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import type { FaultRule } from "../faults/fault-types.js";
import { Pacer, slowerRate } from "../traffic/pacing.js";
import type { RequestLogEntry } from "../traffic/request-log.js";

export interface BodyPlan {
  readonly corrupt: boolean;
  readonly bytesPerSecond?: number;
  /** Set only when the stop comes before the end of the body. */
  readonly stop?: { readonly afterBytes: number; readonly mode: "cut" | "truncate" | "stall" };
}

/**
 * The body plan that fault rules make for a body of `bodyBytes`; the earliest stop wins, and the
 * slower of a throttle fault and the store's bandwidth cap (`capBytesPerSecond`) sets the pace.
 */
export function planBody(
  rules: readonly FaultRule[],
  bodyBytes: number,
  capBytesPerSecond?: number,
): BodyPlan {
  const first = <K extends keyof FaultRule>(key: K) =>
    rules.find((rule) => rule[key] !== undefined)?.[key];
  const stops = [
    { mode: "cut", afterBytes: first("cutAfterBytes") },
    { mode: "truncate", afterBytes: first("truncateAfterBytes") },
    { mode: "stall", afterBytes: first("stallAfterBytes") },
  ] as const;
  let stop: BodyPlan["stop"];
  for (const candidate of stops) {
    const { afterBytes, mode } = candidate;
    if (afterBytes === undefined || afterBytes >= bodyBytes) continue;
    if (stop === undefined || afterBytes < stop.afterBytes) stop = { afterBytes, mode };
  }
  const bytesPerSecond = slowerRate(first("bytesPerSecond"), capBytesPerSecond);
  return {
    corrupt: rules.some((rule) => rule.corrupt),
    ...(bytesPerSecond === undefined ? {} : { bytesPerSecond }),
    ...(stop === undefined ? {} : { stop }),
  };
}

const CORRUPT_EVERY_BYTES = 4096;

/** Streams `source` into `res` following `plan`; settles when the response is done or abandoned. */
export async function sendBody(
  res: ServerResponse,
  source: Readable,
  plan: BodyPlan,
  entry: RequestLogEntry,
  signal: AbortSignal,
): Promise<void> {
  const limitBytes = plan.stop?.afterBytes ?? Number.POSITIVE_INFINITY;
  const pacer = plan.bytesPerSecond ? new Pacer(plan.bytesPerSecond) : undefined;
  const sliceBytes = pacer?.sliceBytes ?? Number.POSITIVE_INFINITY;
  let sentBytes = 0;
  try {
    for await (const chunk of source) {
      let piece: Buffer = chunk.subarray(0, Math.max(0, limitBytes - sentBytes));
      if (plan.corrupt) piece = corrupted(piece, sentBytes);
      for (let offset = 0; offset < piece.length; offset += sliceBytes) {
        if (pacer !== undefined) await pacer.waitFor(sentBytes, signal);
        const slice = piece.subarray(offset, offset + sliceBytes);
        if (!(await writePiece(res, slice))) return;
        sentBytes += slice.length;
        entry.bytesSent = sentBytes;
      }
      if (sentBytes >= limitBytes) break;
    }
  } finally {
    source.destroy();
  }
  await finish(res, plan, signal);
}

async function finish(res: ServerResponse, plan: BodyPlan, signal: AbortSignal): Promise<void> {
  switch (plan.stop?.mode) {
    case undefined:
      res.end();
      return;
    case "cut":
      res.destroy();
      return;
    case "truncate":
      // FIN after the flushed bytes: the client sees a body shorter than Content-Length.
      res.socket?.end();
      return;
    case "stall":
      await closedOrAborted(res, signal);
      res.destroy();
      return;
  }
}

/** Writes one piece; resolves true once the socket took it, false if the connection went away. */
function writePiece(res: ServerResponse, piece: Buffer): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onClose = () => resolve(false);
    res.once("close", onClose);
    res.write(piece, (error) => {
      res.off("close", onClose);
      resolve(error === null || error === undefined);
    });
  });
}

function closedOrAborted(res: ServerResponse, signal: AbortSignal): Promise<void> {
  if (res.destroyed || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off("close", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    res.once("close", done);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** A copy of `piece` with the first byte of every 4 KiB block of the body inverted. */
function corrupted(piece: Buffer, bodyOffset: number): Buffer {
  const copy = Buffer.from(piece);
  const first = (CORRUPT_EVERY_BYTES - (bodyOffset % CORRUPT_EVERY_BYTES)) % CORRUPT_EVERY_BYTES;
  for (let index = first; index < copy.length; index += CORRUPT_EVERY_BYTES) {
    copy[index] = (copy[index] ?? 0) ^ 0xff;
  }
  return copy;
}
