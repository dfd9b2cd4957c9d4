/**
 * Turns a command's resolved connection (config/connection.ts) into a DciClient: `--sandbox`
 * starts the built-in sandbox in this process; otherwise the credentials as resolved. No source
 * is read or merged here.
 */
import { DciClient } from "../api/client.js";
import type { HttpRetryEvent, HttpWarning } from "../api/http.js";
import { readCaFiles } from "../config/read-ca-files.js";
import type { ConnectionSettings } from "../config/run-settings.js";

export interface Connection {
  readonly client: DciClient;
  /** Where the credentials came from, for messages: `--sandbox`, `--rc FILE`, `environment`. */
  readonly source: string;
  close(): Promise<void>;
}

export interface ConnectHooks {
  readonly onWarning: (warning: HttpWarning) => void;
  readonly onRetry: (event: HttpRetryEvent) => void;
}

/** Opens a client for a command; the caller must `close()` it. */
export async function connect(
  settings: ConnectionSettings,
  hooks: ConnectHooks,
): Promise<Connection> {
  if (settings.sandbox) {
    // Loaded only here: the sandbox server is about 30 modules that a real sync never needs.
    const { startSandbox } = await import("../sandbox/server.js");
    const sandbox = await startSandbox({});
    const client = new DciClient({
      csUrl: sandbox.csUrl,
      ...sandbox.credentials,
      timeoutMs: settings.apiTimeoutMs,
      apiJobs: settings.apiJobs,
      ...hooks,
    });
    return {
      client,
      source: settings.source,
      close: async () => {
        await client.close();
        await sandbox.close();
      },
    };
  }
  const client = new DciClient({
    csUrl: settings.csUrl,
    clientId: settings.clientId,
    apiSecret: settings.apiSecret,
    clientIdSource: settings.clientIdSource,
    proxy: settings.proxy,
    caFiles: await readCaFiles(settings.caFiles),
    timeoutMs: settings.apiTimeoutMs,
    apiJobs: settings.apiJobs,
    ...hooks,
  });
  return { client, source: settings.source, close: () => client.close() };
}
