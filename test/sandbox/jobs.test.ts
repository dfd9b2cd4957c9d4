// Jobs end to end: creation with ETag, and the If-Match rules of DELETE as the DCI API applies
// them.
import { describe, expect, it } from "vitest";
import { callApi, pick } from "./fixtures/signed-client.js";
import { T0, useTinyApi } from "./fixtures/tiny-api.js";
import { credentialsOf, IDS, tinyCatalog } from "./fixtures/tiny-catalog.js";

const acme = credentialsOf(tinyCatalog(), IDS.remoteciAcme);
const partner = credentialsOf(tinyCatalog(), IDS.feederPartner);
const stranger = credentialsOf(tinyCatalog(), IDS.remoteciStranger);
const at = new Date(T0);

const tiny = useTinyApi();

function postJob(body: unknown, credentials = acme) {
  const text = JSON.stringify(body);
  return callApi(tiny.api.origin, {
    method: "POST",
    target: "/api/v1/jobs",
    body: text,
    credentials,
    at,
  });
}

async function createJob(): Promise<{ readonly id: string; readonly etag: string }> {
  const reply = await postJob({ topic_id: IDS.topicRhel94, components: [IDS.composeNightly] });
  const id = pick(reply.json, "job", "id");
  const etag = reply.headers["etag"];
  if (typeof id !== "string" || typeof etag !== "string") throw new Error(reply.text);
  return { id, etag };
}

function jobRequest(
  method: string,
  id: string,
  headers: Record<string, string> = {},
  credentials = acme,
) {
  return callApi(tiny.api.origin, {
    method,
    target: `/api/v1/jobs/${id}`,
    credentials,
    at,
    headers,
  });
}

describe("POST /jobs", () => {
  it("creates a job with 201, its ETag header and the caller's team and remoteci", async () => {
    const reply = await postJob({
      topic_id: IDS.topicRhel94,
      components: [IDS.composeNightly, IDS.partnerPrivate],
      comment: "mirror run",
    });
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({
      job: {
        topic_id: IDS.topicRhel94,
        team_id: IDS.teamAcme,
        remoteci_id: IDS.remoteciAcme,
        status: "new",
        state: "active",
        comment: "mirror run",
        created_at: "2025-01-07T08:15:00",
      },
    });
    const id = pick(reply.json, "job", "id");
    expect(reply.headers["etag"]).toBe(pick(reply.json, "job", "etag"));
    expect(typeof id === "string" && tiny.api.jobs.has(id)).toBe(true);
  });

  it("answers the creation without a components key, as the real server does", async () => {
    const reply = await postJob({ topic_id: IDS.topicRhel94, components: [IDS.composeNightly] });
    expect(reply.status).toBe(201);
    expect(Object.keys(Object(pick(reply.json, "job")))).not.toContain("components");
    const id = String(pick(reply.json, "job", "id"));
    expect(pick((await jobRequest("GET", id)).json, "job", "components")).toEqual([
      expect.objectContaining({ id: IDS.composeNightly }),
    ]);
  });

  it("lists the job on the component for the caller's team only", async () => {
    const { id } = await createJob();
    const mine = await callApi(tiny.api.origin, {
      target: `/api/v1/components/${IDS.composeNightly}`,
      credentials: acme,
      at,
    });
    const theirs = await callApi(tiny.api.origin, {
      target: `/api/v1/components/${IDS.composeNightly}`,
      credentials: partner,
      at,
    });
    expect(pick(mine.json, "component", "jobs")).toEqual(
      expect.arrayContaining([expect.objectContaining({ id })]),
    );
    expect(pick(theirs.json, "component", "jobs")).toEqual([]);
  });

  it.each([
    ["a missing topic_id", { components: [] }, "'topic_id' is a required property"],
    [
      "a topic_id that is not a UUID",
      { topic_id: "RHEL-9.4" },
      "topic_id: \"RHEL-9.4\" is not a 'uuid'",
    ],
    [
      "components that are not a list",
      { topic_id: IDS.topicRhel94, components: IDS.composeNightly },
      "is not of type 'array'",
    ],
    [
      "an unknown field",
      { topic_id: IDS.topicRhel94, colour: "red" },
      "Additional properties are not allowed ('colour' was unexpected)",
    ],
    ["a body that is not an object", [IDS.topicRhel94], "is not of type 'object'"],
  ])("refuses %s with 400 Request malformed", async (_case, body, detail) => {
    const reply = await postJob(body);
    expect(reply).toMatchObject({ status: 400, json: { message: "Request malformed" } });
    expect(String(pick(reply.json, "payload", "error"))).toContain(detail);
  });

  it.each([
    [
      "an unknown topic",
      { topic_id: "00000000-0000-4000-8000-000000000000" },
      acme,
      404,
      "topic not found",
    ],
    [
      "a topic the caller may not see",
      { topic_id: IDS.topicRhel10Beta },
      acme,
      401,
      "Operation not authorized.",
    ],
    [
      "an unknown component",
      { topic_id: IDS.topicRhel94, components: ["00000000-0000-4000-8000-000000000000"] },
      acme,
      404,
      "component not found",
    ],
    [
      "a component the caller may not see",
      { topic_id: IDS.topicRhel94, components: [IDS.strangerPrivate] },
      acme,
      401,
      "Operation not authorized.",
    ],
    [
      "a feeder (only remotecis run jobs)",
      { topic_id: IDS.topicRhel94 },
      partner,
      401,
      "Operation not authorized.",
    ],
  ])("refuses %s", async (_case, body, credentials, status, message) => {
    const reply = await postJob(body, credentials);
    expect(reply).toMatchObject({ status, json: { message } });
  });
});

describe("GET and DELETE /jobs/{id}", () => {
  it("returns the job with its ETag and components; another team's job is not found", async () => {
    const { id, etag } = await createJob();
    const mine = await jobRequest("GET", id);
    const embedded = await callApi(tiny.api.origin, {
      target: `/api/v1/jobs/${id}?embed=components`,
      credentials: acme,
      at,
    });
    const theirs = await jobRequest("GET", id, {}, stranger);
    expect(mine).toMatchObject({ status: 200, json: { job: { id, etag } } });
    expect(mine.headers["etag"]).toBe(etag);
    expect(pick(embedded.json, "job", "components")).toEqual([
      expect.objectContaining({ id: IDS.composeNightly }),
    ]);
    // The real server filters by the caller's team, so it cannot tell "not yours" from "missing".
    expect(theirs).toMatchObject({ status: 404, json: { message: "job not found" } });
  });

  it("refuses a DELETE without If-Match with 412", async () => {
    const { id } = await createJob();
    const reply = await jobRequest("DELETE", id);
    expect(reply).toMatchObject({
      status: 412,
      json: { message: "'If-match' header must be provided" },
    });
    expect(tiny.api.jobs.has(id)).toBe(true);
  });

  it("answers a DELETE with a stale etag 404 job not found, as the real server does", async () => {
    const { id } = await createJob();
    const reply = await jobRequest("DELETE", id, {
      "If-Match": "0123456789abcdef0123456789abcdef",
    });
    expect(reply).toMatchObject({ status: 404, json: { message: "job not found" } });
    expect(tiny.api.jobs.has(id)).toBe(true);
  });

  it("deletes with the current etag: 204, then 404 job not found", async () => {
    const { id, etag } = await createJob();
    const deleted = await jobRequest("DELETE", id, { "If-Match": etag });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expect(tiny.api.jobs.has(id)).toBe(false);
    expect(await jobRequest("GET", id)).toMatchObject({
      status: 404,
      json: { message: "job not found" },
    });
    expect((await jobRequest("DELETE", id, { "If-Match": etag })).status).toBe(404);
  });

  it("compares a quoted If-Match verbatim, as the real server does: 404, job kept", async () => {
    const { id, etag } = await createJob();
    const reply = await jobRequest("DELETE", id, { "If-Match": `"${etag}"` });
    expect(reply).toMatchObject({ status: 404, json: { message: "job not found" } });
    expect(tiny.api.jobs.has(id)).toBe(true);
  });

  it("refuses to delete another team's job with 401, even with its etag", async () => {
    const { id, etag } = await createJob();
    const reply = await jobRequest("DELETE", id, { "If-Match": etag }, stranger);
    expect(reply).toMatchObject({ status: 401, json: { message: "Operation not authorized." } });
    expect(tiny.api.jobs.has(id)).toBe(true);
  });
});
