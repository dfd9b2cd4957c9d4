/**
 * How a DciClient reaches the network: the undici dispatcher (a keep-alive Agent, or an
 * EnvHttpProxyAgent from the proxy settings), the SignedHttp every API call goes through, and the
 * settings the object-store reader shares with it.
 */
import { createSecureContext, rootCertificates } from "node:tls";
import { Agent, type Dispatcher, EnvHttpProxyAgent, Pool } from "undici";
import type { DciCredentials } from "../credentials/credentials.js";
import { UsageError } from "../errors.js";
import { API_JOBS } from "../http/api-limits.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "../http/backoff.js";
import { API_TIMEOUT_MS } from "../http/timeouts.js";
import { type CaFile, describeTrust, trustedCertificates } from "../http/trust.js";
import type { ProxySettings } from "../model.js";
import { USER_AGENT } from "../version.js";
import { ApiGate } from "./api-gate.js";
import { type HttpRetryEvent, type HttpWarning, SignedHttp } from "./http.js";
import type { StoreReaderOptions } from "./store-reader.js";
import { certificateErrors } from "./tls-errors.js";

/** The client options that shape its transport (the rest are credentials). */
export interface TransportOptions {
  /** An undici dispatcher to send every request through; built from `proxy` when absent. */
  readonly dispatcher?: Dispatcher;
  /** Forward proxies, as HTTP_PROXY/HTTPS_PROXY/NO_PROXY give them. */
  readonly proxy?: ProxySettings;
  /** CA files trusted besides Node's built-in list (config/read-ca-files.ts reads them). */
  readonly caFiles?: readonly CaFile[];
  readonly retry?: Partial<RetryPolicy>;
  /**
   * Time allowed for headers, and between body bytes, of one request; one call, retries
   * included, gets at most 4 times this. Default 30 s (API_TIMEOUT_MS).
   */
  readonly timeoutMs?: number;
  /** API requests in flight at once (API_JOBS by default); a 429 or 503 pauses them all. */
  readonly apiJobs?: number;
  /** The local clock in ms since the epoch; `Date.now` by default. */
  readonly now?: () => number;
  readonly random?: () => number;
  readonly onWarning?: (warning: HttpWarning) => void;
  readonly onRetry?: (event: HttpRetryEvent) => void;
}

export interface Transport {
  readonly dispatcher: Dispatcher;
  /** True when the dispatcher was built here (and is this client's to close). */
  readonly ownsDispatcher: boolean;
  readonly http: SignedHttp;
  /** API requests let in flight at once. */
  readonly apiJobs: number;
  /** What the object-store reader needs, but the URL resolver. */
  readonly store: Omit<StoreReaderOptions, "resolveUrl">;
}

function proxyFor(csUrl: string, proxy: ProxySettings | undefined): string | undefined {
  return csUrl.startsWith("https:") ? (proxy?.httpsProxy ?? proxy?.httpProxy) : proxy?.httpProxy;
}

/**
 * TLS options trusting Node's roots and `caFiles`, for direct connections, tunnels to the target
 * and the proxy itself; none without CA files. One secure context for all: parsing ~150 roots
 * costs tens of ms, which `ca` alone would pay on every connection.
 */
function tlsOptions(caFiles: readonly CaFile[] | undefined) {
  const ca = trustedCertificates(rootCertificates, caFiles);
  if (ca === undefined) return {};
  const secure = { secureContext: createSecureContext({ ca }) };
  return { connect: secure, requestTls: secure, proxyTls: secure };
}

/** The control server's origin and how many requests the gate lets through to it at once. */
interface ApiPool {
  readonly origin: string;
  readonly connections: number;
}

/**
 * An EnvHttpProxyAgent when a proxy is set, else a keep-alive Agent; both trust `caFiles` too.
 * Directly, the control server gets at most `api.connections` connections: the gate already
 * holds requests to that many, and without the bound undici opens a new socket for a request
 * sent in the same tick as the previous answer ended (about 1 in 3 at 16 in flight).
 */
export function dispatcherFor(
  proxy: ProxySettings | undefined,
  caFiles?: readonly CaFile[],
  api?: ApiPool,
): Dispatcher {
  const { requestTls, proxyTls, ...direct } = tlsOptions(caFiles);
  if (proxy?.httpProxy === undefined && proxy?.httpsProxy === undefined) {
    return new Agent({
      keepAliveTimeout: 30_000,
      ...direct,
      factory: (origin, options) =>
        new Pool(origin, {
          ...options,
          ...(api !== undefined && String(origin) === api.origin
            ? { connections: api.connections }
            : {}),
        }),
    });
  }
  return new EnvHttpProxyAgent({
    ...direct,
    ...(requestTls === undefined ? {} : { requestTls, proxyTls }),
    ...(proxy.httpProxy === undefined ? {} : { httpProxy: proxy.httpProxy }),
    ...(proxy.httpsProxy === undefined ? {} : { httpsProxy: proxy.httpsProxy }),
    ...(proxy.noProxy === undefined ? {} : { noProxy: proxy.noProxy }),
  });
}

function apiJobsOf(options: TransportOptions): number {
  const apiJobs = options.apiJobs ?? API_JOBS;
  if (!Number.isInteger(apiJobs) || apiJobs < 1) {
    throw new UsageError(`apiJobs must be a whole number of at least 1, not ${apiJobs}.`, {
      code: "USAGE",
      hint: "Leave it out for the default, or give the number of API requests allowed at once.",
    });
  }
  return apiJobs;
}

/** The dispatcher (given or built), the signed transport, and the store reader's settings. */
export function openTransport(
  credentials: Pick<DciCredentials, "csUrl" | "clientId" | "apiSecret">,
  options: TransportOptions,
): Transport {
  const trust = {
    trusted:
      options.dispatcher === undefined
        ? describeTrust(options.caFiles)
        : "the CAs of the dispatcher given to DciClient",
    hasProxy: options.proxy?.httpProxy !== undefined || options.proxy?.httpsProxy !== undefined,
  };
  const apiJobs = apiJobsOf(options);
  const api = { origin: new URL(credentials.csUrl).origin, connections: apiJobs };
  const dispatcher = (
    options.dispatcher ?? dispatcherFor(options.proxy, options.caFiles, api)
  ).compose(certificateErrors(trust));
  const proxyUrl = proxyFor(credentials.csUrl, options.proxy);
  const timeoutMs = options.timeoutMs ?? API_TIMEOUT_MS;
  const retryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const random = options.random ?? Math.random;
  const http = new SignedHttp({
    clientId: credentials.clientId,
    apiSecret: credentials.apiSecret,
    dispatcher,
    proxyUrl,
    retryPolicy,
    timeoutMs,
    userAgent: USER_AGENT,
    now: options.now ?? Date.now,
    random,
    onWarning: options.onWarning ?? (() => undefined),
    onRetry: options.onRetry ?? (() => undefined),
    gate: new ApiGate(apiJobs),
  });
  const store = { dispatcher, timeoutMs, userAgent: USER_AGENT, retryPolicy, random, proxyUrl };
  return { dispatcher, ownsDispatcher: options.dispatcher === undefined, http, apiJobs, store };
}
