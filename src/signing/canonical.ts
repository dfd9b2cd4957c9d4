/**
 * The canonical forms of DCI2/AWS4 request signing, shared by the signer and the
 * verifier so that both read a request the way the DCI control server does. Pure: no I/O, no clock.
 */
import { createHash, createHmac } from "node:crypto";

export const DCI2_ALGORITHM = "DCI2-HMAC-SHA256";
export const AWS4_ALGORITHM = "AWS4-HMAC-SHA256";
export type SigningAlgorithm = typeof DCI2_ALGORITHM | typeof AWS4_ALGORITHM;

const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;
const utf8Lenient = new TextDecoder("utf-8", { fatal: false });
const utf8 = new TextEncoder();

/**
 * Percent-decodes like Python's `unquote(errors="replace")`: `%XX` becomes a byte, a `%` not
 * followed by two hex digits stays, and byte runs that are not valid UTF-8 become U+FFFD.
 * (`decodeURIComponent` throws on both cases instead.)
 */
export function percentDecodeLenient(text: string): string {
  if (!text.includes("%")) return text;
  let out = "";
  let pending: number[] = [];
  const flush = (): void => {
    if (pending.length > 0) out += utf8Lenient.decode(Uint8Array.from(pending));
    pending = [];
  };
  for (let index = 0; index < text.length; index++) {
    const pair = text.slice(index + 1, index + 3);
    if (text[index] === "%" && HEX_PAIR.test(pair)) {
      pending.push(Number.parseInt(pair, 16));
      index += 2;
      continue;
    }
    flush();
    out += text[index];
  }
  flush();
  return out;
}

/**
 * The canonical path: the wire path decoded twice. The server's web layer decodes once and the
 * verifier once more (python-dciauth's canonical path quirk), so a file named `100%41.txt` (sent as
 * `100%2541.txt`) is verified as `100A.txt`; signing the same way lets us reach such files.
 */
export function canonicalPath(wirePath: string): string {
  return percentDecodeLenient(percentDecodeLenient(wirePath));
}

/** RFC 3986 encoding with upper-case hex: everything but `A-Z a-z 0-9 - _ . ~` is escaped. */
export function encodeUnreserved(text: string): string {
  let out = "";
  for (const byte of utf8.encode(text)) {
    const isUnreserved =
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) ||
      (byte >= 0x30 && byte <= 0x39) ||
      byte === 0x2d ||
      byte === 0x2e ||
      byte === 0x5f ||
      byte === 0x7e;
    out += isUnreserved
      ? String.fromCharCode(byte)
      : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * Query parameters as the server reads them: split on `&` only, empty pieces dropped, `+` is a
 * space, blank values kept, and the FIRST occurrence of a repeated key wins.
 */
export function parseQueryFirstWins(rawQuery: string): Array<readonly [string, string]> {
  const seen = new Set<string>();
  const params: Array<readonly [string, string]> = [];
  for (const piece of rawQuery.split("&")) {
    if (piece === "") continue;
    const equalsAt = piece.indexOf("=");
    const rawKey = equalsAt === -1 ? piece : piece.slice(0, equalsAt);
    const rawValue = equalsAt === -1 ? "" : piece.slice(equalsAt + 1);
    const key = percentDecodeLenient(rawKey.replaceAll("+", " "));
    if (seen.has(key)) continue;
    seen.add(key);
    params.push([key, percentDecodeLenient(rawValue.replaceAll("+", " "))]);
  }
  return params;
}

/** The canonical query string: pairs re-encoded, sorted by code unit order of the key. */
export function canonicalQuery(rawQuery: string): string {
  const encoded = parseQueryFirstWins(rawQuery).map(
    ([key, value]) => [encodeUnreserved(key), encodeUnreserved(value)] as const,
  );
  // Plain code unit comparison, never localeCompare: `%` < digits < upper case < `_` < lower case.
  encoded.sort(([keyA, valueA], [keyB, valueB]) =>
    keyA < keyB ? -1 : keyA > keyB ? 1 : valueA < valueB ? -1 : valueA > valueB ? 1 : 0,
  );
  return encoded.map(([key, value]) => `${key}=${value}`).join("&");
}

/** The allowed clock difference between signer and verifier, inclusive: exactly 15:00 passes. */
export const SIGNATURE_WINDOW_MS = 15 * 60 * 1000;

export function sha256Hex(payload: string | Uint8Array): string {
  return createHash("sha256").update(payload).digest("hex");
}

/** `YYYYMMDDTHHMMSSZ` in UTC, from one clock reading. */
export function formatTimestamp(now: Date): string {
  const iso = now.toISOString();
  // 2025-01-07T08:15:03.123Z → 20250107T081503Z (sliced: this runs once per request)
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

export interface SignatureParts {
  readonly algorithm: string;
  readonly method: string;
  readonly canonicalPath: string;
  readonly canonicalQuery: string;
  /** `[lower-case name, value]` in the order they are signed. */
  readonly signedHeaders: ReadonlyArray<readonly [string, string]>;
  readonly payloadSha256: string;
  readonly timestamp: string;
  readonly datestamp: string;
  readonly region: string;
  readonly service: string;
  readonly requestType: string;
  readonly secretKey: string;
}

/** The canonical request, as in AWS Signature Version 4: six parts joined by newlines. */
function canonicalRequest(parts: SignatureParts): string {
  const headerLines = parts.signedHeaders.map(([name, value]) => `${name}:${value}\n`).join("");
  return [
    parts.method,
    parts.canonicalPath,
    parts.canonicalQuery,
    headerLines,
    parts.signedHeaders.map(([name]) => name).join(";"),
    parts.payloadSha256,
  ].join("\n");
}

export function credentialScope(parts: SignatureParts): string {
  return `${parts.datestamp}/${parts.region}/${parts.service}/${parts.requestType}`;
}

/** The lower-case hex signature: HMAC-SHA256 of the string to sign with the derived key. */
export function computeSignature(parts: SignatureParts): string {
  const stringToSign = [
    parts.algorithm,
    parts.timestamp,
    credentialScope(parts),
    sha256Hex(canonicalRequest(parts)),
  ].join("\n");
  return createHmac("sha256", signingKey(parts)).update(stringToSign, "utf8").digest("hex");
}

/**
 * Derived signing keys, by secret, date and scope: four of a request's five HMACs derive the key,
 * and it changes once a day, so a run of 20,000 signed calls derives it once. Bounded, because a
 * verifier sees many secrets; the keys stay in this process and are never printed.
 */
const derivedKeys = new Map<string, Buffer>();
const DERIVED_KEYS_MAX = 64;

function signingKey(parts: SignatureParts): Buffer {
  const prefix = parts.algorithm.replace(/-HMAC-SHA256$/, "");
  const cacheKey = [
    prefix,
    parts.secretKey,
    parts.datestamp,
    parts.region,
    parts.service,
    parts.requestType,
  ].join("\n");
  const cached = derivedKeys.get(cacheKey);
  if (cached !== undefined) return cached;
  const hmac = (key: string | Buffer, message: string): Buffer =>
    createHmac("sha256", key).update(message, "utf8").digest();
  const dateKey = hmac(`${prefix}${parts.secretKey}`, parts.datestamp);
  const regionKey = hmac(dateKey, parts.region);
  const serviceKey = hmac(regionKey, parts.service);
  const key = hmac(serviceKey, parts.requestType);
  if (derivedKeys.size >= DERIVED_KEYS_MAX) derivedKeys.clear();
  derivedKeys.set(cacheKey, key);
  return key;
}
