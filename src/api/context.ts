/**
 * What the resource modules (topics, components, files, jobs) call the DCI API with: the signed
 * transport and a URL builder for the control server, plus the list parameters they share.
 */
import { encodeUnreserved } from "../signing/canonical.js";
import type { SignedHttp } from "./http.js";
import type { CallContext } from "./http-errors.js";

export type QueryParams = Readonly<Record<string, string | number | undefined>>;

/** Builds `<csUrl>/api/<version><path>?<params>`; undefined params are left out. */
export type UrlBuilder = (path: string, params?: QueryParams, version?: string) => URL;

export interface ApiContext {
  readonly http: SignedHttp;
  readonly url: UrlBuilder;
}

/** The DCI API's list parameters; `where` as `key:value` clauses or the raw string. */
export interface ListParams {
  readonly where?: string | Readonly<Record<string, string>>;
  readonly sort?: string;
  readonly limit?: number;
  readonly offset?: number;
  readonly query?: string;
}

/** The URL builder of one control server; keys and values are percent-encoded as DCI signs them. */
export function urlBuilder(csUrl: string): UrlBuilder {
  return (path, params = {}, version = "v1") => {
    const url = new URL(`${csUrl}/api/${version}${path}`);
    const pieces = Object.entries(params)
      .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
      .map(([key, value]) => `${encodeUnreserved(key)}=${encodeUnreserved(String(value))}`);
    url.search = pieces.join("&");
    return url;
  };
}

function whereString(where: ListParams["where"]): string | undefined {
  if (where === undefined || typeof where === "string") return where;
  return Object.entries(where)
    .map(([key, value]) => `${key}:${value}`)
    .join(",");
}

/** The server wants `limit` and `offset` together: a lone one gets its partner's default. */
export function listUrl(api: ApiContext, path: string, params: ListParams): URL {
  const hasPaging = params.limit !== undefined || params.offset !== undefined;
  return api.url(path, {
    sort: params.sort,
    limit: hasPaging ? (params.limit ?? 20) : undefined,
    offset: hasPaging ? (params.offset ?? 0) : undefined,
    where: whereString(params.where),
    query: params.query,
  });
}

/** GETs a URL and returns the answer's body (parsed JSON, or text). */
export async function getBody(
  api: ApiContext,
  url: URL,
  context: CallContext,
  signal?: AbortSignal,
): Promise<unknown> {
  return (await api.http.send({ method: "GET", url, context, signal })).body;
}
