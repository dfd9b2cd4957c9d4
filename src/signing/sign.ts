/**
 * DCI2-HMAC-SHA256 / AWS4-HMAC-SHA256 request signing. Pure: the signing
 * instant is a parameter, so the same input always gives the same headers.
 */
import {
  AWS4_ALGORITHM,
  canonicalPath,
  canonicalQuery,
  computeSignature,
  credentialScope,
  DCI2_ALGORITHM,
  formatTimestamp,
  type SignatureParts,
  type SigningAlgorithm,
  sha256Hex,
} from "./canonical.js";

export interface SignRequestInput {
  readonly method: string;
  /** The full request URL exactly as it will be sent. */
  readonly url: string | URL;
  readonly body?: string | Uint8Array;
  /** `<client type>/<client id>`, e.g. `remoteci/95c4…`. Signed verbatim. */
  readonly accessKey: string;
  readonly secretKey: string;
  readonly algorithm?: SigningAlgorithm;
  readonly region?: string;
  readonly service?: string;
}

/** The payload hash of every body-less request (GET, HEAD, DELETE), computed once. */
const EMPTY_SHA256 = sha256Hex("");

/** The headers to add to a request: the date header and `Authorization`. */
export type SignedHeaders =
  | { readonly "X-DCI-Date": string; readonly Authorization: string }
  | { readonly "X-Amz-Date": string; readonly Authorization: string };

/**
 * Signs a request at the given instant. The signed host is the URL authority as Node sends it in
 * `Host` (lower case, default port omitted), the path and query are those of the built URL.
 * Throws TypeError on an unparsable URL or an unknown algorithm.
 */
export function signRequestAt(input: SignRequestInput, now: Date): SignedHeaders {
  const algorithm = input.algorithm ?? DCI2_ALGORITHM;
  if (algorithm !== DCI2_ALGORITHM && algorithm !== AWS4_ALGORITHM) {
    throw new TypeError(
      `Unknown signing algorithm "${String(algorithm)}": use "${DCI2_ALGORITHM}" or "${AWS4_ALGORITHM}".`,
    );
  }
  const url = typeof input.url === "string" ? new URL(input.url) : input.url;
  const isAws = algorithm === AWS4_ALGORITHM;
  const timestamp = formatTimestamp(now);
  const dateHeaderName = isAws ? "x-amz-date" : "x-dci-date";
  const parts: SignatureParts = {
    algorithm,
    method: input.method.toUpperCase(),
    canonicalPath: canonicalPath(url.pathname),
    canonicalQuery: canonicalQuery(url.search.replace(/^\?/, "")),
    signedHeaders: [
      ["host", url.host],
      [dateHeaderName, timestamp],
    ],
    payloadSha256:
      input.body === undefined || input.body.length === 0 ? EMPTY_SHA256 : sha256Hex(input.body),
    timestamp,
    datestamp: timestamp.slice(0, 8),
    region: input.region ?? "BHS3",
    service: input.service ?? "api",
    requestType: isAws ? "aws4_request" : "dci2_request",
    secretKey: input.secretKey,
  };
  const authorization =
    `${algorithm} Credential=${input.accessKey}/${credentialScope(parts)}, ` +
    `SignedHeaders=host;${dateHeaderName}, Signature=${computeSignature(parts)}`;
  return isAws
    ? { "X-Amz-Date": timestamp, Authorization: authorization }
    : { "X-DCI-Date": timestamp, Authorization: authorization };
}
