/**
 * Builds the DciClient a command uses from its flags and the environment: `--sandbox` starts the
 * built-in sandbox in this process; otherwise `--dci-cs-url` > `--rc FILE` > environment.
 */
import { DciClient, proxyFromEnv } from "../api/client.js";
import type { HttpRetryEvent, HttpWarning } from "../api/http.js";
import { type CredentialInput, credentialsFromVariables } from "../credentials/credentials.js";
import { readDcircFile } from "../credentials/read-dcirc.js";

export interface ConnectionFlags {
  readonly rc?: string | undefined;
  readonly dciCsUrl?: string | undefined;
  readonly sandbox?: boolean | undefined;
  /** Headers timeout of API calls (`--stall-timeout`, at most 30 s); the client's default when absent. */
  readonly apiTimeoutMs?: number | undefined;
  /** Credentials resolved from settings files and the environment (config/resolve). */
  readonly base?: CredentialInput | undefined;
}

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
  flags: ConnectionFlags,
  env: Readonly<Record<string, string | undefined>>,
  hooks: ConnectHooks,
): Promise<Connection> {
  if (flags.sandbox === true) {
    // Loaded only here: the sandbox server is about 30 modules that a real sync never needs.
    const { startSandbox } = await import("../sandbox/server.js");
    const sandbox = await startSandbox({});
    const client = new DciClient({
      csUrl: sandbox.csUrl,
      ...sandbox.credentials,
      ...(flags.apiTimeoutMs === undefined ? {} : { timeoutMs: flags.apiTimeoutMs }),
      ...hooks,
    });
    return {
      client,
      source: "--sandbox",
      close: async () => {
        await client.close();
        await sandbox.close();
      },
    };
  }
  // Settings files < environment (both already merged in `base`) < --rc < --dci-cs-url: an explicit
  // --rc file wins over the environment because the user named that file for this run.
  const fileVariables = flags.rc === undefined ? {} : await readDcircFile(flags.rc);
  const credentials = {
    ...credentialsFromVariables(env),
    ...definedOnly(flags.base),
    ...definedOnly(credentialsFromVariables(fileVariables)),
    clientIdSource: clientIdSource(flags, fileVariables, env),
  };
  const client = new DciClient({
    ...credentials,
    ...(flags.apiTimeoutMs === undefined ? {} : { timeoutMs: flags.apiTimeoutMs }),
    ...(flags.dciCsUrl === undefined ? {} : { csUrl: flags.dciCsUrl }),
    proxy: proxyFromEnv(env),
    ...hooks,
  });
  return {
    client,
    source: flags.rc === undefined ? "environment" : `--rc ${flags.rc}`,
    close: () => client.close(),
  };
}

/** Where the client id comes from, in the same order of precedence as the merge above. */
function clientIdSource(
  flags: ConnectionFlags,
  fileVariables: Readonly<Record<string, string | undefined>>,
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (flags.rc !== undefined && fileVariables["DCI_CLIENT_ID"] !== undefined) {
    return `DCI_CLIENT_ID in ${flags.rc}`;
  }
  if (flags.base?.clientIdSource !== undefined) return flags.base.clientIdSource;
  return env["DCI_CLIENT_ID"] === undefined ? "DCI_CLIENT_ID" : "DCI_CLIENT_ID (environment)";
}

function definedOnly(input: CredentialInput | undefined): CredentialInput {
  if (input === undefined) return {};
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}
