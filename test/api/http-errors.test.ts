import { describe, expect, it } from "vitest";
import { errorFromResponse, safeUrl } from "../../src/api/http-errors.js";
import { callTooLong, errorFromNetwork } from "../../src/api/network-errors.js";

const url = new URL("https://api.example/api/v1/topics?where=name%3AX&X-Amz-Signature=abc");

describe("HTTP failures become typed errors", () => {
  it.each([
    [
      400,
      "HmacMechanism failed: signature is expired",
      {},
      "AuthError",
      "AUTH_SIGNATURE_EXPIRED",
      3,
      /system clock/,
    ],
    [
      400,
      "HmacMechanism failed: signature is invalid",
      {},
      "AuthError",
      "AUTH_SIGNATURE_INVALID",
      3,
      /DCI_API_SECRET/,
    ],
    [400, "Request malformed", {}, "UsageError", "API_BAD_REQUEST", 2, /parameters/],
    [401, "Authorization header missing", {}, "AuthError", "AUTH_REJECTED", 3, /DCI_CLIENT_ID/],
    [
      401,
      "Operation not authorized.",
      { topicName: "RHEL-10.0" },
      "NotFoundError",
      "TOPIC_NOT_VISIBLE",
      4,
      /access to topic RHEL-10.0/,
    ],
    [403, "Operation forbidden.", {}, "AuthError", "AUTH_REJECTED", 3, /DCI_API_SECRET/],
    [404, "remoteci not found", {}, "AuthError", "AUTH_UNKNOWN_IDENTITY", 3, /DCI_CLIENT_ID/],
    [
      404,
      "component not found",
      { componentId: "c1" },
      "NotFoundError",
      "COMPONENT_NOT_FOUND",
      4,
      /access/,
    ],
    [409, "Conflict", {}, "UsageError", "API_CONFLICT", 2, /ETag/],
    [412, "team Lab not active", {}, "AuthError", "AUTH_TEAM_INACTIVE", 3, /reactivate/],
    [503, "", {}, "NetworkError", "SERVER_ERROR", 5, /try again later/],
    [429, "", {}, "NetworkError", "SERVER_ERROR", 5, /try again later/],
    [302, "", {}, "ApiShapeError", "API_UNEXPECTED_STATUS", 5, /DCI_CS_URL/],
  ])("HTTP %i %j is a %s…", (status, message, context, name, code, exitCode, hint) => {
    const error = errorFromResponse(status, message, "GET", url, { what: "test", ...context });
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(exitCode);
    expect(error.hint).toMatch(hint);
    expect(error.message).not.toContain("where");
    expect(error.message).not.toContain("Signature");
  });

  it("prints origin and path only", () => {
    expect(safeUrl(url)).toBe("https://api.example/api/v1/topics");
  });

  it("names the proxy without its password when a proxy was in use", () => {
    const error = errorFromNetwork(
      Object.assign(new Error("boom"), { code: "ECONNRESET" }),
      "GET",
      url,
      "http://bob:hunter2@proxy:3128",
    );
    expect(error.message).toBe("Cannot reach https://api.example/api/v1/topics (GET): ECONNRESET.");
    expect(error.hint).toContain("http://proxy:3128");
    expect(error.hint).not.toContain("hunter2");
    expect(errorFromNetwork(new Error("x"), "GET", url, undefined).hint).toContain("HTTPS_PROXY");
  });

  const failure = (code: string) => Object.assign(new Error(code), { code });

  it("says the API accepted the connection but did not answer when the headers timed out", () => {
    const error = errorFromNetwork(failure("UND_ERR_HEADERS_TIMEOUT"), "GET", url, undefined, {
      timeoutMs: 30_000,
    });
    expect(error.message).toBe(
      "The DCI API at https://api.example accepted the connection but did not answer within 30 s (GET /api/v1/topics).",
    );
    expect(error.code).toBe("API_TIMEOUT");
    expect(error.exitCode).toBe(5);
  });

  it("says the object store stopped sending when a body went silent", () => {
    const error = errorFromNetwork(failure("UND_ERR_BODY_TIMEOUT"), "GET", url, undefined, {
      timeoutMs: 1_500,
      service: "object store",
    });
    expect(error.message).toBe(
      "The object store at https://api.example stopped sending its answer for 1.5 s (GET /api/v1/topics).",
    );
    expect(error.code).toBe("STORE_TIMEOUT");
  });

  it("names the v2 (RHDL) gateway when it dropped the connection", () => {
    const v2 = new URL("https://api.example/api/v2/components/c/files/rhdl_files_list.json?x=1");
    const error = errorFromNetwork(failure("UND_ERR_SOCKET"), "GET", v2, undefined);
    expect(error.message).toBe(
      "The DCI v2 (RHDL) files gateway dropped the connection (GET https://api.example/api/v2/components/c/files/rhdl_files_list.json): UND_ERR_SOCKET.",
    );
    expect(error.hint).toContain("--tech-preview rhdl");
  });

  it("keeps 'Cannot reach' for a v2 URL whose server refused the connection", () => {
    const v2 = new URL("https://api.example/api/v2/components/c/files/x");
    expect(errorFromNetwork(failure("ECONNREFUSED"), "GET", v2, undefined).message).toContain(
      "Cannot reach",
    );
  });

  it("says a call used up its whole time budget, retries included", () => {
    const error = callTooLong("GET", url, 120_000);
    expect(error.message).toBe(
      "The DCI API at https://api.example did not complete GET /api/v1/topics within 120 s, retries included.",
    );
    expect(error.exitCode).toBe(5);
  });
});
