/**
 * Turns a failed DCI answer into a typed MirrorError with a message that says what failed on what
 * (origin and path only: never a query string, header or secret) and a hint: an ordered table of
 * status (and server message) → error. A request that got no answer is network-errors.ts' part.
 */
import {
  ApiShapeError,
  AuthError,
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

/** A refused call, as the rules below read it. */
interface Refusal {
  readonly status: number;
  readonly serverMessage: string;
  readonly context: CallContext;
  /** The method and the printable URL: `GET https://host/api/v1/topics`. */
  readonly where: string;
  /** `HTTP 404 "message"`, or `HTTP 404` when the server gave no message. */
  readonly said: string;
}

function signatureRefused({ serverMessage, context, said }: Refusal): AuthError {
  const isExpired = serverMessage.includes("expired");
  return new AuthError(`DCI refused the request signature (${context.what}): ${said}.`, {
    code: isExpired ? "AUTH_SIGNATURE_EXPIRED" : "AUTH_SIGNATURE_INVALID",
    hint: isExpired ? CLOCK_HINT : `${CREDENTIALS_HINT} ${CLOCK_HINT}`,
  });
}

function notVisible({ context, said }: Refusal): NotFoundError {
  return new NotFoundError(`These credentials may not see ${subject(context)} (${said}).`, {
    code:
      context.topicName !== undefined || context.topicId !== undefined
        ? "TOPIC_NOT_VISIBLE"
        : "NOT_VISIBLE",
    hint: accessHint(context),
  });
}

function credentialsRefused({ context, said }: Refusal): AuthError {
  return new AuthError(`DCI refused the credentials (${context.what}): ${said}.`, {
    code: "AUTH_REJECTED",
    hint: CREDENTIALS_HINT,
  });
}

function unknownIdentity({ said }: Refusal): AuthError {
  return new AuthError(`DCI does not know this client id (${said}).`, {
    code: "AUTH_UNKNOWN_IDENTITY",
    hint: CREDENTIALS_HINT,
  });
}

function teamInactive({ said }: Refusal): AuthError {
  return new AuthError(`The remoteci's team is not active (${said}).`, {
    code: "AUTH_TEAM_INACTIVE",
    hint: "Ask your DCI team administrator or Red Hat contact to reactivate the team.",
  });
}

function notFound({ context, where, said }: Refusal): NotFoundError {
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

function requestRefused({ status, context, where, said }: Refusal): UsageError {
  return new UsageError(`DCI refused the ${context.what} request (${where}: ${said}).`, {
    code: status === 409 ? "API_CONFLICT" : "API_BAD_REQUEST",
    hint:
      status === 409
        ? "The resource changed since it was read: fetch it again for a fresh ETag."
        : "Check the parameters given to this call.",
  });
}

function serverFailing({ where, said }: Refusal): NetworkError {
  return new NetworkError(`DCI kept failing (${where}: ${said}) after every retry.`, {
    code: "SERVER_ERROR",
    hint: "The DCI server is having trouble; try again later, or check https://www.distributed-ci.io status.",
  });
}

function unexpectedStatus({ where, said }: Refusal): ApiShapeError {
  return new ApiShapeError(`Unexpected answer to ${where}: ${said}.`, {
    code: "API_UNEXPECTED_STATUS",
    hint: "Check DCI_CS_URL points at a DCI control server; report it with --verbose output if it does.",
  });
}

/** Read in order: the first rule that matches makes the error; none matching, unexpectedStatus. */
const RESPONSE_RULES: readonly {
  readonly matches: (refusal: Refusal) => boolean;
  readonly error: (refusal: Refusal) => MirrorError;
}[] = [
  { matches: (r) => r.serverMessage.startsWith("HmacMechanism failed"), error: signatureRefused },
  {
    matches: (r) => r.status === 401 && r.serverMessage === "Operation not authorized.",
    error: notVisible,
  },
  { matches: (r) => r.status === 401 || r.status === 403, error: credentialsRefused },
  {
    matches: (r) => r.status === 404 && /^(remoteci|feeder) not found$/.test(r.serverMessage),
    error: unknownIdentity,
  },
  { matches: (r) => r.status === 412 && r.serverMessage.startsWith("team "), error: teamInactive },
  { matches: (r) => r.status === 404, error: notFound },
  { matches: (r) => [400, 409, 412].includes(r.status), error: requestRefused },
  { matches: (r) => r.status >= 500 || r.status === 429 || r.status === 408, error: serverFailing },
];

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
  const refusal: Refusal = { status, serverMessage, context, where, said };
  const rule = RESPONSE_RULES.find((candidate) => candidate.matches(refusal));
  return rule === undefined ? unexpectedStatus(refusal) : rule.error(refusal);
}
