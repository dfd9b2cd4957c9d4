/**
 * The built-in DCI sandbox: the signed API server and the object store, on 127.0.0.1, over one
 * generated catalog, with a shared request log and fault switches. `dci-mirror sandbox`, the quick
 * start and the end-to-end tests all start it through `startSandbox`.
 */
import { randomBytes } from "node:crypto";
import { startApiServer } from "./api/api-server.js";
import { type CatalogOptions, generateCatalog, sandboxCredentials } from "./catalog/catalog.js";
import type { SandboxCatalog, SandboxComponent, SandboxTopic } from "./catalog/catalog-types.js";
import type { FaultRule } from "./faults/fault-types.js";
import { FaultBook } from "./faults/faults.js";
import { externalObjectStore } from "./store/external-store.js";
import { startObjectStore } from "./store/object-store.js";
import { createObjectResolver } from "./store/objects.js";
import { type SandboxTls, sandboxTls } from "./tls/sandbox-tls.js";
import { type SandboxTraffic, TrafficCounters } from "./traffic/counters.js";
import { RequestLog } from "./traffic/request-log.js";
import { type WanProfileOptions, wanProfile } from "./traffic/wan-profile.js";

export type { SandboxTls } from "./tls/sandbox-tls.js";

/**
 * The far-away profile (`apiLatencyMs`, `storeLatencyMs`, `storeBytesPerSecond`) is off by default;
 * its store half does nothing with an `externalStoreOrigin`.
 */
export interface SandboxOptions extends CatalogOptions, WanProfileOptions {
  /** API port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Object store port; 0 (default) picks a free one. */
  readonly storePort?: number;
  /** Lifetime of presigned URLs; default 600 s, as DCI. */
  readonly urlExpirySeconds?: number;
  /**
   * Presign URLs for this origin (a static server over `writeCorpus` output, e.g. nginx) instead of
   * starting the built-in object store; store-stage fault rules then do nothing.
   */
  readonly externalStoreOrigin?: string;
  /**
   * Serve the API and the object store over HTTPS: `true` makes a throw-away CA and a certificate
   * for 127.0.0.1 and localhost at start-up (see `caCertificate`); or give a certificate and key
   * (e.g. from `generateCertificates` for another host's name). Default: plain HTTP.
   */
  readonly https?: boolean | SandboxTls;
}

export interface SandboxCredentials {
  readonly clientId: string;
  readonly apiSecret: string;
}

export interface Sandbox {
  /** The `DCI_CS_URL` to use: `http://127.0.0.1:<port>` (`https://` with the `https` option). */
  readonly csUrl: string;
  /** The object store's origin, where presigned URLs point. */
  readonly storeUrl: string;
  /** Over HTTPS, the CA certificate (PEM) to trust (`--ca-file`); undefined over HTTP or when none was given. */
  readonly caCertificate: string | undefined;
  /** The Sandbox Lab remoteci: sees RHEL and OpenShift topics, not the pre-release RHEL-10.0. */
  readonly credentials: SandboxCredentials;
  /** A remoteci whose team is inactive (every call: 412). */
  readonly inactiveCredentials: SandboxCredentials;
  readonly catalog: SandboxCatalog;
  /** Every request both servers received, in order. */
  readonly requestLog: RequestLog;
  /** Connections accepted and requests in flight (now and at the peak), per server. */
  readonly traffic: SandboxTraffic;
  /** The sandbox clock minus the real clock (ms); set it to play a server with a skewed clock. */
  clockOffsetMs: number;
  /** Replaces the fault rules (an empty list: behave). */
  setFaults(rules: readonly FaultRule[]): void;
  /** Adds a component (e.g. with a hostile files list) visible from the next request on. */
  addComponent(component: SandboxComponent): void;
  /** Adds a topic (e.g. with a hostile name) visible from the next request on. */
  addTopic(topic: SandboxTopic): void;
  close(): Promise<void>;
}

function credentialsOf(catalog: SandboxCatalog, teamName: string): SandboxCredentials {
  const team = catalog.teams.find((candidate) => candidate.name === teamName);
  const identity = catalog.identities.find(
    (candidate) => candidate.teamId === team?.id && candidate.clientType === "remoteci",
  );
  return { clientId: `remoteci/${identity?.id ?? ""}`, apiSecret: identity?.secret ?? "" };
}

/** Starts the sandbox; resolves once both servers listen. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const wan = wanProfile(options);
  let catalog = generateCatalog(options);
  const requestLog = new RequestLog();
  const traffic = new TrafficCounters();
  const faults = new FaultBook();
  // A fresh secret per run: presigned URLs of one sandbox never open another's objects.
  const storeSecret = randomBytes(32).toString("hex");
  const state = { clockOffsetMs: 0 };
  const now = (): number => Date.now() + state.clockOffsetMs;
  let resolver = createObjectResolver(catalog);
  const tls = await sandboxTls(options.https);
  const store =
    options.externalStoreOrigin === undefined
      ? await startObjectStore({
          port: options.storePort ?? 0,
          resolve: (key) => resolver(key),
          secret: storeSecret,
          faults,
          log: requestLog,
          now,
          latencyMs: wan.storeLatencyMs,
          bytesPerSecond: wan.storeBytesPerSecond,
          traffic: traffic.store,
          tls: tls?.server,
        })
      : externalObjectStore(options.externalStoreOrigin);
  const api = await startApiServer({
    port: options.port ?? 0,
    catalog: () => catalog,
    log: requestLog,
    now,
    storeOrigin: store.origin,
    storeSecret,
    urlExpirySeconds: options.urlExpirySeconds ?? 600,
    takeGatewayFault: (query) => faults.take({ ...query, stage: "gateway" }),
    latencyMs: wan.apiLatencyMs,
    traffic: traffic.api,
    tls: tls?.server,
  });
  return {
    csUrl: api.origin,
    storeUrl: store.origin,
    caCertificate: tls?.caPem,
    credentials: sandboxCredentials(catalog),
    inactiveCredentials: credentialsOf(catalog, "Inactive Team"),
    get catalog() {
      return catalog;
    },
    requestLog,
    traffic,
    get clockOffsetMs() {
      return state.clockOffsetMs;
    },
    set clockOffsetMs(offsetMs: number) {
      state.clockOffsetMs = offsetMs;
    },
    setFaults: (rules) => faults.set(rules),
    addComponent: (component) => {
      catalog = { ...catalog, components: [...catalog.components, component] };
      resolver = createObjectResolver(catalog);
    },
    addTopic: (topic) => {
      catalog = { ...catalog, topics: [...catalog.topics, topic] };
    },
    close: async () => {
      await Promise.all([api.close(), store.close()]);
    },
  };
}
