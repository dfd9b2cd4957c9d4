// The read endpoints of the sandbox API end to end: real signed requests over real sockets on
// 127.0.0.1 against the tiny catalog. Shapes, status codes and messages are those of the real DCI
// API.
import { describe, expect, it } from "vitest";
import { callApi, namesIn, pick } from "./fixtures/signed-client.js";
import { T0, useTinyApi } from "./fixtures/tiny-api.js";
import { credentialsOf, IDS, makeComponent, tinyCatalog } from "./fixtures/tiny-catalog.js";

const catalog = tinyCatalog();
const acme = credentialsOf(catalog, IDS.remoteciAcme);
const stranger = credentialsOf(catalog, IDS.remoteciStranger);
const partner = credentialsOf(catalog, IDS.feederPartner);
const at = new Date(T0);

const tiny = useTinyApi();

function get(target: string, credentials = acme) {
  return callApi(tiny.api.origin, { target, credentials, at });
}

describe("identity", () => {
  it("describes the caller and its team", async () => {
    const reply = await get("/api/v1/identity");
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      identity: {
        id: IDS.remoteciAcme,
        etag: null,
        name: null,
        fullname: null,
        email: null,
        timezone: null,
        teams: {
          [IDS.teamAcme]: {
            team_name: "Acme Labs",
            state: "active",
            has_pre_release_access: false,
          },
        },
      },
    });
  });
});

describe("topics", () => {
  it("lists the visible topics newest first, each with its product and next topic", async () => {
    const reply = await get("/api/v1/topics");
    expect(namesIn(reply.json, "topics")).toEqual(["RHEL-9.4", "RHEL-9.2"]);
    expect(pick(reply.json, "_meta")).toEqual({ count: 2 });
    expect(pick(reply.json, "topics", 0, "product", "name")).toBe("RHEL");
    expect(pick(reply.json, "topics", 1, "next_topic", "name")).toBe("RHEL-9.4");
    expect(pick(reply.json, "topics", 0, "data", "registry", "login")).toBe("acme-pull");
  });

  it("filters like the reference downloader does", async () => {
    const reply = await get("/api/v1/topics?where=name%3ARHEL-9.4%2Cstate%3Aactive");
    expect(namesIn(reply.json, "topics")).toEqual(["RHEL-9.4"]);
  });

  it("answers an empty list, not an error, for a topic the caller may not see", async () => {
    const reply = await get("/api/v1/topics?where=name:RHEL-9.4", stranger);
    expect(reply).toMatchObject({ status: 200, json: { topics: [], _meta: { count: 0 } } });
  });

  it("refuses bad list parameters with 400", async () => {
    const reply = await get("/api/v1/topics?limit=1");
    expect(reply).toMatchObject({ status: 400, json: { message: "Request malformed" } });
  });

  it("returns one topic with its ETag header", async () => {
    const reply = await get(`/api/v1/topics/${IDS.topicRhel94}`);
    expect(reply.status).toBe(200);
    expect(pick(reply.json, "topic", "name")).toBe("RHEL-9.4");
    expect(reply.headers["etag"]).toBe(pick(reply.json, "topic", "etag"));
  });

  it.each([
    ["an unknown topic", "00000000-0000-4000-8000-000000000000", 404, "topic not found"],
    ["an archived topic", IDS.topicRhel95Archived, 404, "topic not found"],
    [
      "a pre-release topic without pre-release access",
      IDS.topicRhel10Beta,
      401,
      "Operation not authorized.",
    ],
  ])("answers %s with %i", async (_case, topicId, status, message) => {
    const reply = await get(`/api/v1/topics/${topicId}`);
    expect(reply).toMatchObject({ status, json: { status_code: status, message, payload: {} } });
  });
});

describe("topic components", () => {
  it("lists the visible components by -released_at by default", async () => {
    const reply = await get(`/api/v1/topics/${IDS.topicRhel94}/components`);
    expect(namesIn(reply.json, "components")).toEqual([
      "RHEL-9.4.0-20240420.1",
      "RHEL-9.4.0-20240419.5",
      "partner-tool-1.0",
      "RHEL-9.4.0-20240422.1",
      "RHEL-9.4.0-20240419.5-noinstall",
    ]);
  });

  it("answers the reference downloader's latest-of-type query with the newest created", async () => {
    const target = `/api/v1/topics/${IDS.topicRhel94}/components?sort=-created_at&limit=1&offset=0&where=type%3Acompose%2Cstate%3Aactive`;
    const reply = await get(target);
    expect(namesIn(reply.json, "components")).toEqual(["RHEL-9.4.0-20240419.5"]);
    expect(pick(reply.json, "_meta", "count")).toBe(3);
  });

  it("checks the topic before the list parameters", async () => {
    const hidden = await get(`/api/v1/topics/${IDS.topicRhel94}/components?bogus=1`, stranger);
    const visible = await get(`/api/v1/topics/${IDS.topicRhel94}/components?bogus=1`);
    expect(hidden.status).toBe(401);
    expect(visible).toMatchObject({ status: 400, json: { message: "Request malformed" } });
  });

  it("shows a feeder's own private component", async () => {
    const reply = await get(
      `/api/v1/topics/${IDS.topicRhel94}/components?where=type:tool`,
      partner,
    );
    expect(namesIn(reply.json, "components")).toEqual(["partner-tool-1.0"]);
  });
});

describe("components", () => {
  it("returns one component with files, jobs and its ETag header", async () => {
    const reply = await get(`/api/v1/components/${IDS.composeMilestone}`);
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({
      component: {
        id: IDS.composeMilestone,
        tags: ["milestone", "build:RC"],
        files: [],
        jobs: [],
        team_id: null,
      },
    });
    expect(reply.headers["etag"]).toBe(pick(reply.json, "component", "etag"));
  });

  it.each([
    ["an unknown component", "00000000-0000-4000-8000-000000000000", 404, "component not found"],
    ["an archived component", IDS.archivedCompose, 404, "component not found"],
    ["another team's private component", IDS.strangerPrivate, 401, "Operation not authorized."],
    [
      "a component of a topic the caller may not see",
      IDS.betaCompose,
      401,
      "Operation not authorized.",
    ],
  ])("answers %s with %i", async (_case, componentId, status, message) => {
    const reply = await get(`/api/v1/components/${componentId}`);
    expect(reply).toMatchObject({ status, json: { message } });
  });

  it("serves a component added to the catalog after the server started", async () => {
    const added = makeComponent({ id: "7f6b200d-5ebc-4d4a-ba36-f29aba2535ff", name: "late" });
    tiny.catalog = { ...tiny.catalog, components: [...tiny.catalog.components, added] };
    const reply = await get(`/api/v1/components/${added.id}`);
    expect(pick(reply.json, "component", "name")).toBe("late");
  });

  it("answers 500 instead of crashing when a hostile etag cannot go in a header", async () => {
    const added = makeComponent({
      id: "7f6b200d-5ebc-4d4a-ba36-f29aba2535fe",
      name: "hostile",
      etag: "bad\r\nSet-Cookie: x=y",
    });
    tiny.catalog = { ...tiny.catalog, components: [...tiny.catalog.components, added] };
    expect((await get(`/api/v1/components/${added.id}`)).status).toBe(500);
    expect((await get("/api/v1/identity")).status).toBe(200);
  });
});
