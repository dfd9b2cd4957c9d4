/**
 * Server-side verification of DCI2/AWS4 signatures, step for step as the DCI control server does it
 * with the same status codes and messages. Pure: the clock and the identity
 * store are parameters. The sandbox server uses it; clients can use it to test their own servers.
 */
import { timingSafeEqual } from "node:crypto";
import {
  canonicalPath,
  canonicalQuery,
  computeSignature,
  SIGNATURE_WINDOW_MS,
  type SignatureParts,
  sha256Hex,
} from "./canonical.js";

export { SIGNATURE_WINDOW_MS } from "./canonical.js";

export interface VerifyIdentity {
  readonly secret: string;
  readonly teamName: string;
  readonly isTeamActive: boolean;
}

export interface VerifyRequestInput {
  readonly method: string;
  /** The path exactly as received on the request line (still percent-encoded), without query. */
  readonly path: string;
  /** The raw query string without `?`; empty when there is none. */
  readonly query: string;
  /** Request headers; names in any case. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body?: string | Uint8Array;
  readonly now: Date;
  /** Finds a `remoteci`/`feeder` identity by id; undefined when unknown (or archived). */
  readonly findIdentity: (clientType: string, clientId: string) => VerifyIdentity | undefined;
}

export type VerifyResult =
  | { readonly ok: true; readonly clientType: string; readonly clientId: string }
  | {
      readonly ok: false;
      readonly status: 400 | 401 | 404 | 412 | 500;
      readonly message: string;
    };

const HMAC_SCHEMES = new Set(["DCI-HMAC-SHA256", "DCI2-HMAC-SHA256", "AWS4-HMAC-SHA256"]);
const KNOWN_CLIENT_TYPES = new Set(["remoteci", "feeder"]);
const BAD_HEADERS = "HmacMechanism failed: bad or incomplete headers.";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function fail(status: 400 | 401 | 404 | 412 | 500, message: string): VerifyResult {
  return { ok: false, status, message };
}

function headerValue(input: VerifyRequestInput, name: string): string | undefined {
  for (const [key, value] of Object.entries(input.headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    return typeof value === "string" ? value : value.join(", ");
  }
  return undefined;
}

/** The text between `marker` and the next `,` (the server's own way of finding fields). */
function between(text: string, marker: string): string | undefined {
  const start = text.indexOf(marker);
  if (start === -1) return undefined;
  const rest = text.slice(start + marker.length);
  const end = rest.indexOf(",");
  return end === -1 ? rest : rest.slice(0, end);
}

function parseTimestamp(timestamp: string): Date | undefined {
  const match = TIMESTAMP.exec(timestamp);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const date = new Date(
    Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour ?? 0, minute ?? 0, second ?? 0),
  );
  return Number.isNaN(date.getTime()) ? undefined : date;
}

interface ParsedAuthorization {
  readonly scheme: string;
  readonly timestamp: string;
  readonly credential: readonly string[];
  readonly signedHeaderNames: readonly string[];
  readonly signature: string;
}

function parseAuthorization(
  input: VerifyRequestInput,
  authorization: string,
): ParsedAuthorization | VerifyResult {
  const tokens = authorization.split(" ");
  const scheme = tokens[0] ?? "";
  const timestamp = headerValue(input, "x-amz-date") ?? headerValue(input, "x-dci-date");
  if (tokens.length !== 4) return fail(500, "Internal Server Error");
  const credential = between(authorization, "Credential=")?.split("/");
  if (timestamp === undefined || credential === undefined || credential.length !== 6) {
    return fail(400, BAD_HEADERS);
  }
  if (credential[5] !== "dci2_request" && credential[5] !== "aws4_request") {
    return fail(400, BAD_HEADERS);
  }
  const signedHeaderNames = (between(authorization, "SignedHeaders=") ?? "")
    .split(";")
    .map((name) => name.toLowerCase());
  if (signedHeaderNames.some((name) => headerValue(input, name) === undefined)) {
    return fail(500, "Internal Server Error");
  }
  const signature = (tokens[3] ?? "").replace("Signature=", "");
  return { scheme, timestamp, credential, signedHeaderNames, signature };
}

/**
 * Verifies a signed request. Returns `{ ok: true }` with the identity, or the status and message the
 * DCI control server would answer. Never throws for malformed input.
 */
export function verifyRequest(input: VerifyRequestInput): VerifyResult {
  const authorization = headerValue(input, "authorization");
  if (authorization === undefined) return fail(401, "Authorization header missing");
  const scheme = authorization.split(" ")[0] ?? "";
  if (!HMAC_SCHEMES.has(scheme)) return fail(401, `Authorization scheme ${scheme} unknown`);
  const parsed = parseAuthorization(input, authorization);
  if ("ok" in parsed) return parsed;
  const [
    clientType = "",
    clientId = "",
    datestamp = "",
    region = "",
    service = "",
    requestType = "",
  ] = parsed.credential;
  if (!KNOWN_CLIENT_TYPES.has(clientType)) return fail(401, "identity does not exists.");
  if (!UUID.test(clientId)) {
    return fail(
      400,
      `(psycopg2.errors.InvalidTextRepresentation) invalid input syntax for type uuid: "${clientId}"`,
    );
  }
  const identity = input.findIdentity(clientType, clientId);
  if (identity === undefined) return fail(404, `${clientType} not found`);
  const signedAt = parseTimestamp(parsed.timestamp);
  if (signedAt === undefined) return fail(500, "Internal Server Error");
  if (Math.abs(input.now.getTime() - signedAt.getTime()) > SIGNATURE_WINDOW_MS) {
    return fail(400, "HmacMechanism failed: signature is expired");
  }
  const parts: SignatureParts = {
    algorithm: parsed.scheme,
    method: input.method,
    canonicalPath: canonicalPath(input.path),
    canonicalQuery: canonicalQuery(input.query),
    signedHeaders: parsed.signedHeaderNames.map((name) => [name, headerValue(input, name) ?? ""]),
    payloadSha256: sha256Hex(input.body ?? ""),
    timestamp: parsed.timestamp,
    datestamp,
    region,
    service,
    requestType,
    secretKey: identity.secret,
  };
  const expected = Buffer.from(computeSignature(parts));
  const received = Buffer.from(parsed.signature.toLowerCase());
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
    return fail(400, "HmacMechanism failed: signature is invalid");
  }
  if (!identity.isTeamActive) return fail(412, `team ${identity.teamName} not active`);
  return { ok: true, clientType, clientId };
}
