/**
 * Reads an HTTP answer's body into memory with a ceiling: a server that sends an endless (or just
 * enormous) body must fail the call, not grow the process until the kernel kills it.
 */
import { ApiShapeError } from "../errors.js";

const MIB = 1024 * 1024;

/**
 * Ceiling for a files list (dci_files_list.json, rhdl_files_list.json) and an images list. The
 * largest real RHEL composes list 60–100k files at about 300 bytes an entry: 20–30 MiB. 256 MiB
 * leaves ten times that, and still fits a JavaScript string and its parsed objects in memory.
 */
export const FILES_LIST_MAX_BYTES = 256 * MIB;

/** Ceiling for any other DCI API JSON answer (identity, topics, components, jobs): pages of
 * 100 records are a few hundred KiB, so 64 MiB is far above anything real. */
export const API_ANSWER_MAX_BYTES = 64 * MIB;

/** The part of an undici body this reader needs; `destroy` aborts the request. */
export interface CappedBody extends AsyncIterable<unknown> {
  destroy(error?: Error): unknown;
}

export interface BodyLimit {
  readonly maxBytes: number;
  /** What is being read, for the message: `the files list of component 7f6b…`. */
  readonly what: string;
}

function formatLimit(maxBytes: number): string {
  return maxBytes % MIB === 0 ? `${maxBytes / MIB} MiB` : `${maxBytes} bytes`;
}

/** The error for a body past its ceiling; never retried (the same server would send it again). */
export function bodyTooLarge(limit: BodyLimit): ApiShapeError {
  return new ApiShapeError(
    `${capitalize(limit.what)} is larger than ${formatLimit(limit.maxBytes)}; refusing it.`,
    {
      code: "API_BODY_TOO_LARGE",
      hint: "No real DCI answer is that large: check DCI_CS_URL (and any proxy) points at a DCI control server, and report it with --verbose output if it does.",
    },
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Reads the body as UTF-8 text; throws ApiShapeError (and aborts the request) as soon as more
 * than `limit.maxBytes` arrived, or when Content-Length already says so.
 */
export async function readCappedText(
  body: CappedBody,
  contentLength: string | undefined,
  limit: BodyLimit,
): Promise<string> {
  if (contentLength !== undefined && Number(contentLength) > limit.maxBytes) {
    const error = bodyTooLarge(limit);
    body.destroy(error);
    throw error;
  }
  const chunks: Buffer[] = [];
  let sizeBytes = 0;
  for await (const chunk of body) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    sizeBytes += bytes.length;
    if (sizeBytes > limit.maxBytes) {
      const error = bodyTooLarge(limit);
      // Destroying the body closes the socket: the rest of an endless body is never received.
      body.destroy(error);
      throw error;
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString("utf8");
}
