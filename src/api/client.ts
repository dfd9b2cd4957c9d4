/**
 * DciClient: the typed DCI API client. Every call is signed (DCI2-HMAC-SHA256); answers are checked
 * before they are typed; failures are MirrorErrors with stable codes and hints. A facade: the
 * transport and each resource (topics, components, files, jobs) live in their own modules.
 */
import type { Dispatcher } from "undici";
import {
  type CredentialInput,
  credentialsFromVariables,
  type DciCredentials,
  resolveCredentials,
} from "../credentials/credentials.js";
import { readDcircFile } from "../credentials/read-dcirc.js";
import { proxyFromEnv } from "../http/proxy.js";
import type {
  Component,
  ComponentFilter,
  FilesList,
  Identity,
  Job,
  ListPage,
  Topic,
} from "../model.js";
import * as components from "./components.js";
import { type ApiContext, type ListParams, urlBuilder } from "./context.js";
import * as files from "./files.js";
import * as identities from "./identity.js";
import * as jobs from "./jobs.js";
import { StoreReader } from "./store-reader.js";
import * as topics from "./topics.js";
import { openTransport, type TransportOptions } from "./transport.js";

export type { ComponentFilter, ProxySettings } from "../model.js";
export type { ListParams } from "./context.js";
export type { FileUrlOptions } from "./files.js";

export interface DciClientOptions extends CredentialInput, TransportOptions {}

/** The typed DCI API client; see the README's "Library" section. */
export class DciClient {
  readonly credentials: Pick<DciCredentials, "csUrl" | "clientId">;
  readonly dispatcher: Dispatcher;
  /** API requests this client lets in flight at once (`apiJobs`). */
  readonly apiJobs: number;
  readonly #api: ApiContext;
  readonly #store: StoreReader;
  readonly #ownsDispatcher: boolean;

  /** Builds a client; throws UsageError when a credential is missing or malformed. */
  constructor(options: DciClientOptions) {
    const credentials = resolveCredentials(options);
    this.credentials = { csUrl: credentials.csUrl, clientId: credentials.clientId };
    const transport = openTransport(credentials, options);
    this.dispatcher = transport.dispatcher;
    this.apiJobs = transport.apiJobs;
    this.#ownsDispatcher = transport.ownsDispatcher;
    this.#api = { http: transport.http, url: urlBuilder(credentials.csUrl) };
    this.#store = new StoreReader({
      ...transport.store,
      resolveUrl: (componentId, filePath, urlOptions) =>
        this.fileUrl(componentId, filePath, urlOptions),
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
    return this.#api.http.clockOffsetMs;
  }

  /** Who the credentials belong to: the cheapest check of credentials and clock. */
  identity(signal?: AbortSignal): Promise<Identity> {
    return identities.identity(this.#api, signal);
  }

  /** One page of the topics these credentials can see. */
  listTopics(params: ListParams = {}, signal?: AbortSignal): Promise<ListPage<Topic>> {
    return topics.listTopics(this.#api, params, signal);
  }

  /** The active topic of that name (a trailing `*`: "contains"); NotFoundError when none. */
  topicByName(name: string, signal?: AbortSignal): Promise<Topic> {
    return topics.topicByName(this.#api, name, signal);
  }

  /** A topic by id. */
  topic(topicId: string, signal?: AbortSignal): Promise<Topic> {
    return topics.topic(this.#api, topicId, signal);
  }

  /** One page of a topic's components (default order: newest `released_at` first). */
  listComponents(
    topicId: string,
    params: ListParams = {},
    signal?: AbortSignal,
  ): Promise<ListPage<Component>> {
    return components.listComponents(this.#api, topicId, params, signal);
  }

  /**
   * The latest active component of a type (and tag): newest `created_at`, ties broken by the
   * greater id; undefined if none.
   */
  latestComponent(
    topicId: string,
    filter: ComponentFilter,
    signal?: AbortSignal,
  ): Promise<Component | undefined> {
    return components.latestComponent(this.#api, topicId, filter, signal);
  }

  /**
   * The latest component of each filter, in the filters' order (`undefined`: none); by default one
   * filter per component type of the topic.
   */
  latestPerFilter(
    topic: Topic,
    filters?: readonly ComponentFilter[],
    signal?: AbortSignal,
  ): Promise<(Component | undefined)[]> {
    return components.latestPerFilter(this.#api, topic, filters, signal);
  }

  /** The latest component per filter, those that found one; by default one per component type. */
  latestComponents(
    topic: Topic,
    filters?: readonly ComponentFilter[],
    signal?: AbortSignal,
  ): Promise<Component[]> {
    return components.latestComponents(this.#api, topic, filters, signal);
  }

  /** A component by id. */
  component(componentId: string, signal?: AbortSignal): Promise<Component> {
    return components.component(this.#api, componentId, signal);
  }

  /** Iterates over every page of the topic list. */
  async *topicPages(
    params: Omit<ListParams, "offset"> = {},
    signal?: AbortSignal,
  ): AsyncGenerator<ListPage<Topic>> {
    yield* topics.topicPages(this.#api, params, signal);
  }

  /** Iterates over every page of a topic's components. */
  async *componentPages(
    topicId: string,
    params: Omit<ListParams, "offset"> = {},
    signal?: AbortSignal,
  ): AsyncGenerator<ListPage<Component>> {
    yield* components.componentPages(this.#api, topicId, params, signal);
  }

  /** The presigned object-store URL of a component file (a credential: never log it). */
  fileUrl(componentId: string, filePath: string, options?: files.FileUrlOptions): Promise<string> {
    return files.fileUrl(this.#api, componentId, filePath, options);
  }

  /** The component's manifest (`dci_files_list.json`, or `rhdl_files_list.json` through RHDL). */
  filesList(componentId: string, options?: files.StoreReadOptions): Promise<FilesList> {
    return files.filesList(this.#store, componentId, options);
  }

  /** The component's `images_list.yaml` text, or undefined when it has none. */
  imagesList(componentId: string, options?: files.StoreReadOptions): Promise<string | undefined> {
    return files.imagesList(this.#store, componentId, options);
  }

  /** Creates a job; ApiShapeError (JOB_COMPONENTS_MISMATCH) when it got other components. */
  createJob(input: jobs.JobInput, signal?: AbortSignal): Promise<Job> {
    return jobs.createJob(this.#api, input, signal);
  }

  /** A job with its components; NotFoundError (JOB_NOT_FOUND) when it is not visible. */
  job(jobId: string, signal?: AbortSignal): Promise<Job> {
    return jobs.job(this.#api, jobId, signal);
  }

  /** Deletes a job by its current etag; ConflictError (JOB_ETAG_STALE) when it is stale. */
  deleteJob(job: Pick<Job, "id" | "etag">, signal?: AbortSignal): Promise<void> {
    return jobs.deleteJob(this.#api, job, signal);
  }

  /** Closes the connections of a dispatcher this client created (not one passed in). */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.dispatcher.close();
  }
}
