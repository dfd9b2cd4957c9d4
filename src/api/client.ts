/**
 * DciClient: the typed DCI API client. Every call is signed (DCI2-HMAC-SHA256); answers are checked
 * before they are typed; failures are MirrorErrors with stable codes and hints.
 */
import { Agent, type Dispatcher, EnvHttpProxyAgent } from "undici";
import {
  type CredentialInput,
  credentialsFromVariables,
  type DciCredentials,
  resolveCredentials,
} from "../credentials/credentials.js";
import { readDcircFile } from "../credentials/read-dcirc.js";
import { ApiShapeError, UsageError } from "../errors.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "../http/backoff.js";
import { firstHeader } from "../http/headers.js";
import { proxyFromEnv } from "../http/proxy.js";
import type {
  Component,
  ComponentFilter,
  FilesList,
  Identity,
  Job,
  ListPage,
  ProxySettings,
  Topic,
} from "../model.js";
import { encodeUnreserved } from "../signing/canonical.js";
import { USER_AGENT } from "../version.js";
import {
  readComponent,
  readComponentList,
  readIdentity,
  readJob,
  readJobAnswer,
  readTopic,
  readTopicList,
} from "./endpoints.js";
import { API_TIMEOUT_MS, type HttpRetryEvent, type HttpWarning, SignedHttp } from "./http.js";
import { type CallContext, safeUrl, topicNotFound } from "./http-errors.js";
import {
  checkJobComponents,
  isPlainNotFound,
  jobNotFound,
  mayBeStaleEtag,
  staleJobEtag,
  uniqueIds,
  unquotedEtag,
} from "./job-checks.js";
import { MAX_LIST_PAGES, newRecords, tooManyPages } from "./paging.js";
import { StoreReader } from "./store-reader.js";

export type { ComponentFilter } from "../model.js";

export interface DciClientOptions extends CredentialInput {
  /** An undici dispatcher to send every request through; built from `proxy` when absent. */
  readonly dispatcher?: Dispatcher;
  /** Forward proxies, as HTTP_PROXY/HTTPS_PROXY/NO_PROXY give them. */
  readonly proxy?: ProxySettings;
  readonly retry?: Partial<RetryPolicy>;
  /**
   * Time allowed for headers, and between body bytes, of one request; one call, retries
   * included, gets at most 4 times this. Default 30 s (API_TIMEOUT_MS).
   */
  readonly timeoutMs?: number;
  /** The local clock in ms since the epoch; `Date.now` by default. */
  readonly now?: () => number;
  readonly random?: () => number;
  readonly onWarning?: (warning: HttpWarning) => void;
  readonly onRetry?: (event: HttpRetryEvent) => void;
}

/** The DCI API's list parameters; `where` as `key:value` clauses or the raw string. */
export interface ListParams {
  readonly where?: string | Readonly<Record<string, string>>;
  readonly sort?: string;
  readonly limit?: number;
  readonly offset?: number;
  readonly query?: string;
}

export interface FileUrlOptions {
  readonly method?: "GET" | "HEAD";
  /** Use the RHDL (v2) gateway, as `--tech-preview rhdl` does. */
  readonly rhdl?: boolean;
  readonly signal?: AbortSignal;
}

function whereString(where: ListParams["where"]): string | undefined {
  if (where === undefined || typeof where === "string") return where;
  return Object.entries(where)
    .map(([key, value]) => `${key}:${value}`)
    .join(",");
}

function proxyFor(csUrl: string, proxy: ProxySettings | undefined): string | undefined {
  return csUrl.startsWith("https:") ? (proxy?.httpsProxy ?? proxy?.httpProxy) : proxy?.httpProxy;
}

/**
 * Encodes a component file path for the gateway URL, segment by segment. Refuses empty, `.` and
 * `..` segments: URL parsers would silently rewrite them, and the server refuses them anyway.
 */
function encodeFilePath(filePath: string): string {
  const segments = filePath.split("/");
  if (segments.some((segment) => segment === "" || segment === "." || segment === "..")) {
    throw new UsageError(`Refusing the file path "${filePath}": empty, "." or ".." segment.`, {
      code: "UNSAFE_PATH",
      hint: "File paths must be relative paths inside the component.",
    });
  }
  return segments.map(encodeUnreserved).join("/");
}

/** The typed DCI API client; see the README's "Library" section. */
export class DciClient {
  readonly credentials: Pick<DciCredentials, "csUrl" | "clientId">;
  readonly dispatcher: Dispatcher;
  readonly #http: SignedHttp;
  readonly #store: StoreReader;
  readonly #ownsDispatcher: boolean;

  /** Builds a client; throws UsageError when a credential is missing or malformed. */
  constructor(options: DciClientOptions) {
    const credentials = resolveCredentials(options);
    this.credentials = { csUrl: credentials.csUrl, clientId: credentials.clientId };
    const proxyUrl = proxyFor(credentials.csUrl, options.proxy);
    const hasProxy =
      options.proxy?.httpProxy !== undefined || options.proxy?.httpsProxy !== undefined;
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ??
      (hasProxy
        ? new EnvHttpProxyAgent({
            ...(options.proxy?.httpProxy === undefined
              ? {}
              : { httpProxy: options.proxy.httpProxy }),
            ...(options.proxy?.httpsProxy === undefined
              ? {}
              : { httpsProxy: options.proxy.httpsProxy }),
            ...(options.proxy?.noProxy === undefined ? {} : { noProxy: options.proxy.noProxy }),
          })
        : new Agent({ keepAliveTimeout: 30_000 }));
    const timeoutMs = options.timeoutMs ?? API_TIMEOUT_MS;
    const retryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    const random = options.random ?? Math.random;
    this.#http = new SignedHttp({
      clientId: credentials.clientId,
      apiSecret: credentials.apiSecret,
      dispatcher: this.dispatcher,
      proxyUrl,
      retryPolicy,
      timeoutMs,
      userAgent: USER_AGENT,
      now: options.now ?? Date.now,
      random,
      onWarning: options.onWarning ?? (() => undefined),
      onRetry: options.onRetry ?? (() => undefined),
    });
    this.#store = new StoreReader({
      resolveUrl: (componentId, filePath, urlOptions) =>
        this.fileUrl(componentId, filePath, urlOptions),
      dispatcher: this.dispatcher,
      timeoutMs,
      userAgent: USER_AGENT,
      retryPolicy,
      random,
      proxyUrl,
    });
  }

  /** A client from environment variables (DCI_* and the proxy variables), e.g. `process.env`. */
  static fromEnv(
    env: Readonly<Record<string, string | undefined>>,
    options: Omit<DciClientOptions, keyof CredentialInput | "proxy"> = {},
  ): DciClient {
    return new DciClient({
      ...options,
      ...credentialsFromVariables(env),
      proxy: proxyFromEnv(env),
    });
  }

  /** A client from a dcirc.sh file, read as data and never executed. */
  static async fromRcFile(
    path: string,
    options: Omit<DciClientOptions, keyof CredentialInput> = {},
  ): Promise<DciClient> {
    const variables = await readDcircFile(path);
    return new DciClient({
      ...options,
      ...credentialsFromVariables(variables),
      clientIdSource: `DCI_CLIENT_ID in ${path}`,
    });
  }

  /** The server time minus the local time, once a clock skew was detected; else 0. */
  get clockOffsetMs(): number {
    return this.#http.clockOffsetMs;
  }

  #url(
    path: string,
    params: Readonly<Record<string, string | number | undefined>> = {},
    version = "v1",
  ): URL {
    const url = new URL(`${this.credentials.csUrl}/api/${version}${path}`);
    const pieces = Object.entries(params)
      .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
      .map(([key, value]) => `${encodeUnreserved(key)}=${encodeUnreserved(String(value))}`);
    url.search = pieces.join("&");
    return url;
  }

  async #get(url: URL, context: CallContext, signal?: AbortSignal): Promise<unknown> {
    return (await this.#http.send({ method: "GET", url, context, signal })).body;
  }

  /** The server wants `limit` and `offset` together: a lone one gets its partner's default. */
  #listUrl(path: string, params: ListParams): URL {
    const hasPaging = params.limit !== undefined || params.offset !== undefined;
    return this.#url(path, {
      sort: params.sort,
      limit: hasPaging ? (params.limit ?? 20) : undefined,
      offset: hasPaging ? (params.offset ?? 0) : undefined,
      where: whereString(params.where),
      query: params.query,
    });
  }

  /** Who the credentials belong to: the cheapest check of credentials and clock. */
  async identity(signal?: AbortSignal): Promise<Identity> {
    const url = this.#url("/identity");
    return readIdentity(await this.#get(url, { what: "identity check" }, signal), safeUrl(url));
  }

  /** One page of the topics these credentials can see. */
  async listTopics(params: ListParams = {}, signal?: AbortSignal): Promise<ListPage<Topic>> {
    const url = this.#listUrl("/topics", params);
    return readTopicList(await this.#get(url, { what: "topic list" }, signal), safeUrl(url));
  }

  /**
   * The active topic of that name (a trailing `*` means "contains", as on the server; the newest
   * match wins). Throws NotFoundError when no visible topic matches.
   */
  async topicByName(name: string, signal?: AbortSignal): Promise<Topic> {
    if (name.includes(",") || name.trim() === "") {
      throw new UsageError(`Invalid topic name "${name}".`, {
        code: "USAGE_TOPIC_NAME",
        hint: "A topic name is non-empty and has no comma, e.g. RHEL-9.4.",
      });
    }
    const page = await this.listTopics({ where: `name:${name},state:active` }, signal);
    const [topic] = page.items;
    if (topic === undefined) {
      throw topicNotFound(name);
    }
    return topic;
  }

  /** A topic by id. */
  async topic(topicId: string, signal?: AbortSignal): Promise<Topic> {
    const url = this.#url(`/topics/${encodeUnreserved(topicId)}`);
    return readTopic(await this.#get(url, { what: "topic", topicId }, signal), safeUrl(url));
  }

  /** One page of a topic's components (default order: newest `released_at` first). */
  async listComponents(
    topicId: string,
    params: ListParams = {},
    signal?: AbortSignal,
  ): Promise<ListPage<Component>> {
    const url = this.#listUrl(`/topics/${encodeUnreserved(topicId)}/components`, params);
    const body = await this.#get(url, { what: "component list" }, signal);
    return readComponentList(body, safeUrl(url));
  }

  /**
   * The latest active component of a type (and tag), as dci-downloader means "latest": newest
   * `created_at`. Undefined when there is none.
   */
  async latestComponent(
    topicId: string,
    filter: ComponentFilter,
    signal?: AbortSignal,
  ): Promise<Component | undefined> {
    const clauses = [`type:${filter.type.toLowerCase()}`, "state:active"];
    if (filter.tag !== undefined && filter.tag !== "") clauses.push(`tags:${filter.tag}`);
    const page = await this.listComponents(
      topicId,
      { sort: "-created_at", limit: 1, offset: 0, where: clauses.join(",") },
      signal,
    );
    return page.items[0];
  }

  /** The latest component per filter; by default one filter per component type of the topic. */
  async latestComponents(
    topic: Topic,
    filters: readonly ComponentFilter[] = topic.componentTypes.map((type) => ({ type })),
    signal?: AbortSignal,
  ): Promise<Component[]> {
    const components: Component[] = [];
    for (const filter of filters) {
      const component = await this.latestComponent(topic.id, filter, signal);
      if (component !== undefined) components.push(component);
    }
    return components;
  }

  /** A component by id. */
  async component(componentId: string, signal?: AbortSignal): Promise<Component> {
    const url = this.#url(`/components/${encodeUnreserved(componentId)}`);
    const body = await this.#get(url, { what: "component", componentId }, signal);
    return readComponent(body, safeUrl(url));
  }

  /** Iterates over every page of the topic list. */
  async *topicPages(
    params: Omit<ListParams, "offset"> = {},
    signal?: AbortSignal,
  ): AsyncGenerator<ListPage<Topic>> {
    yield* this.#pages((offset, limit) => this.listTopics({ ...params, offset, limit }, signal), {
      listing: "topic list",
      pageSize: params.limit,
    });
  }

  /** Iterates over every page of a topic's components. */
  async *componentPages(
    topicId: string,
    params: Omit<ListParams, "offset"> = {},
    signal?: AbortSignal,
  ): AsyncGenerator<ListPage<Component>> {
    yield* this.#pages(
      (offset, limit) => this.listComponents(topicId, { ...params, offset, limit }, signal),
      { listing: `component list of topic ${topicId}`, pageSize: params.limit },
    );
  }

  /**
   * Pages through a listing. `_meta.count` is a hint, not a promise: paging stops at the first
   * page with no new record, and throws ApiShapeError past MAX_LIST_PAGES pages.
   */
  async *#pages<T extends { readonly id: string }>(
    fetchPage: (offset: number, limit: number) => Promise<ListPage<T>>,
    paging: { listing: string; pageSize: number | undefined },
  ): AsyncGenerator<ListPage<T>> {
    const pageSize = paging.pageSize ?? 100;
    const seenIds = new Set<string>();
    for (let offset = 0, pageNumber = 1; ; pageNumber++) {
      if (pageNumber > MAX_LIST_PAGES) throw tooManyPages(paging.listing, MAX_LIST_PAGES);
      const page = await fetchPage(offset, pageSize);
      const items = newRecords(page.items, seenIds);
      if (items.length === 0) return;
      yield { items, count: page.count };
      offset += page.items.length;
      if (offset >= page.count) return;
    }
  }

  /**
   * The object-store URL of a component file: the `Location` of the gateway's 302. It is a
   * credential (presigned): never log it. Expires 10 minutes after it is issued.
   */
  async fileUrl(
    componentId: string,
    filePath: string,
    options: FileUrlOptions = {},
  ): Promise<string> {
    const method = options.method ?? "GET";
    const version = options.rhdl === true ? "v2" : "v1";
    const url = this.#url(
      `/components/${encodeUnreserved(componentId)}/files/${encodeFilePath(filePath)}`,
      {},
      version,
    );
    const answer = await this.#http.send({
      method,
      url,
      context: { what: `file ${filePath}`, componentId },
      acceptStatuses: [301, 302, 303, 307, 308],
      signal: options.signal,
    });
    const target = firstHeader(answer.headers, "location");
    if (answer.status < 300 || target === undefined) {
      throw new ApiShapeError(
        `The files gateway did not redirect for ${filePath} (HTTP ${answer.status}).`,
        {
          code: "API_NO_REDIRECT",
          hint: "Check DCI_CS_URL points at a DCI control server.",
        },
      );
    }
    return new URL(target, url).toString();
  }

  /** The component's manifest (`dci_files_list.json`, or `rhdl_files_list.json` through RHDL). */
  async filesList(
    componentId: string,
    options: { rhdl?: boolean; signal?: AbortSignal } = {},
  ): Promise<FilesList> {
    return this.#store.filesList(componentId, options);
  }

  /** The component's `images_list.yaml` text, or undefined when it has none. */
  async imagesList(
    componentId: string,
    options: { rhdl?: boolean; signal?: AbortSignal } = {},
  ): Promise<string | undefined> {
    return this.#store.optionalText(componentId, "images_list.yaml", options);
  }

  /**
   * Creates a job for a topic and its components (as a remoteci does before testing them) and
   * returns it once the server shows exactly those components. The real server's creation answer
   * has no `components` key (it attaches them after), so they are read back with GET /jobs/{id}.
   * Throws ApiShapeError (JOB_COMPONENTS_MISMATCH) when the job got other components.
   */
  async createJob(
    input: { topicId: string; componentIds: readonly string[]; comment?: string; name?: string },
    signal?: AbortSignal,
  ): Promise<Job> {
    const url = this.#url("/jobs");
    const body = JSON.stringify({
      topic_id: input.topicId,
      components: input.componentIds,
      ...(input.comment === undefined ? {} : { comment: input.comment }),
      ...(input.name === undefined ? {} : { name: input.name }),
    });
    const answer = await this.#http.send({
      method: "POST",
      url,
      body,
      context: { what: "job creation" },
      signal,
    });
    const created = readJobAnswer(answer.body, safeUrl(url));
    const job =
      created.componentIds === undefined
        ? await this.job(created.job.id, signal)
        : { ...created.job, componentIds: created.componentIds };
    checkJobComponents(job.id, input.componentIds, job.componentIds);
    return { ...job, componentIds: uniqueIds(input.componentIds) };
  }

  /**
   * A job with its components (`?embed=components`: older servers embed them only on request).
   * Throws NotFoundError (JOB_NOT_FOUND) when it does not exist or belongs to another team.
   */
  async job(jobId: string, signal?: AbortSignal): Promise<Job> {
    const url = this.#url(`/jobs/${encodeUnreserved(jobId)}`, { embed: "components" });
    try {
      return readJob(await this.#get(url, { what: `job ${jobId}` }, signal), safeUrl(url));
    } catch (error) {
      throw isPlainNotFound(error) ? jobNotFound(jobId, error) : error;
    }
  }

  /**
   * Deletes a job; `etag` must be the job's current one (sent unquoted as If-Match, as DCI compares
   * it verbatim). The real server answers a stale etag with the same 404 as a missing job (older
   * ones with 409), so such an answer is told apart by reading the job back: ConflictError
   * (JOB_ETAG_STALE) when it still exists, NotFoundError (JOB_NOT_FOUND) when it does not.
   */
  async deleteJob(job: Pick<Job, "id" | "etag">, signal?: AbortSignal): Promise<void> {
    const url = this.#url(`/jobs/${encodeUnreserved(job.id)}`);
    const etag = unquotedEtag(job.etag);
    try {
      await this.#http.send({
        method: "DELETE",
        url,
        headers: { "if-match": etag },
        context: { what: `deletion of job ${job.id}` },
        signal,
      });
    } catch (error) {
      if (!mayBeStaleEtag(error)) throw error;
      const current = await this.job(job.id, signal);
      throw staleJobEtag(job.id, etag, current.etag);
    }
  }

  /** Closes the connections of a dispatcher this client created (not one passed in). */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.dispatcher.close();
  }
}
