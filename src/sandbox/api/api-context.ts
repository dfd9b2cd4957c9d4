/**
 * What every authenticated sandbox API handler receives: the request as read from the socket, the
 * catalog as it is for this request, the caller, and the server clock reading.
 */
import type { SandboxCatalog } from "../catalog/catalog-types.js";
import type { JobStore } from "./job-store.js";
import type { Viewer } from "./visibility.js";

export interface ApiRequest {
  readonly method: string;
  /** As received on the request line, still percent-encoded, without the query. */
  readonly rawPath: string;
  /** Without `?`; empty when there is none. */
  readonly rawQuery: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: Uint8Array;
}

export interface ApiContext {
  readonly request: ApiRequest;
  /** Read once per request, so a catalog swapped mid-request cannot give mixed answers. */
  readonly catalog: SandboxCatalog;
  readonly viewer: Viewer;
  readonly nowMs: number;
  readonly jobs: JobStore;
}

/** The first value of a request header (names are lower case in Node's header object). */
export function headerOf(request: ApiRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === "string" ? value : value?.[0];
}
