/**
 * Receives an answer's body into the partial: each chunk is counted, reported as progress and
 * handed to the partial's writer, and the body may not run past the listed size. A failure of the
 * body stream is a network error (retried); one of the writer is a LocalIOError (it ends the run).
 */
import type { Dispatcher } from "undici";
import { errorCode, isMirrorError } from "../errors.js";
import type { MirrorEventListener } from "../events.js";
import { reachesBeyondFile } from "../failures.js";
import type { RemoteFile } from "../model.js";
import { throwLocalIo } from "../tree/io-errors.js";
import type { BandwidthLimit } from "./bandwidth.js";
import type { HeldPartial } from "./held-partial.js";
import { onDisk } from "./on-disk.js";
import { PartialChangedError } from "./partial-writer.js";
import type { Step } from "./step.js";

type Body = Dispatcher.ResponseData["body"];

/** Who receives a body: the file, and where its bytes are counted and reported. */
export interface Receiver {
  readonly file: RemoteFile;
  readonly signal: AbortSignal;
  readonly emit: MirrorEventListener;
  /** Counts bytes received from the network, before they are written. */
  readonly onReceived: (byteCount: number) => void;
  /** `--bwlimit`: the run's shared budget, paid before each chunk is used; absent: no limit. */
  readonly bandwidth?: BandwidthLimit | undefined;
}

/** Writes the body into the partial from the bytes held on; "complete" once it holds the listed size. */
export async function receiveBody(
  body: Body,
  partial: HeldPartial,
  receiver: Receiver,
): Promise<Step> {
  const { signal } = receiver;
  const path = partial.filePath;
  const writer = await partial.openWriter();
  let step: Step | undefined;
  try {
    step = await streamBody(body, partial, writer, receiver);
    if (step.kind === "complete")
      partial.markFinished(await onDisk("write", path, signal, writer.finish));
  } finally {
    // close writes what is still queued, so the partial holds (and the hash covers) every byte
    // received. When something already failed, that first error is the one reported.
    const closing = onDisk("write", path, signal, writer.close);
    if (step === undefined) await closing.catch(() => undefined);
    else await closing;
  }
  return step;
}

/**
 * Hands the body to the writer. A failure of the body stream is a network error (retried); one
 * of the writer is a LocalIOError thrown by onDisk, which ends the file (and the run).
 */
async function streamBody(
  body: Body,
  partial: HeldPartial,
  writer: { write(chunk: Uint8Array): Promise<void> },
  receiver: Receiver,
): Promise<Step> {
  const { file, signal } = receiver;
  let offeredBytes = partial.heldBytes;
  let receivedBytes = 0;
  try {
    for await (const chunk of body) {
      const bytes: Uint8Array = chunk;
      if (offeredBytes + bytes.length > file.sizeBytes) {
        body.destroy();
        return { kind: "overflow" };
      }
      // Not reading while the budget is spent pauses the socket (undici stops its body timeout
      // while paused, so a low limit is never taken for a stall).
      if (receiver.bandwidth !== undefined) await receiver.bandwidth.take(bytes.length, signal);
      offeredBytes += bytes.length;
      receivedBytes += bytes.length;
      receiver.onReceived(bytes.length);
      receiver.emit({ type: "file-progress", path: file.path, bytes: bytes.length });
      await onDisk("write", partial.filePath, signal, () => writer.write(bytes));
    }
  } catch (error) {
    if (signal.aborted || isMirrorError(error) || error instanceof PartialChangedError) throw error;
    if (reachesBeyondFile(error)) throwLocalIo(error, signal, "receive", file.path);
    return {
      kind: "retry",
      reason: errorCode(error, "network error"),
      madeProgress: receivedBytes > 0,
    };
  }
  if (offeredBytes === file.sizeBytes) return { kind: "complete" };
  return { kind: "retry", reason: "the body ended early", madeProgress: receivedBytes > 0 };
}
