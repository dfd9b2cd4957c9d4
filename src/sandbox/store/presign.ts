/**
 * Presigned object-store URLs for the sandbox, shaped like S3's (`X-Amz-Algorithm`, `X-Amz-Date`,
 * `X-Amz-Expires`, `X-Amz-Signature`) and checked the way S3 checks them: method-bound, expiring,
 * tamper-evident. Pure: the clock and the store secret are parameters.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export interface PresignInput {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly storeOrigin: string;
  /** Object key; each segment is percent-encoded into the URL path. */
  readonly objectKey: string;
  readonly method: "GET" | "HEAD";
  readonly issuedAtMs: number;
  readonly expiresInSeconds: number;
  readonly secret: string;
}

export type PresignCheck =
  | { readonly ok: true; readonly objectKey: string }
  | { readonly ok: false; readonly status: 403; readonly code: string; readonly message: string };

function encodeKey(objectKey: string): string {
  return objectKey
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
}

function signatureOf(
  method: string,
  objectKey: string,
  date: string,
  expires: string,
  secret: string,
) {
  return createHmac("sha256", secret)
    .update(`${method}\n${objectKey}\n${date}\n${expires}`)
    .digest("hex");
}

/** Builds the URL the files gateway answers in `Location`. */
export function presignUrl(input: PresignInput): string {
  const date = String(input.issuedAtMs);
  const expires = String(input.expiresInSeconds);
  const signature = signatureOf(input.method, input.objectKey, date, expires, input.secret);
  const query = new URLSearchParams({
    "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
    "X-Amz-Date": date,
    "X-Amz-Expires": expires,
    "X-Amz-SignedHeaders": "host",
    "X-Amz-Signature": signature,
  });
  return `${input.storeOrigin}/${encodeKey(input.objectKey)}?${query.toString()}`;
}

/**
 * Checks a presigned request as the store receives it: `rawPath` from the request line, the raw
 * query string, the method (HEAD and GET URLs are not interchangeable) and the current time.
 */
export function checkPresigned(
  rawPath: string,
  rawQuery: string,
  method: string,
  nowMs: number,
  secret: string,
): PresignCheck {
  const query = new URLSearchParams(rawQuery);
  const date = query.get("X-Amz-Date") ?? "";
  const expires = query.get("X-Amz-Expires") ?? "";
  const signature = query.get("X-Amz-Signature") ?? "";
  let objectKey: string;
  try {
    objectKey = rawPath.replace(/^\//, "").split("/").map(decodeURIComponent).join("/");
  } catch {
    // A malformed escape cannot come from presignUrl: the URL was forged or damaged.
    return { ok: false, status: 403, code: "SignatureDoesNotMatch", message: "Malformed key" };
  }
  const expected = Buffer.from(signatureOf(method, objectKey, date, expires, secret));
  const received = Buffer.from(signature);
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
    return {
      ok: false,
      status: 403,
      code: "SignatureDoesNotMatch",
      message: "The request signature we calculated does not match the signature you provided.",
    };
  }
  if (nowMs >= Number(date) + Number(expires) * 1000) {
    return { ok: false, status: 403, code: "AccessDenied", message: "Request has expired" };
  }
  return { ok: true, objectKey };
}
