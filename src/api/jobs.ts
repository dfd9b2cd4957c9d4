/**
 * The job endpoints: create a job for a topic's components and check the server attached exactly
 * those, read a job with its components, delete a job by its etag.
 */
import type { Job } from "../model.js";
import { encodeUnreserved } from "../signing/canonical.js";
import { type ApiContext, getBody } from "./context.js";
import { readJob, readJobAnswer } from "./endpoints.js";
import { safeUrl } from "./http-errors.js";
import {
  checkJobComponents,
  isPlainNotFound,
  jobNotFound,
  mayBeStaleEtag,
  staleJobEtag,
  uniqueIds,
  unquotedEtag,
} from "./job-checks.js";

export interface JobInput {
  topicId: string;
  componentIds: readonly string[];
  comment?: string;
  name?: string;
}

/**
 * Creates a job for a topic and its components (as a remoteci does before testing them) and
 * returns it once the server shows exactly those components. The real server's creation answer
 * has no `components` key (it attaches them after), so they are read back with GET /jobs/{id}.
 * Throws ApiShapeError (JOB_COMPONENTS_MISMATCH) when the job got other components.
 */
export async function createJob(
  api: ApiContext,
  input: JobInput,
  signal?: AbortSignal,
): Promise<Job> {
  const url = api.url("/jobs");
  const body = JSON.stringify({
    topic_id: input.topicId,
    components: input.componentIds,
    ...(input.comment === undefined ? {} : { comment: input.comment }),
    ...(input.name === undefined ? {} : { name: input.name }),
  });
  const context = { what: "job creation" };
  const answer = await api.http.send({ method: "POST", url, body, context, signal });
  const created = readJobAnswer(answer.body, safeUrl(url));
  const shown =
    created.componentIds === undefined
      ? await job(api, created.job.id, signal)
      : { ...created.job, componentIds: created.componentIds };
  checkJobComponents(shown.id, input.componentIds, shown.componentIds);
  return { ...shown, componentIds: uniqueIds(input.componentIds) };
}

/**
 * A job with its components (`?embed=components`: older servers embed them only on request).
 * Throws NotFoundError (JOB_NOT_FOUND) when it does not exist or belongs to another team.
 */
export async function job(api: ApiContext, jobId: string, signal?: AbortSignal): Promise<Job> {
  const url = api.url(`/jobs/${encodeUnreserved(jobId)}`, { embed: "components" });
  try {
    return readJob(await getBody(api, url, { what: `job ${jobId}` }, signal), safeUrl(url));
  } catch (error) {
    throw isPlainNotFound(error) ? jobNotFound(jobId, error) : error;
  }
}

/**
 * Deletes a job; `etag` must be the job's current one (sent unquoted as If-Match, as DCI compares
 * it verbatim). The real server answers a stale etag with the same 404 as a missing job (older
 * ones with 409), so such an answer is told apart by reading the job back: ConflictError
 * (JOB_ETAG_STALE) when it still exists, NotFoundError (JOB_NOT_FOUND) when it does not.
 */
export async function deleteJob(
  api: ApiContext,
  target: Pick<Job, "id" | "etag">,
  signal?: AbortSignal,
): Promise<void> {
  const url = api.url(`/jobs/${encodeUnreserved(target.id)}`);
  const etag = unquotedEtag(target.etag);
  try {
    await api.http.send({
      method: "DELETE",
      url,
      headers: { "if-match": etag },
      context: { what: `deletion of job ${target.id}` },
      signal,
    });
  } catch (error) {
    if (!mayBeStaleEtag(error)) throw error;
    const current = await job(api, target.id, signal);
    throw staleJobEtag(target.id, etag, current.etag);
  }
}
