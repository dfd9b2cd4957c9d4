/**
 * How long a presigned URL may still be handed to a transfer. The gateway's URLs carry their
 * lifetime (`X-Amz-Expires`, seconds; DCI issues them for 600 s); a URL is used only in the first
 * 80% of it, so no transfer starts on one about to expire. Pure.
 */

/** DCI's presigned URLs live this long when the URL does not say. */
export const DEFAULT_URL_LIFETIME_S = 600;
/** The part of a URL's lifetime in which it is handed out. */
const USABLE_PART = 0.8;
/** S3 refuses presigned URLs that claim more than a week. */
const MAX_LIFETIME_S = 7 * 24 * 3600;

/** The lifetime the URL claims, in seconds; DEFAULT_URL_LIFETIME_S when it claims none. */
export function urlLifetimeSeconds(url: string): number {
  let claimed: string | null = null;
  try {
    claimed = new URL(url).searchParams.get("X-Amz-Expires");
  } catch {
    return DEFAULT_URL_LIFETIME_S;
  }
  const seconds = Number(claimed ?? Number.NaN);
  return Number.isInteger(seconds) && seconds > 0 && seconds <= MAX_LIFETIME_S
    ? seconds
    : DEFAULT_URL_LIFETIME_S;
}

/** True while a URL received `ageMs` ago may still start a transfer. */
export function isUrlFresh(url: string, ageMs: number): boolean {
  return ageMs <= urlLifetimeSeconds(url) * 1000 * USABLE_PART;
}
