// The files gateway end to end: signed requests to a real server, redirects checked with the object
// store's own presigned-URL check.
import { beforeEach, describe, expect, it } from "vitest";
import { normalisePosixPath } from "../../src/sandbox/api/files-gateway.js";
import type { FaultRule } from "../../src/sandbox/faults/fault-types.js";
import { checkPresigned } from "../../src/sandbox/store/presign.js";
import { callApi, pick, rawGet, signRawGetAt } from "./fixtures/signed-client.js";
import { STORE_ORIGIN, STORE_SECRET, T0, useTinyApi } from "./fixtures/tiny-api.js";
import { credentialsOf, IDS, makeComponent, tinyCatalog } from "./fixtures/tiny-catalog.js";

const acme = credentialsOf(tinyCatalog(), IDS.remoteciAcme);
const stranger = credentialsOf(tinyCatalog(), IDS.remoteciStranger);
const at = new Date(T0);
const FILES = `/api/v1/components/${IDS.composeNightly}/files`;

/** Fault rules the test arms; the lookup hands out the matching ones as FaultBook.take does. */
let armedFaults: FaultRule[] = [];
const tiny = useTinyApi({
  takeGatewayFault: ({ filePath }) => armedFaults.filter((rule) => rule.match === filePath),
});

beforeEach(() => {
  armedFaults = [];
});

function fetchFile(target: string, method = "GET", credentials = acme) {
  return callApi(tiny.api.origin, { method, target, credentials, at });
}

/** Runs the object store's check on a Location, at `nowMs`. */
function checkLocation(location: unknown, method: string, nowMs = T0) {
  if (typeof location !== "string") throw new Error("no Location header");
  const url = new URL(location);
  expect(url.origin).toBe(STORE_ORIGIN);
  return checkPresigned(url.pathname, url.search.slice(1), method, nowMs, STORE_SECRET);
}

describe("files gateway redirects", () => {
  it("redirects a GET to a presigned store URL for <component id>/<path>, with an empty body", async () => {
    const reply = await fetchFile(`${FILES}/BaseOS/x86_64/os/Packages/kernel.rpm`);
    expect(reply.status).toBe(302);
    expect(reply.headers["content-length"]).toBe("0");
    expect(reply.text).toBe("");
    expect(checkLocation(reply.headers["location"], "GET")).toEqual({
      ok: true,
      objectKey: `${IDS.composeNightly}/BaseOS/x86_64/os/Packages/kernel.rpm`,
    });
  });

  it("does not check that the file exists", async () => {
    const reply = await fetchFile(`${FILES}/no/such/file`);
    expect(reply.status).toBe(302);
  });

  it("presigns a HEAD for HEAD only, and a GET for GET only", async () => {
    const head = await fetchFile(`${FILES}/dci_files_list.json`, "HEAD");
    const get = await fetchFile(`${FILES}/dci_files_list.json`);
    expect(checkLocation(head.headers["location"], "HEAD").ok).toBe(true);
    expect(checkLocation(head.headers["location"], "GET").ok).toBe(false);
    expect(checkLocation(get.headers["location"], "GET").ok).toBe(true);
    expect(checkLocation(get.headers["location"], "HEAD").ok).toBe(false);
  });

  it("issues URLs that expire 600 seconds later", async () => {
    const reply = await fetchFile(`${FILES}/COMPOSE_ID`);
    expect(checkLocation(reply.headers["location"], "GET", T0 + 599_000).ok).toBe(true);
    expect(checkLocation(reply.headers["location"], "GET", T0 + 600_000)).toMatchObject({
      ok: false,
      message: "Request has expired",
    });
  });

  it("decodes the file path once for the object key and verifies the signature on it decoded twice", async () => {
    const reply = await fetchFile(`${FILES}/Packages/100%2541.txt`);
    expect(reply.status).toBe(302);
    expect(checkLocation(reply.headers["location"], "GET")).toMatchObject({
      objectKey: `${IDS.composeNightly}/Packages/100%41.txt`,
    });
  });

  it("keeps escaped characters of file names (^, space, #) in the object key", async () => {
    const reply = await fetchFile(`${FILES}/Packages/passt-0%5E2024%20a%23b.rpm`);
    expect(checkLocation(reply.headers["location"], "GET")).toMatchObject({
      objectKey: `${IDS.composeNightly}/Packages/passt-0^2024 a#b.rpm`,
    });
  });
});

describe("files gateway refusals", () => {
  it.each([
    ["a .. segment", "/Packages/../../etc/passwd"],
    ["a . segment", "/./COMPOSE_ID"],
    ["an empty segment", "/Packages//kernel.rpm"],
    ["a trailing slash", "/Packages/"],
    ["an encoded .. segment", "/Packages/%2E%2E/COMPOSE_ID"],
  ])(
    "refuses %s with 400 (sent on a raw socket, as URL parsers remove dot segments)",
    async (_case, suffix) => {
      const { host } = new URL(tiny.api.origin);
      const target = `${FILES}${suffix}`;
      const reply = await rawGet(tiny.api.origin, target, signRawGetAt(host, target, acme, at));
      expect(reply.status).toBe(400);
      expect(reply.answer).toContain('"message":"Request malformed: filepath is invalid"');
    },
  );

  it("routes a bare UUID file path to the legacy handler: 404 component_file not found", async () => {
    const reply = await fetchFile(`${FILES}/${IDS.composeMilestone}`);
    expect(reply).toMatchObject({ status: 404, json: { message: "component_file not found" } });
  });

  it("checks access to the component before anything else", async () => {
    const unknown = await fetchFile(
      "/api/v1/components/00000000-0000-4000-8000-000000000000/files/x",
    );
    const hidden = await fetchFile(`/api/v1/components/${IDS.strangerPrivate}/files/COMPOSE_ID`);
    const publicOfHiddenTopic = await fetchFile(`${FILES}/COMPOSE_ID`, "GET", stranger);
    expect(unknown).toMatchObject({ status: 404, json: { message: "component not found" } });
    expect(hidden).toMatchObject({ status: 401, json: { message: "Operation not authorized." } });
    expect(publicOfHiddenTopic.status).toBe(401);
  });
});

describe("RHDL (v2, and v1 for rhdl-tagged components)", () => {
  it.each([
    ["the v2 endpoint", `/api/v2/components/${IDS.composeNightly}/files`, "RHEL-9.4.0-20240420.1"],
    [
      "v1 for an rhdl-tagged component",
      `/api/v1/components/${IDS.rhdlCompose}/files`,
      "RHEL-9.4.0-20240422.1",
    ],
  ])(
    "renames dci_files_list.json on %s and keeps other paths",
    async (_case, files, displayName) => {
      const list = await fetchFile(`${files}/dci_files_list.json`);
      const other = await fetchFile(`${files}/BaseOS/COMPOSE_ID`);
      expect(checkLocation(list.headers["location"], "GET")).toMatchObject({
        objectKey: `rhdl/${displayName}/files/rhdl_files_list.json`,
      });
      expect(checkLocation(other.headers["location"], "GET")).toMatchObject({
        objectKey: `rhdl/${displayName}/files/BaseOS/COMPOSE_ID`,
      });
    },
  );

  it("answers a HEAD with a URL presigned for GET (RHDL relays HEAD as GET)", async () => {
    const reply = await fetchFile(
      `/api/v2/components/${IDS.composeNightly}/files/COMPOSE_ID`,
      "HEAD",
    );
    expect(checkLocation(reply.headers["location"], "GET").ok).toBe(true);
    expect(checkLocation(reply.headers["location"], "HEAD").ok).toBe(false);
  });

  it("refuses a path that does not survive normalisation under the display name", async () => {
    const { host } = new URL(tiny.api.origin);
    const target = `/api/v2/components/${IDS.composeNightly}/files/a/../b`;
    const reply = await rawGet(tiny.api.origin, target, signRawGetAt(host, target, acme, at));
    expect(reply.status).toBe(400);
  });
});

describe("hostile display names", () => {
  it("refuses an RHDL path whose display name does not survive normalisation", async () => {
    const hostile = makeComponent({
      id: "7f6b200d-5ebc-4d4a-ba36-f29aba2535fd",
      name: "hostile",
      displayName: "a/../b",
      tags: ["rhdl"],
    });
    tiny.catalog = { ...tiny.catalog, components: [...tiny.catalog.components, hostile] };
    const reply = await fetchFile(`/api/v1/components/${hostile.id}/files/dci_files_list.json`);
    expect(reply).toMatchObject({
      status: 400,
      json: { message: "Request malformed: filepath is invalid" },
    });
  });
});

describe("gateway faults", () => {
  it("answers the fault's status with Retry-After instead of the redirect", async () => {
    armedFaults = [{ match: "COMPOSE_ID", gatewayStatus: { status: 503, retryAfterSeconds: 7 } }];
    const reply = await fetchFile(`${FILES}/COMPOSE_ID`);
    expect(reply.status).toBe(503);
    expect(reply.headers["retry-after"]).toBe("7");
    expect(pick(reply.json, "status_code")).toBe(503);
    expect((await fetchFile(`${FILES}/other`)).status).toBe(302);
  });

  it("issues an already expired URL when the fault says so", async () => {
    armedFaults = [{ match: "COMPOSE_ID", expireUrls: true }];
    const reply = await fetchFile(`${FILES}/COMPOSE_ID`);
    expect(reply.status).toBe(302);
    expect(checkLocation(reply.headers["location"], "GET")).toMatchObject({
      ok: false,
      code: "AccessDenied",
    });
  });
});

describe("normalisePosixPath", () => {
  it.each([
    ["a/b", "a/b"],
    ["a//b", "a/b"],
    ["a/./b", "a/b"],
    ["a/b/", "a/b"],
    ["a/../b", "b"],
    ["a/../../b", "../b"],
    ["/../a", "/a"],
    ["//a", "//a"],
    ["///a", "/a"],
    ["", "."],
  ])("normalises %j to %j like Python's posixpath.normpath", (path, normalised) => {
    expect(normalisePosixPath(path)).toBe(normalised);
  });
});
