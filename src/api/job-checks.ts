/**
 * The checks around DCI job calls that the real server forces on a client: the creation answer
 * never lists the components (they are read back and compared), and `DELETE` with a stale or quoted
 * `If-Match` is a bare 404 `job not found` (the job is read back to tell "changed" from "gone").
 * Pure: answers in, verdicts and errors out.
 */
import { ApiShapeError, ConflictError, NotFoundError, UsageError } from "../errors.js";

/**
 * The etag as DCI compares it: verbatim, so the quotes of an HTTP `ETag` header (`"abc"`) must go,
 * or the real server answers 404 `job not found` for a job that exists.
 */
export function unquotedEtag(etag: string): string {
  return etag.trim().replace(/^"(.*)"$/, "$1");
}

/** The ids in their first-seen order, each once (UUIDs compare without regard to case). */
export function uniqueIds(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  return ids.filter((id) => {
    const key = id.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Throws ApiShapeError (JOB_COMPONENTS_MISMATCH) when the job's components are not exactly the
 * ones asked for, naming the ones missing and the ones added.
 */
export function checkJobComponents(
  jobId: string,
  askedIds: readonly string[],
  attachedIds: readonly string[],
): void {
  const asked = uniqueIds(askedIds).map((id) => id.toLowerCase());
  const attached = uniqueIds(attachedIds).map((id) => id.toLowerCase());
  const missing = asked.filter((id) => !attached.includes(id));
  const extra = attached.filter((id) => !asked.includes(id));
  if (missing.length === 0 && extra.length === 0) return;
  const parts = [
    missing.length === 0 ? "" : `asked for but not attached: ${missing.join(", ")}`,
    extra.length === 0 ? "" : `attached but not asked for: ${extra.join(", ")}`,
  ].filter((part) => part !== "");
  throw new ApiShapeError(
    `Job ${jobId} was created with other components than asked (${parts.join("; ")}).`,
    {
      code: "JOB_COMPONENTS_MISMATCH",
      hint: `Check that every component belongs to the job's topic and is visible to these credentials; delete job ${jobId} if it must not stay.`,
    },
  );
}

/** True for the bare 404 of a job call (not an unknown identity, not "not visible"). */
export function isPlainNotFound(error: unknown): boolean {
  return error instanceof NotFoundError && error.code === "NOT_FOUND";
}

/**
 * True when a job DELETE may have been refused for its etag: today's server answers a bare 404,
 * older ones (which looked the job up before comparing etags) a 409.
 */
export function mayBeStaleEtag(error: unknown): boolean {
  return isPlainNotFound(error) || (error instanceof UsageError && error.code === "API_CONFLICT");
}

/** The job does not exist (or never did, or belongs to another team: DCI does not tell). */
export function jobNotFound(jobId: string, cause?: unknown): NotFoundError {
  return new NotFoundError(`Job ${jobId} was not found: it does not exist or was deleted.`, {
    code: "JOB_NOT_FOUND",
    hint: "Check the job id; a job of another team is not visible to these credentials either.",
    cause,
  });
}

/** DELETE was refused because the etag sent is no longer the job's (the job still exists). */
export function staleJobEtag(jobId: string, sentEtag: string, currentEtag: string): ConflictError {
  return new ConflictError(
    `Job ${jobId} was not deleted: DCI refused the etag sent (${sentEtag}); the job's current etag is ${currentEtag}.`,
    {
      code: "JOB_ETAG_STALE",
      hint: "The job changed since it was read; re-read it and retry with its current etag.",
    },
  );
}
