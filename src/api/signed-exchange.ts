/**
 * One signed exchange with the DCI API, no retry: the headers of a request signed for a given time,
 * the request sent once (undici), and its answer read with a size cap (parsed when it is JSON).
 * The retries, the clock recovery and the mapping of failures to errors are http.ts'.
 */
import { type Dispatcher, request } from "undici";
import { firstHeader } from "../http/headers.js";
import { signRequestAt } from "../signing/sign.js";
import { type CallContext, safeUrl } from "./http-errors.js";
import { API_ANSWER_MAX_BYTES, readCappedText } from "./read-body.js";

export interface HttpCall {
  readonly method: "GET" | "HEAD" | "POST" | "PUT" | "DELETE";
  readonly url: URL;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly context: CallContext;
  /** Statuses that are an answer, not a failure (2xx always are). */
  readonly acceptStatuses?: readonly number[];
  readonly signal?: AbortSignal | undefined;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Parsed JSON when the answer was JSON, otherwise the text; `undefined` for an empty body. */
  readonly body: unknown;
}

/** Who sends the exchange, and how. */
export interface Sender {
  readonly clientId: string;
  readonly apiSecret: string;
  readonly dispatcher: Dispatcher;
  /** Headers within this, and no body gap longer. */
  readonly timeoutMs: number;
  readonly userAgent: string;
}

/** The `message` of a DCI error answer, or "" when it has none. */
export function serverMessage(body: unknown): string {
  if (
    typeof body === "object" &&
    body !== null &&
    typeof Reflect.get(body, "message") === "string"
  ) {
    return String(Reflect.get(body, "message"));
  }
  return "";
}

/** The request headers of `call`, signed with the remoteci's secret as at `signedAt`. */
export function signedHeaders(
  call: HttpCall,
  sender: Sender,
  signedAt: Date,
): Record<string, string> {
  const signed = signRequestAt(
    {
      method: call.method,
      url: call.url,
      body: call.body ?? "",
      accessKey: sender.clientId,
      secretKey: sender.apiSecret,
    },
    signedAt,
  );
  const headers: Record<string, string> = {
    "user-agent": sender.userAgent,
    accept: "application/json",
    ...call.headers,
    ...signed,
  };
  if (call.body !== undefined) headers["content-type"] = "application/json";
  return headers;
}

/** Sends `call` once with `headers` and reads its answer; rejects with what undici or the cap threw. */
export async function exchange(
  call: HttpCall,
  headers: Record<string, string>,
  sender: Sender,
  signal: AbortSignal,
): Promise<HttpAnswer> {
  const response = await request(call.url, {
    method: call.method,
    headers,
    body: call.body ?? null,
    dispatcher: sender.dispatcher,
    headersTimeout: sender.timeoutMs,
    bodyTimeout: sender.timeoutMs,
    signal,
  });
  const text = await readCappedText(
    response.body,
    firstHeader(response.headers, "content-length"),
    { maxBytes: API_ANSWER_MAX_BYTES, what: `the answer to ${call.method} ${safeUrl(call.url)}` },
  );
  return {
    status: response.statusCode,
    headers: response.headers,
    body: parsedBody(text, response.headers),
  };
}

/** The answer's text, parsed when its Content-Type says JSON; undefined when empty. */
function parsedBody(text: string, headers: HttpAnswer["headers"]): unknown {
  if (text === "") return undefined;
  const contentType = firstHeader(headers, "content-type") ?? "";
  if (!contentType.includes("json")) return text;
  try {
    return JSON.parse(text);
  } catch {
    // A broken JSON body is kept as text; the endpoint reader reports the shape problem.
    return text;
  }
}
