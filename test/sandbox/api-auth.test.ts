// Routing and authentication of the sandbox API end to end: real signed requests over real sockets
// on 127.0.0.1. Status codes and messages are those of the DCI control server
// (signature checks, list parameters).
import { describe, expect, it } from "vitest";
import { callApi, pick, signFor } from "./fixtures/signed-client.js";
import { T0, useTinyApi } from "./fixtures/tiny-api.js";
import { credentialsOf, IDS, tinyCatalog } from "./fixtures/tiny-catalog.js";

const catalog = tinyCatalog();
const acme = credentialsOf(catalog, IDS.remoteciAcme);
const at = new Date(T0);
const FIFTEEN_MINUTES_MS = 15 * 60 * 1000;

const tiny = useTinyApi();

function get(target: string, credentials = acme) {
  return callApi(tiny.api.origin, { target, credentials, at });
}

describe("health and routing", () => {
  it("answers the v1 and v2 health checks without authentication", async () => {
    const v1 = await callApi(tiny.api.origin, { target: "/api/v1/", at });
    const v2 = await callApi(tiny.api.origin, { target: "/api/v2", at });
    expect(v1).toMatchObject({ status: 200, json: { _status: "OK", message: "Distributed CI." } });
    expect(v2.json).toEqual({ _status: "OK", message: "Distributed CI.", version: "2" });
  });

  it.each([
    ["an unknown route", "/api/v1/flavours"],
    ["a malformed topic UUID", "/api/v1/topics/not-a-uuid"],
    ["a malformed component UUID in the files route", "/api/v1/components/1234/files/x"],
    ["a path outside the API", "/"],
    ["an unknown API version", "/api/v3/"],
  ])("answers %s with the HTML 404 page before authentication", async (_case, target) => {
    const reply = await callApi(tiny.api.origin, { target, at });
    expect(reply.status).toBe(404);
    expect(reply.headers["content-type"]).toContain("text/html");
    expect(reply.text).toContain("<title>404 Not Found</title>");
  });

  it("answers a method the route does not serve with the HTML 405 page", async () => {
    const reply = await callApi(tiny.api.origin, {
      method: "DELETE",
      target: "/api/v1/topics",
      at,
    });
    expect(reply.status).toBe(405);
    expect(reply.text).toContain("Method Not Allowed");
  });

  it("tolerates a trailing slash on routes", async () => {
    expect((await get("/api/v1/topics/")).status).toBe(200);
    expect((await get(`/api/v1/topics/${IDS.topicRhel94}/`)).status).toBe(200);
  });
});

describe("authentication", () => {
  it("refuses a request without Authorization with 401 and the DCI error body", async () => {
    const reply = await callApi(tiny.api.origin, { target: "/api/v1/identity", at });
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({
      status_code: 401,
      message: "Authorization header missing",
      payload: {},
    });
  });

  it("refuses an unknown Authorization scheme with 401", async () => {
    const headers = { Authorization: "Bearer abc.def" };
    const reply = await callApi(tiny.api.origin, { target: "/api/v1/identity", at, headers });
    expect(reply).toMatchObject({
      status: 401,
      json: { message: "Authorization scheme Bearer unknown" },
    });
  });

  it("answers a malformed Authorization header with the HTML 500 page, as the server crashes", async () => {
    const headers = {
      Authorization: "DCI2-HMAC-SHA256 Credential=x",
      "X-DCI-Date": "20250107T081500Z",
    };
    const reply = await callApi(tiny.api.origin, { target: "/api/v1/identity", at, headers });
    expect(reply.status).toBe(500);
    expect(reply.text).toContain("Internal Server Error");
  });

  it.each([
    [
      "the secret",
      { target: "/api/v1/identity", credentials: { ...acme, secretKey: "not-the-secret" } },
      { target: "/api/v1/identity" },
    ],
    ["the path", { target: "/api/v1/identity" }, { target: "/api/v1/topics" }],
    [
      "the query",
      { target: "/api/v1/topics?limit=1&offset=0" },
      { target: "/api/v1/topics?limit=2&offset=0" },
    ],
    ["the method", { method: "POST", target: "/api/v1/identity" }, { target: "/api/v1/identity" }],
    [
      "the body",
      { method: "POST", target: "/api/v1/jobs", body: "{}" },
      { method: "POST", target: "/api/v1/jobs", body: "{ }" },
    ],
  ])(
    "refuses a request whose %s differs from what was signed: 400 signature is invalid",
    async (_case, signed, sent) => {
      const headers = signFor(tiny.api.origin, { credentials: acme, at, ...signed });
      const reply = await callApi(tiny.api.origin, { ...sent, at, headers });
      expect(reply).toMatchObject({
        status: 400,
        json: { message: "HmacMechanism failed: signature is invalid" },
      });
    },
  );

  it.each([
    ["15:00 behind", -FIFTEEN_MINUTES_MS, 200],
    ["15:00 ahead", FIFTEEN_MINUTES_MS, 200],
    ["15:01 behind", -FIFTEEN_MINUTES_MS - 1000, 400],
    ["15:01 ahead", FIFTEEN_MINUTES_MS + 1000, 400],
  ])("answers a signature made %s of the server clock with %i", async (_case, skewMs, status) => {
    const reply = await callApi(tiny.api.origin, {
      target: "/api/v1/identity",
      credentials: acme,
      at: new Date(T0 + skewMs),
    });
    expect(reply.status).toBe(status);
    if (status === 400)
      expect(pick(reply.json, "message")).toBe("HmacMechanism failed: signature is expired");
  });

  it("follows the server clock, so a skewed server refuses a fresh signature", async () => {
    tiny.clock.nowMs = T0 + FIFTEEN_MINUTES_MS + 1000;
    expect((await get("/api/v1/identity")).status).toBe(400);
  });

  it.each([
    ["an unknown remoteci", `remoteci/00000000-0000-4000-8000-000000000000`, "remoteci not found"],
    ["an archived remoteci", `remoteci/${IDS.remoteciAcmeArchived}`, "remoteci not found"],
    ["an unknown feeder", `feeder/${IDS.remoteciAcme}`, "feeder not found"],
  ])("answers %s with 404", async (_case, accessKey, message) => {
    const reply = await get("/api/v1/identity", { ...acme, accessKey });
    expect(reply).toMatchObject({ status: 404, json: { message } });
  });

  it("refuses an unknown client type with 401", async () => {
    const reply = await get("/api/v1/identity", { ...acme, accessKey: `user/${IDS.remoteciAcme}` });
    expect(reply).toMatchObject({ status: 401, json: { message: "identity does not exists." } });
  });

  it("refuses every request of an inactive team with 412", async () => {
    const reply = await get("/api/v1/topics", credentialsOf(catalog, IDS.remoteciSleepy));
    expect(reply).toMatchObject({ status: 412, json: { message: "team Sleepy not active" } });
  });

  it("accepts an inactive identity (only archived ones are unknown)", async () => {
    const inactive = credentialsOf(catalog, IDS.remoteciAcmeInactive);
    expect((await get("/api/v1/identity", inactive)).status).toBe(200);
  });

  it("accepts the AWS4-HMAC-SHA256 variant", async () => {
    const reply = await callApi(tiny.api.origin, {
      target: "/api/v1/topics?where=name:RHEL-9*",
      credentials: acme,
      at,
      algorithm: "AWS4-HMAC-SHA256",
    });
    expect(reply.status).toBe(200);
  });

  it("logs every request with its raw path, raw query, status and bytes", async () => {
    await get("/api/v1/topics?where=name%3ARHEL-9*");
    await callApi(tiny.api.origin, {
      target: "/api/v1/identity",
      at,
      headers: { Range: "bytes=5-" },
    });
    expect(tiny.log.entries).toMatchObject([
      {
        server: "api",
        method: "GET",
        path: "/api/v1/topics",
        query: "where=name%3ARHEL-9*",
        hasAuthorization: true,
        status: 200,
      },
      {
        server: "api",
        path: "/api/v1/identity",
        query: "",
        range: "bytes=5-",
        hasAuthorization: false,
        status: 401,
      },
    ]);
    expect(tiny.log.entries[0]?.bytesSent).toBeGreaterThan(100);
  });
});
