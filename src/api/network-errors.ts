/**
 * Turns a DCI API or object-store request that got no answer (unreachable, silent, dropped, or
 * past its time budget) into a typed NetworkError whose message names the origin and path only
 * (never a query string, header or secret, nor a proxy's credentials), with a hint.
 */
import { errorCode, NetworkError } from "../errors.js";
import { safeUrl } from "./http-errors.js";

/** Removes `user:password@` from a proxy URL before it is printed. */
function printableProxy(proxyUrl: string): string {
  try {
    const parsed = new URL(proxyUrl);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    // An unparsable proxy value is printed as a placeholder: it may hold credentials.
    return "(unparsable proxy setting)";
  }
}

/** How a request that got no answer was sent, for the message. */
export interface NetworkDetails {
  /** The headers (and body gap) timeout the request ran with. */
  readonly timeoutMs?: number;
  /** Who was asked: the DCI API (default) or the object store holding component files. */
  readonly service?: "DCI API" | "object store";
}

/** undici's codes for a server that took the connection and then went silent. */
const SILENCE_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);
/** Codes of a connection the server (or something in between) closed mid-exchange. */
const DROPPED_CODES = new Set(["UND_ERR_SOCKET", "ECONNRESET", "EPIPE", "UND_ERR_CLOSED"]);

function formatSeconds(timeoutMs: number): string {
  return `${Math.round(timeoutMs / 100) / 10} s`;
}

/** A NetworkError for a request that never got an answer. */
export function errorFromNetwork(
  cause: unknown,
  method: string,
  url: URL,
  proxyUrl: string | undefined,
  details: NetworkDetails = {},
): NetworkError {
  const code = errorCode(cause, "unknown");
  const service = details.service ?? "DCI API";
  if (SILENCE_CODES.has(code) && details.timeoutMs !== undefined) {
    return silentServer({ code, method, url, service, timeoutMs: details.timeoutMs, cause });
  }
  if (DROPPED_CODES.has(code) && url.pathname.startsWith("/api/v2/")) {
    return new NetworkError(
      `The DCI v2 (RHDL) files gateway dropped the connection (${method} ${safeUrl(url)}): ${code}.`,
      {
        code: "RHDL_GATEWAY_DROPPED",
        hint: "The RHDL service behind DCI may be down: try again later, or run without --tech-preview rhdl to use the v1 files gateway.",
        cause,
      },
    );
  }
  const proxyHint =
    proxyUrl === undefined
      ? "Check DCI_CS_URL and that this host can reach it; behind a proxy, set HTTPS_PROXY/HTTP_PROXY."
      : `The request went through the proxy ${printableProxy(proxyUrl)}: check HTTPS_PROXY/HTTP_PROXY/NO_PROXY and the proxy itself.`;
  return new NetworkError(`Cannot reach ${safeUrl(url)} (${method}): ${code}.`, {
    code: "NETWORK_UNREACHABLE",
    hint: proxyHint,
    cause,
  });
}

interface Silence {
  readonly code: string;
  readonly method: string;
  readonly url: URL;
  readonly service: string;
  readonly timeoutMs: number;
  readonly cause: unknown;
}

/** The server accepted the connection and then said nothing: not the same as unreachable. */
function silentServer(silence: Silence): NetworkError {
  const { method, url, service, timeoutMs, cause } = silence;
  const what =
    silence.code === "UND_ERR_HEADERS_TIMEOUT"
      ? `accepted the connection but did not answer within ${formatSeconds(timeoutMs)}`
      : `stopped sending its answer for ${formatSeconds(timeoutMs)}`;
  return new NetworkError(`The ${service} at ${url.origin} ${what} (${method} ${url.pathname}).`, {
    code: service === "DCI API" ? "API_TIMEOUT" : "STORE_TIMEOUT",
    hint: "The server, or a proxy in between, is stuck or overloaded: try again later. --stall-timeout SECONDS sets how long to wait (DCI API answers: at most 30 s).",
    cause,
  });
}

/** A NetworkError for a call whose attempts, retries included, used up its whole time budget. */
export function callTooLong(method: string, url: URL, budgetMs: number): NetworkError {
  return new NetworkError(
    `The DCI API at ${url.origin} did not complete ${method} ${url.pathname} within ${formatSeconds(budgetMs)}, retries included.`,
    {
      code: "API_TIMEOUT",
      hint: "The server, or a proxy in between, is too slow or stuck: try again later.",
    },
  );
}
