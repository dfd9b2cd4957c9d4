/**
 * Range and If-Range decisions of the sandbox object store (RFC 9110 §14.1.2, §13.1.5), as pure
 * functions: the store answers as S3 does for single ranges and simply serves multi-range
 * requests whole.
 */

export type RangeDecision =
  | { readonly kind: "full" }
  | { readonly kind: "partial"; readonly start: number; readonly endInclusive: number }
  | { readonly kind: "unsatisfiable" };

const FULL: RangeDecision = { kind: "full" };

/** Decides how to answer a `Range` header for an object of `sizeBytes`; malformed ranges are ignored (200). */
export function decideRange(header: string | undefined, sizeBytes: number): RangeDecision {
  if (header === undefined) return FULL;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Several ranges, another unit or bad syntax: RFC 9110 lets a server ignore Range altogether.
  if (!match || (match[1] === "" && match[2] === "")) return FULL;
  const first = match[1] === "" ? undefined : Number(match[1]);
  const last = match[2] === "" ? undefined : Number(match[2]);
  if (first === undefined) {
    const suffixBytes = last ?? 0;
    if (suffixBytes === 0 || sizeBytes === 0) return { kind: "unsatisfiable" };
    return {
      kind: "partial",
      start: Math.max(0, sizeBytes - suffixBytes),
      endInclusive: sizeBytes - 1,
    };
  }
  if (last !== undefined && last < first) return FULL;
  if (first >= sizeBytes) return { kind: "unsatisfiable" };
  const endInclusive = last === undefined ? sizeBytes - 1 : Math.min(last, sizeBytes - 1);
  return { kind: "partial", start: first, endInclusive };
}

/**
 * Whether an `If-Range` precondition lets the range apply: an entity tag must equal the current
 * strong ETag (weak tags never match); a date must equal Last-Modified to the second.
 */
export function ifRangeAllows(
  ifRange: string | undefined,
  etag: string,
  lastModified: Date,
): boolean {
  if (ifRange === undefined) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith("W/")) return value === etag;
  const dateMs = Date.parse(value);
  return !Number.isNaN(dateMs) && dateMs === Math.floor(lastModified.getTime() / 1000) * 1000;
}

/** The range to serve for a request's `Range` and `If-Range` headers (or the whole object). */
export function decideRequestRange(
  request: {
    readonly range: string | undefined;
    readonly ifRange: string | undefined;
    /** A fault rule that makes the store answer 200 whatever was asked. */
    readonly ignoreRange: boolean;
  },
  object: { readonly sizeBytes: number; readonly etag: string; readonly lastModified: Date },
): RangeDecision {
  if (request.ignoreRange) return FULL;
  // RFC 9110 §13.1.5: a failed If-Range means "send the whole current object".
  if (!ifRangeAllows(request.ifRange, object.etag, object.lastModified)) return FULL;
  return decideRange(request.range, object.sizeBytes);
}
