/**
 * Which DCI server to talk to and with which credentials, with the one precedence rule:
 * settings files < environment < --rc file < --dci-cs-url (later wins), or the built-in sandbox.
 * Pure: the --rc file is read beforehand (credentials/read-dcirc.ts); the result is checked and frozen.
 */
import { resolveCredentials } from "../credentials/credentials.js";
import { proxyFromEnv } from "../http/proxy.js";
import { caFileSources } from "./ca-files.js";
import type { ConnectionSettings } from "./run-settings.js";
import { DEFAULTS } from "./run-settings.js";
import { present } from "./values.js";

/** A `--rc` dcirc file as read: its path (for messages) and its variables. */
export interface DcircFile {
  readonly path: string;
  readonly variables: Readonly<Record<string, string>>;
}

/** The credentials of the settings files, merged (config/resolve.ts). */
export interface FileCredentials {
  readonly csUrl?: string | undefined;
  readonly clientId?: string | undefined;
  readonly apiSecret?: string | undefined;
  /** The last settings file that sets `client_id`, for messages. */
  readonly clientIdFile?: string | undefined;
  /** `ca_file`, and the last settings file that sets it. */
  readonly caFile?: { readonly caFile: string; readonly file: string } | undefined;
}

export interface ConnectionInput {
  /** `--sandbox`: every other source is ignored. */
  readonly sandbox?: boolean | undefined;
  /** `--dci-cs-url` as given: it wins over every other source, even blank. */
  readonly dciCsUrl?: string | undefined;
  /** `--ca-file FILE`: trusted besides the settings files' and the environment's CA files. */
  readonly caFile?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The `--rc` file: a variable it sets wins over the environment, even blank. */
  readonly dcirc?: DcircFile | undefined;
  readonly files?: FileCredentials | undefined;
  /** The transfers' stall timeout: an API answer waits at most min(this, 30 s). */
  readonly stallTimeoutMs?: number | undefined;
  /** API requests in flight at once; DEFAULTS.apiJobs when absent. */
  readonly apiJobs?: number | undefined;
}

type Variable = "DCI_CS_URL" | "DCI_CLIENT_ID" | "DCI_API_SECRET";

/** One credential: --rc file < environment < settings files (a blank one counts as unset). */
function pick(input: ConnectionInput, name: Variable, fromFile: string | undefined) {
  return input.dcirc?.variables[name] ?? present(input.env[name]) ?? present(fromFile);
}

/** Where the client id comes from, in the same order of precedence as `pick`. */
function clientIdSource(input: ConnectionInput): string {
  if (input.dcirc?.variables["DCI_CLIENT_ID"] !== undefined)
    return `DCI_CLIENT_ID in ${input.dcirc.path}`;
  if (present(input.env["DCI_CLIENT_ID"]) !== undefined) return "DCI_CLIENT_ID (environment)";
  if (present(input.files?.clientId) !== undefined)
    return `client_id in ${input.files?.clientIdFile ?? "the settings file"}`;
  return "DCI_CLIENT_ID";
}

/**
 * The connection of a command, checked and frozen. Throws UsageError CONFIG_MISSING_CREDENTIALS
 * (naming every missing variable), CONFIG_BAD_CLIENT_ID (naming its source) or CONFIG_BAD_CS_URL.
 */
export function resolveConnection(input: ConnectionInput): ConnectionSettings {
  const apiTimeoutMs = Math.min(
    input.stallTimeoutMs ?? DEFAULTS.stallTimeoutMs,
    DEFAULTS.apiTimeoutCapMs,
  );
  const apiJobs = input.apiJobs ?? DEFAULTS.apiJobs;
  if (input.sandbox === true) {
    return Object.freeze({ sandbox: true, source: "--sandbox", apiTimeoutMs, apiJobs });
  }
  const files = input.files ?? {};
  const source = clientIdSource(input);
  const credentials = resolveCredentials({
    csUrl: input.dciCsUrl ?? pick(input, "DCI_CS_URL", files.csUrl),
    clientId: pick(input, "DCI_CLIENT_ID", files.clientId),
    apiSecret: pick(input, "DCI_API_SECRET", files.apiSecret),
    clientIdSource: source,
  });
  return Object.freeze({
    sandbox: false,
    ...credentials,
    clientIdSource: source,
    source: input.dcirc === undefined ? "environment" : `--rc ${input.dcirc.path}`,
    proxy: Object.freeze(proxyFromEnv(input.env)),
    caFiles: caFileSources({ caFile: input.caFile, settings: files.caFile, env: input.env }),
    apiTimeoutMs,
    apiJobs,
  });
}
