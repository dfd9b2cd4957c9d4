/**
 * What an object-store answer says about the object and a resume, read from its headers. Pure.
 * Resume rules after undici's RetryHandler (RFC 9110 §14 and §13.1.5).
 */
import { firstHeader } from "../http/headers.js";

type Headers = Readonly<Record<string, string | string[] | undefined>>;

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+)$/;
/** A 416's Content-Range: the object's real size (RFC 9110 §14.4). */
const UNSATISFIED_RANGE = /^bytes \*\/(\d+)$/;

/** Weak ETags promise no byte-for-byte equality, so they never guard a resume. */
export function strongEtag(value: string | undefined): string | undefined {
  return value === undefined || value.startsWith("W/") ? undefined : value;
}

/**
 * The object's full size as a 200 or 206 states it (Content-Length of a 200, the Content-Range
 * total of a 206), or undefined when it does not say.
 */
export function statedObjectBytes(statusCode: number, headers: Headers): number | undefined {
  if (statusCode === 206) {
    const range = CONTENT_RANGE.exec(firstHeader(headers, "content-range") ?? "");
    return range === null ? undefined : Number(range[3]);
  }
  const length = firstHeader(headers, "content-length");
  return length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
}

/** The object's size a 416 states (`Content-Range: bytes *\/N`), or undefined. */
export function unsatisfiedRangeTotal(headers: Headers): number | undefined {
  const total = UNSATISFIED_RANGE.exec(firstHeader(headers, "content-range") ?? "");
  return total === null ? undefined : Number(total[1]);
}

/**
 * True when a 206 may continue a partial of `heldBytes`: its range starts there, for the listed
 * total, and (when one was recorded) under the same strong ETag.
 */
export function continuesPartial(
  headers: Headers,
  held: { readonly heldBytes: number; readonly sizeBytes: number; readonly etag?: string },
): boolean {
  const range = CONTENT_RANGE.exec(firstHeader(headers, "content-range") ?? "");
  const etag = strongEtag(firstHeader(headers, "etag"));
  return (
    held.heldBytes > 0 &&
    range !== null &&
    Number(range[1]) === held.heldBytes &&
    Number(range[3]) === held.sizeBytes &&
    (held.etag === undefined || etag === held.etag)
  );
}
