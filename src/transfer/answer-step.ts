/**
 * What the object store's answer to one file request means: a 200 or 206 body is received into
 * the partial (unless it states another size, or cannot continue the bytes held), a 416 may mean
 * the partial is already whole, a 403 asks for a fresh presigned URL, a 404 fails the file, and
 * other statuses are retried (with Retry-After) or fail it.
 */
import type { Dispatcher } from "undici";
import { NetworkError, NotFoundError } from "../errors.js";
import { isRetryableStatus, parseRetryAfter } from "../http/backoff.js";
import { firstHeader } from "../http/headers.js";
import type { RemoteFile } from "../model.js";
import { sizeMismatchError } from "./file-errors.js";
import type { HeldPartial } from "./held-partial.js";
import { type Receiver, receiveBody } from "./receive-body.js";
import type { Step } from "./step.js";
import {
  continuesPartial,
  statedObjectBytes,
  strongEtag,
  unsatisfiedRangeTotal,
} from "./store-answer.js";

type Response = Dispatcher.ResponseData;

/** The step an answer leads to; a body is received into `partial` before this resolves. */
export async function answerStep(
  response: Response,
  partial: HeldPartial,
  receiver: Receiver,
): Promise<Step> {
  const status = response.statusCode;
  if (status === 200 || status === 206) return answerBody(response, partial, receiver);
  await response.body.dump();
  if (status === 416) return answerUnsatisfiable(response, partial, receiver.file);
  return statusStep(status, response.headers, receiver.file);
}

/** A status without a body to keep (the body is already dumped). */
function statusStep(status: number, headers: Response["headers"], file: RemoteFile): Step {
  // 403 from the store is an expired (or refused) presigned URL: the next attempt asks the API again.
  if (status === 403)
    return { kind: "retry", reason: "presigned URL expired (HTTP 403)", isImmediate: true };
  if (status === 404) {
    return {
      kind: "fail",
      error: new NotFoundError(
        `${file.path} is listed but missing from the object store (HTTP 404).`,
        {
          code: "FILE_NOT_FOUND",
          hint: "The component's files list and its objects disagree; report it to your Red Hat contact.",
        },
      ),
    };
  }
  if (isRetryableStatus(status)) {
    const retryAfterMs = parseRetryAfter(firstHeader(headers, "retry-after"), Date.now());
    return { kind: "retry", reason: `HTTP ${status}`, retryAfterMs };
  }
  return {
    kind: "fail",
    error: new NetworkError(`The object store answered HTTP ${status} for ${file.path}.`, {
      code: "STORE_ERROR",
      hint: "Run again later; if it persists, report it to your Red Hat contact.",
    }),
  };
}

/**
 * A 200 or 206: its body is received unless the store states another size than listed (the file
 * fails) or a 206 cannot continue the bytes held (they are dropped, and the file retried at once).
 */
async function answerBody(
  response: Response,
  partial: HeldPartial,
  receiver: Receiver,
): Promise<Step> {
  const { file } = receiver;
  const storedBytes = statedObjectBytes(response.statusCode, response.headers);
  if (storedBytes !== undefined && storedBytes !== file.sizeBytes) {
    await response.body.dump();
    return { kind: "fail", error: sizeMismatchError(file, storedBytes) };
  }
  if (
    response.statusCode === 206 &&
    !continuesPartial(response.headers, {
      heldBytes: partial.heldBytes,
      sizeBytes: file.sizeBytes,
      ...(partial.etag === undefined ? {} : { etag: partial.etag }),
    })
  ) {
    await response.body.dump();
    await partial.restart();
    return {
      kind: "retry",
      reason: "the object changed or answered another range",
      isImmediate: true,
    };
  }
  if (response.statusCode === 200 && partial.heldBytes > 0) await partial.restart();
  if (partial.heldBytes === 0)
    await partial.startFresh(strongEtag(firstHeader(response.headers, "etag")));
  return receiveBody(response.body, partial, receiver);
}

/**
 * A 416 to `Range: bytes=<held>-`: "complete" only when the partial holds the full size (its
 * hash and its size on disk are checked before it is placed); a `bytes *\/N` naming another
 * size than the files list fails the file at once instead of restarting it forever.
 */
async function answerUnsatisfiable(
  response: Response,
  partial: HeldPartial,
  file: RemoteFile,
): Promise<Step> {
  const totalBytes = unsatisfiedRangeTotal(response.headers);
  if (totalBytes !== undefined && totalBytes !== file.sizeBytes)
    return { kind: "fail", error: sizeMismatchError(file, totalBytes) };
  if (partial.heldBytes === file.sizeBytes) return { kind: "complete" };
  await partial.restart();
  return { kind: "retry", reason: "HTTP 416", isImmediate: true };
}
