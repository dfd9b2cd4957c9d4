/** The identity endpoint: who the credentials belong to. */
import type { Identity } from "../model.js";
import { type ApiContext, getBody } from "./context.js";
import { readIdentity } from "./endpoints.js";
import { safeUrl } from "./http-errors.js";

/** Who the credentials belong to: the cheapest check of credentials and clock. */
export async function identity(api: ApiContext, signal?: AbortSignal): Promise<Identity> {
  const url = api.url("/identity");
  return readIdentity(await getBody(api, url, { what: "identity check" }, signal), safeUrl(url));
}
