/**
 * Forward proxies from environment variables. Pure: an environment map in, settings out; shared
 * by the configuration stage and the API client's `DciClient.fromEnv`.
 */
import type { ProxySettings } from "../model.js";

/** HTTP(S)_PROXY/NO_PROXY from an environment map; lower-case names win, as in curl and requests. */
export function proxyFromEnv(env: Readonly<Record<string, string | undefined>>): ProxySettings {
  const pick = (name: string): string | undefined => {
    const value = env[name.toLowerCase()] ?? env[name];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  };
  return {
    httpProxy: pick("HTTP_PROXY"),
    httpsProxy: pick("HTTPS_PROXY"),
    noProxy: pick("NO_PROXY"),
  };
}
