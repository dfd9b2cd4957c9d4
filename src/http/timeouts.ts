/**
 * The DCI API's default timeout, declared once: the API client uses it, and the run settings cap
 * an API answer's wait with it.
 */

/**
 * Time allowed for the answer's headers, and between two chunks of its body, by default. DCI
 * answers in well under a second; 30 s tells a stuck server (or proxy) from a slow one without
 * making a user wait minutes for the diagnosis.
 */
export const API_TIMEOUT_MS = 30_000;
