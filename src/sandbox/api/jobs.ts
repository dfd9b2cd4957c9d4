/**
 * Jobs in the sandbox: `POST /jobs`, `GET /jobs/{id}` and `DELETE /jobs/{id}`, answering as the
 * real dci-control-server does: the creation body has no `components` (they are attached after),
 * a job of another team is "not found", and `DELETE` looks the job up by id AND etag, so a stale
 * or quoted `If-Match` gets 404 `job not found` (a missing one 412). Enough for a client to announce
 * the components it used and clean up after itself; jobs live in memory only.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { SandboxCatalog } from "../catalog/catalog-types.js";
import { type ApiContext, headerOf } from "./api-context.js";
import { type ApiResponse, errorResponse, jsonResponse } from "./api-response.js";
import { readJobBody } from "./job-body.js";
import type { SandboxJob } from "./job-store.js";
import { formatApiTimestamp, serializeComponent } from "./serialize.js";
import { canAccessComponent, canSeeTopic } from "./visibility.js";

/** A job in the API's shape; `components` are serialised when a catalog is given. */
export function serializeJob(job: SandboxJob, catalog?: SandboxCatalog): Record<string, unknown> {
  const topic = catalog?.topics.find((candidate) => candidate.id === job.topicId);
  const base: Record<string, unknown> = {
    id: job.id,
    etag: job.etag,
    created_at: job.createdAt,
    updated_at: job.createdAt,
    name: job.name,
    comment: job.comment,
    status: "new",
    state: "active",
    topic_id: job.topicId,
    product_id: topic?.productId ?? null,
    team_id: job.teamId,
    remoteci_id: job.remoteciId,
    tags: [],
    data: {},
  };
  if (catalog === undefined) return base;
  const components = job.componentIds.flatMap((id) =>
    catalog.components.filter((component) => component.id === id).map(serializeComponent),
  );
  return { ...base, components };
}

/** `POST /jobs`: 201 with the new job and its `ETag`, without `components` as on the real server. */
export function createJob(context: ApiContext): ApiResponse {
  const body = readJobBody(context.request.body);
  if (!body.ok) return errorResponse(400, "Request malformed", body.payload);
  const { catalog, viewer } = context;
  if (viewer.identity.clientType !== "remoteci") {
    return errorResponse(401, "Operation not authorized.");
  }
  const topic = catalog.topics.find(
    (candidate) => candidate.id === body.topicId && candidate.state !== "archived",
  );
  if (topic === undefined) return errorResponse(404, "topic not found");
  if (!canSeeTopic(viewer.team, topic)) return errorResponse(401, "Operation not authorized.");
  for (const componentId of body.componentIds) {
    const component = catalog.components.find(
      (candidate) => candidate.id === componentId && candidate.state !== "archived",
    );
    if (component === undefined) return errorResponse(404, "component not found");
    if (!canAccessComponent(catalog, viewer.team, component)) {
      return errorResponse(401, "Operation not authorized.");
    }
  }
  const job: SandboxJob = {
    id: randomUUID(),
    etag: randomBytes(16).toString("hex"),
    topicId: topic.id,
    componentIds: body.componentIds,
    teamId: viewer.team.id,
    remoteciId: viewer.identity.id,
    name: body.name,
    comment: body.comment,
    createdAt: formatApiTimestamp(context.nowMs),
  };
  context.jobs.add(job);
  // The real server inserts the job row and attaches its components afterwards, so the body it
  // returns has no `components` key: a client must read them back with GET /jobs/{id}.
  return jsonResponse(201, { job: serializeJob(job) }, { ETag: job.etag });
}

/**
 * `GET /jobs/{id}`: the job with its components and `ETag`. The real server filters by the
 * caller's team, so another team's job is 404 `job not found` like a deleted one. `?embed=` is
 * ignored: the components are always there.
 */
export function getJob(context: ApiContext, jobId: string): ApiResponse {
  const job = context.jobs.view.get(jobId);
  if (job === undefined || job.teamId !== context.viewer.team.id) {
    return errorResponse(404, "job not found");
  }
  return jsonResponse(200, { job: serializeJob(job, context.catalog) }, { ETag: job.etag });
}

/**
 * `DELETE /jobs/{id}`: `If-Match` missing → 412; then the job is looked up by id and etag together,
 * as the real server does, so a stale etag, or a quoted one (compared verbatim), is 404
 * `job not found` and never 409; a job of another team → 401.
 */
export function deleteJob(context: ApiContext, jobId: string): ApiResponse {
  const ifMatch = headerOf(context.request, "if-match");
  if (ifMatch === undefined || ifMatch === "") {
    return errorResponse(412, "'If-match' header must be provided");
  }
  const job = context.jobs.view.get(jobId);
  if (job === undefined || job.etag !== ifMatch) return errorResponse(404, "job not found");
  if (job.teamId !== context.viewer.team.id) {
    return errorResponse(401, "Operation not authorized.");
  }
  context.jobs.delete(job.id);
  return { kind: "empty", status: 204 };
}
