/**
 * Certificate failures, told apart and made final: an undici interceptor turns a TLS verification
 * error (unknown CA, another host's name, expired) into a CertificateError that names the origin
 * (never a path or a presigned query), what is wrong with the certificate, which CAs were trusted,
 * and how to add one. Being a MirrorError, it is never retried by the API transport, the store
 * reader or the downloads, and failures.ts makes it stop the run.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Duplex } from "node:stream";
import type { Dispatcher } from "undici";
import { CertificateError, errorCode } from "../errors.js";
import { CERTIFICATE_CODES } from "../failures.js";

/** What the message says about the client's side. */
export interface TrustDescription {
  /** The CAs trusted, e.g. "the system store (Node's built-in CA list) and FILE (--ca-file)". */
  readonly trusted: string;
  /** True when a forward proxy is set: one that inspects HTTPS shows its own certificate. */
  readonly hasProxy: boolean;
}

const UNKNOWN_CA = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_UNTRUSTED",
]);
const WRONG_NAME = new Set(["ERR_TLS_CERT_ALTNAME_INVALID", "HOSTNAME_MISMATCH"]);
const OUT_OF_DATE = new Set(["CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID"]);

const ADD_A_CA =
  "trust its CA certificate (PEM) with --ca-file FILE, ca_file: FILE in a settings file, or NODE_EXTRA_CA_CERTS=FILE or REQUESTS_CA_BUNDLE=FILE in the environment";

/** The names a refused certificate lists ("DNS:wrong.example"), when Node says. */
function certificateNames(cause: unknown): string | undefined {
  const cert = typeof cause === "object" && cause !== null ? Reflect.get(cause, "cert") : undefined;
  const names =
    typeof cert === "object" && cert !== null ? Reflect.get(cert, "subjectaltname") : undefined;
  return typeof names === "string" && names !== "" ? names : undefined;
}

/** A CertificateError for a refused certificate of `origin`, or undefined for any other failure. */
export function certificateError(
  cause: unknown,
  origin: URL,
  trust: TrustDescription,
): CertificateError | undefined {
  const code = errorCode(cause, "");
  if (!CERTIFICATE_CODES.has(code)) return undefined;
  const host = origin.hostname;
  const trusted = `Trusted: ${trust.trusted}.`;
  const proxyNote = trust.hasProxy
    ? " A proxy is set: if it inspects HTTPS, the certificate is the proxy's, and its CA is the one to trust."
    : "";
  const refused = `The TLS certificate of ${origin.origin} was refused`;
  if (WRONG_NAME.has(code)) {
    const names = certificateNames(cause);
    const madeFor = names === undefined ? "another name" : names;
    return new CertificateError(
      `${refused}: it is made for ${madeFor}, not for ${host} (${code}). ${trusted}`,
      {
        code: "TLS_CERT_WRONG_HOST",
        hint: `Reach the server by a name its certificate lists (check DCI_CS_URL), or have its administrator issue a certificate that names ${host}; a CA file does not change the name check.${proxyNote}`,
        cause,
      },
    );
  }
  if (OUT_OF_DATE.has(code)) {
    const when = code === "CERT_HAS_EXPIRED" ? "it has expired" : "it is not valid yet";
    return new CertificateError(`${refused}: ${when} (${code}). ${trusted}`, {
      code: "TLS_CERT_EXPIRED",
      hint: "Check this machine's clock (date -u): a wrong clock makes a valid certificate look out of date. If the clock is right, the server's administrator must renew the certificate.",
      cause,
    });
  }
  const what = UNKNOWN_CA.has(code)
    ? "it is signed by a certificate authority that is not trusted"
    : "it did not pass verification";
  return new CertificateError(`${refused}: ${what} (${code}). ${trusted}`, {
    code: UNKNOWN_CA.has(code) ? "TLS_CERT_UNKNOWN_CA" : "TLS_CERT_REFUSED",
    hint: `If this server uses your organization's or lab's own CA, ${ADD_A_CA}.${proxyNote}`,
    cause,
  });
}

/** Passes every callback on, a refused certificate's error replaced by its CertificateError. */
class CertificateErrorHandler implements Dispatcher.DispatchHandler {
  readonly #handler: Dispatcher.DispatchHandler;
  readonly #origin: URL | undefined;
  readonly #trust: TrustDescription;

  constructor(
    handler: Dispatcher.DispatchHandler,
    origin: URL | undefined,
    trust: TrustDescription,
  ) {
    this.#handler = handler;
    this.#origin = origin;
    this.#trust = trust;
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.#handler.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
    socket: Duplex,
  ): void {
    this.#handler.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
    statusMessage?: string,
  ): void {
    this.#handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#handler.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: IncomingHttpHeaders): void {
    this.#handler.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    const mapped =
      this.#origin === undefined ? undefined : certificateError(error, this.#origin, this.#trust);
    this.#handler.onResponseError?.(controller, mapped ?? error);
  }
}

function originOf(origin: string | URL | undefined): URL | undefined {
  if (origin === undefined) return undefined;
  try {
    return new URL(origin);
  } catch {
    // undici refuses such a request itself, with its own error: nothing to map here.
    return undefined;
  }
}

/** The interceptor (`dispatcher.compose(...)`) that makes refused certificates CertificateErrors. */
export function certificateErrors(
  trust: TrustDescription,
): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) =>
    dispatch(options, new CertificateErrorHandler(handler, originOf(options.origin), trust));
}
