/**
 * DCI credentials: where they come from and how they are cleaned up before use.
 * Pure: variables in, checked credentials out.
 */
import { UsageError } from "../errors.js";

export interface DciCredentials {
  /** Base URL without trailing `/`; a path prefix is kept. */
  readonly csUrl: string;
  /** `<type>/<id>`: `remoteci/…` or `feeder/…`. */
  readonly clientId: string;
  readonly apiSecret: string;
}

export interface CredentialInput {
  readonly csUrl?: string | undefined;
  readonly clientId?: string | undefined;
  readonly apiSecret?: string | undefined;
  /**
   * Where `clientId` came from, for messages: `DCI_CLIENT_ID (environment)`, `DCI_CLIENT_ID in
   * ./dcirc.sh`, `client_id in settings.yml`. Default `DCI_CLIENT_ID`.
   */
  readonly clientIdSource?: string | undefined;
}

const WHERE_TO_FIX =
  "Set DCI_CLIENT_ID, DCI_API_SECRET and DCI_CS_URL (for example with `source dcirc.sh`), or pass --rc dcirc.sh";

/**
 * A client id as the server wants it: `abc` means `remoteci/abc` and `a/b/c` keeps `a/b`, as the
 * reference client does (the reference downloader crashes on both instead).
 */
export function normalizeClientId(clientId: string): string {
  const parts = clientId.trim().split("/");
  if (parts.length === 1) return `remoteci/${parts[0] ?? ""}`;
  return `${parts[0] ?? ""}/${parts[1] ?? ""}`;
}

/** The shape the server wants, shown in every refusal of a client id. */
const CLIENT_ID_SHAPE = "remoteci/<uuid>";
const CLIENT_TYPES: readonly string[] = ["remoteci", "feeder"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What the DCI server generates for secrets (64 letters and digits): worth a "swapped?" hint. */
const SECRET_LIKE = /^[A-Za-z0-9]{64}$/;

/**
 * What is wrong with a (trimmed) client id, or undefined when the server can accept it. Never
 * echoes the value: it may be a secret pasted into the wrong variable.
 */
function clientIdProblem(clientId: string): string | undefined {
  const parts = clientId.split("/");
  const [type = "", id = ""] = parts;
  if (parts.length === 1) {
    if (UUID.test(clientId)) return undefined;
    return SECRET_LIKE.test(clientId)
      ? "it looks like an API secret (are DCI_CLIENT_ID and DCI_API_SECRET swapped?)"
      : 'it has no "/" and is not a UUID';
  }
  if (parts.length > 2) return `it has ${parts.length - 1} "/" where one is expected`;
  if (!CLIENT_TYPES.includes(type)) {
    // A short word is a mistyped type, not a secret: showing it helps spot "remotecis".
    const shown = /^[A-Za-z0-9_-]{1,16}$/.test(type) ? `"${type}"` : "something else";
    return `the type before "/" is ${shown}, not remoteci or feeder`;
  }
  return UUID.test(id) ? undefined : `the part after "${type}/" is not a UUID`;
}

/**
 * Checks a client id before any request: `remoteci/<uuid>` or `feeder/<uuid>`, or a bare UUID
 * (a remoteci, as the reference client reads it). The real server answers a non-UUID id with a
 * 400 carrying a raw database error, so it is refused here: UsageError CONFIG_BAD_CLIENT_ID naming
 * `source` and the expected shape, never the value.
 */
export function checkClientId(clientId: string, source = "DCI_CLIENT_ID"): string {
  const trimmed = clientId.trim();
  const problem = clientIdProblem(trimmed);
  if (problem === undefined) return normalizeClientId(trimmed);
  throw new UsageError(
    `${source} is not a DCI client id of the form ${CLIENT_ID_SHAPE}: ${problem}.`,
    {
      code: "CONFIG_BAD_CLIENT_ID",
      hint: `Use the client id from the DCI web UI (the remoteci's dcirc.sh), shaped ${CLIENT_ID_SHAPE}, e.g. remoteci/95c436b7-3944-419a-aa34-8e49c6680e15 (feeder/<uuid> for a feeder).`,
    },
  );
}

/** The control server URL without trailing slashes; throws UsageError when it is not http(s). */
export function normalizeCsUrl(csUrl: string): string {
  const trimmed = csUrl.trim().replace(/\/+$/, "");
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    // new URL() throws a bare TypeError; the user needs to know which setting is wrong.
    throw new UsageError(`DCI_CS_URL is not a URL: "${trimmed}".`, {
      code: "CONFIG_BAD_CS_URL",
      hint: "Use the API address from your dcirc.sh, e.g. https://api.distributed-ci.io",
    });
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new UsageError(
      `DCI_CS_URL must start with http:// or https://, not "${parsed.protocol}".`,
      {
        code: "CONFIG_BAD_CS_URL",
        hint: "Use the API address from your dcirc.sh, e.g. https://api.distributed-ci.io",
      },
    );
  }
  return trimmed;
}

/**
 * Checks and normalises credentials. Throws UsageError naming every missing variable, or the
 * source of a malformed client id (never printing a value: the secret must not appear in any
 * message).
 */
export function resolveCredentials(input: CredentialInput): DciCredentials {
  const missing = [
    ["DCI_CS_URL", input.csUrl],
    ["DCI_CLIENT_ID", input.clientId],
    ["DCI_API_SECRET", input.apiSecret],
  ]
    .filter(([, value]) => value === undefined || value.trim() === "")
    .map(([name]) => name);
  if (missing.length > 0) {
    throw new UsageError(`Missing DCI credentials: ${missing.join(", ")} not set.`, {
      code: "CONFIG_MISSING_CREDENTIALS",
      hint: `${WHERE_TO_FIX}; or try the built-in sandbox with --sandbox.`,
    });
  }
  return {
    csUrl: normalizeCsUrl(input.csUrl ?? ""),
    clientId: checkClientId(input.clientId ?? "", input.clientIdSource),
    apiSecret: (input.apiSecret ?? "").trim(),
  };
}

/** Reads the three DCI variables from an environment-like map (process.env or a dcirc file). */
export function credentialsFromVariables(
  variables: Readonly<Record<string, string | undefined>>,
): CredentialInput {
  return {
    csUrl: variables["DCI_CS_URL"],
    clientId: variables["DCI_CLIENT_ID"],
    apiSecret: variables["DCI_API_SECRET"],
  };
}
