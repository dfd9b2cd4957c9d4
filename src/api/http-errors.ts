/**
 * Turns a failed DCI answer or a network failure into a typed MirrorError with a message that says
 * what failed on what (origin and path only: never a query string, header or secret) and a hint.
 */
import {
  ApiShapeError,
  AuthError,
  errorCode,
  type MirrorError,
  NetworkError,
  NotFoundError,
  UsageError,
} from "../errors.js";

/** What the call was about, so a 401 or 404 can say "topic RHEL-9.4" rather than a bare status. */
export interface CallContext {
  /** Short description for messages: `topic lookup`, `files list of component 7f6b…`. */
  readonly what: string;
  readonly topicName?: string;
  readonly topicId?: string;
  readonly componentId?: string;
}

const CREDENTIALS_HINT =
  "Check DCI_CLIENT_ID and DCI_API_SECRET (or the --rc file): they must be the remoteci's values from the DCI web UI.";
const CLOCK_HINT =
  "Check the system clock (timedatectl; chronyd or ntpd): DCI rejects signatures more than 15 minutes off the server's time.";

/** `https://host/api/v1/topics`: the parts of a URL that are safe to print. */
export function safeUrl(url: URL | string): string {
  const parsed = typeof url === "string" ? new URL(url) : url;
  return `${parsed.origin}${parsed.pathname}`;
}

function accessHint(context: CallContext): string {
  if (context.topicName !== undefined) {
    return `Check the topic name (\`dci-mirror topics\` lists the ones you can see); if it is right, ask your Red Hat contact for access to topic ${context.topicName}.`;
  }
  return "Check the id; if it is right, ask your Red Hat contact for access to it.";
}

function subject(context: CallContext): string {
  if (context.topicName !== undefined) return `topic ${context.topicName}`;
  if (context.topicId !== undefined) return `topic ${context.topicId}`;
  if (context.componentId !== undefined) return `component ${context.componentId}`;
  return context.what;
}

/** No visible active topic has that name: DCI does not tell "missing" from "not allowed". */
export function topicNotFound(topicName: string): NotFoundError {
  return new NotFoundError(
    `Topic ${topicName} was not found, or these credentials cannot see it.`,
    {
      code: "TOPIC_NOT_FOUND",
      hint: accessHint({ what: "topic lookup", topicName }),
    },
  );
}

/** Maps an HTTP error answer of the DCI API to a typed error. */
export function errorFromResponse(
  status: number,
  serverMessage: string,
  method: string,
  url: URL,
  context: CallContext,
): MirrorError {
  const where = `${method} ${safeUrl(url)}`;
  const said = serverMessage === "" ? `HTTP ${status}` : `HTTP ${status} "${serverMessage}"`;
  if (serverMessage.startsWith("HmacMechanism failed")) {
    const isExpired = serverMessage.includes("expired");
    return new AuthError(`DCI refused the request signature (${context.what}): ${said}.`, {
      code: isExpired ? "AUTH_SIGNATURE_EXPIRED" : "AUTH_SIGNATURE_INVALID",
      hint: isExpired ? CLOCK_HINT : `${CREDENTIALS_HINT} ${CLOCK_HINT}`,
    });
  }
  if (status === 401 && serverMessage === "Operation not authorized.") {
    return new NotFoundError(`These credentials may not see ${subject(context)} (${said}).`, {
      code:
        context.topicName !== undefined || context.topicId !== undefined
          ? "TOPIC_NOT_VISIBLE"
          : "NOT_VISIBLE",
      hint: accessHint(context),
    });
  }
  if (status === 401 || status === 403) {
    return new AuthError(`DCI refused the credentials (${context.what}): ${said}.`, {
      code: "AUTH_REJECTED",
      hint: CREDENTIALS_HINT,
    });
  }
  if (status === 404 && /^(remoteci|feeder) not found$/.test(serverMessage)) {
    return new AuthError(`DCI does not know this client id (${said}).`, {
      code: "AUTH_UNKNOWN_IDENTITY",
      hint: CREDENTIALS_HINT,
    });
  }
  if (status === 412 && serverMessage.startsWith("team ")) {
    return new AuthError(`The remoteci's team is not active (${said}).`, {
      code: "AUTH_TEAM_INACTIVE",
      hint: "Ask your DCI team administrator or Red Hat contact to reactivate the team.",
    });
  }
  if (status === 404) {
    const isTopic = context.topicName !== undefined || context.topicId !== undefined;
    return new NotFoundError(`Not found: ${subject(context)} (${where}: ${said}).`, {
      code: isTopic
        ? "TOPIC_NOT_FOUND"
        : context.componentId === undefined
          ? "NOT_FOUND"
          : "COMPONENT_NOT_FOUND",
      hint: accessHint(context),
    });
  }
  if (status === 400 || status === 409 || status === 412) {
    return new UsageError(`DCI refused the ${context.what} request (${where}: ${said}).`, {
      code: status === 409 ? "API_CONFLICT" : "API_BAD_REQUEST",
      hint:
        status === 409
          ? "The resource changed since it was read: fetch it again for a fresh ETag."
          : "Check the parameters given to this call.",
    });
  }
  if (status >= 500 || status === 429 || status === 408) {
    return new NetworkError(`DCI kept failing (${where}: ${said}) after every retry.`, {
      code: "SERVER_ERROR",
      hint: "The DCI server is having trouble; try again later, or check https://www.distributed-ci.io status.",
    });
  }
  return new ApiShapeError(`Unexpected answer to ${where}: ${said}.`, {
    code: "API_UNEXPECTED_STATUS",
    hint: "Check DCI_CS_URL points at a DCI control server; report it with --verbose output if it does.",
  });
}

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
