/**
 * DCI credentials: where they come from and how they are cleaned up before use (PROTOCOL.md §1.1).
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
 * Checks and normalises credentials. Throws UsageError naming every missing variable (never
 * printing a value: the secret must not appear in any message).
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
    clientId: normalizeClientId(input.clientId ?? ""),
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
