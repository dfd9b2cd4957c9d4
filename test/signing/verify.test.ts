import { describe, expect, it } from "vitest";
import { signRequestAt } from "../../src/signing/sign.js";
import {
  type VerifyIdentity,
  type VerifyRequestInput,
  verifyRequest,
} from "../../src/signing/verify.js";

const CLIENT = "95c436b7-3944-419a-aa34-8e49c6680e15";
const SECRET = "EE2zrn9CLGsLUKMQbqo2WKmQdNg27lIwxOjXi1BvzrVdrLWnHfsrc0OZ4w6iV3Oq";
const SIGNED_AT = new Date(Date.UTC(2025, 0, 7, 8, 15, 0));
const identities: Record<string, VerifyIdentity> = {
  [`remoteci/${CLIENT}`]: { secret: SECRET, teamName: "Lab", isTeamActive: true },
  "remoteci/11111111-2222-4333-8444-555555555555": {
    secret: SECRET,
    teamName: "Gone",
    isTeamActive: false,
  },
};

interface Request {
  method: string;
  url: string;
  body?: string;
  accessKey?: string;
  secretKey?: string;
  algorithm?: "DCI2-HMAC-SHA256" | "AWS4-HMAC-SHA256";
}

function signed(request: Request, overrides: Partial<VerifyRequestInput> = {}): VerifyRequestInput {
  const url = new URL(request.url);
  const headers = signRequestAt(
    {
      method: request.method,
      url,
      body: request.body ?? "",
      accessKey: request.accessKey ?? `remoteci/${CLIENT}`,
      secretKey: request.secretKey ?? SECRET,
      ...(request.algorithm === undefined ? {} : { algorithm: request.algorithm }),
    },
    SIGNED_AT,
  );
  return {
    method: request.method,
    path: url.pathname,
    query: url.search.slice(1),
    headers: { host: url.host, ...headers },
    body: request.body ?? "",
    now: SIGNED_AT,
    findIdentity: (type, id) => identities[`${type}/${id}`],
    ...overrides,
  };
}

const TOPICS = "https://api.example/api/v1/topics?where=name%3ARHEL-9.4&limit=1&offset=0";

describe("verifyRequest", () => {
  it.each([
    ["a plain GET", { method: "GET", url: TOPICS }],
    [
      "a POST with a JSON body",
      { method: "POST", url: "https://api.example/api/v1/jobs", body: '{"a":1}' },
    ],
    ["the AWS4 variant", { method: "GET", url: TOPICS, algorithm: "AWS4-HMAC-SHA256" as const }],
    ["a host with a port", { method: "GET", url: "http://127.0.0.1:5000/api/v1/identity" }],
    [
      "a double-encoded %41 file name",
      { method: "GET", url: "https://api.example/api/v1/components/x/files/100%2541.txt" },
    ],
    [
      "a blank value and a repeated key",
      { method: "GET", url: "https://api.example/api/v1/topics?where=&limit=1&limit=2" },
    ],
  ])("accepts what the signer makes: %s", (_label, request) => {
    expect(verifyRequest(signed(request))).toEqual({
      ok: true,
      clientType: "remoteci",
      clientId: CLIENT,
    });
  });

  it.each([
    ["the method", { method: "DELETE" }],
    ["the path", { path: "/api/v1/topicz" }],
    ["the query", { query: "where=name%3ARHEL-9.5&limit=1&offset=0" }],
    ["the body", { body: "{}" }],
  ])("refuses a request whose %s was changed after signing", (_label, overrides) => {
    expect(verifyRequest(signed({ method: "GET", url: TOPICS }, overrides))).toEqual({
      ok: false,
      status: 400,
      message: "HmacMechanism failed: signature is invalid",
    });
  });

  it("refuses a signature made with another secret", () => {
    const result = verifyRequest(signed({ method: "GET", url: TOPICS, secretKey: "x".repeat(64) }));
    expect(result).toMatchObject({
      ok: false,
      status: 400,
      message: "HmacMechanism failed: signature is invalid",
    });
  });

  it.each([
    [15 * 60 * 1000, true],
    [-15 * 60 * 1000, true],
    [15 * 60 * 1000 + 1000, false],
    [-(15 * 60 * 1000 + 1000), false],
  ])("with the server clock moved by %i ms accepts: %s", (skewMs, accepted) => {
    const result = verifyRequest(
      signed({ method: "GET", url: TOPICS }, { now: new Date(SIGNED_AT.getTime() + skewMs) }),
    );
    if (accepted) expect(result.ok).toBe(true);
    else
      expect(result).toEqual({
        ok: false,
        status: 400,
        message: "HmacMechanism failed: signature is expired",
      });
  });

  it("answers 401 without an Authorization header", () => {
    const input = signed({ method: "GET", url: TOPICS });
    expect(verifyRequest({ ...input, headers: { host: "api.example" } })).toEqual({
      ok: false,
      status: 401,
      message: "Authorization header missing",
    });
  });

  it("answers 401 for an unknown scheme, naming it", () => {
    const input = signed({ method: "GET", url: TOPICS });
    expect(
      verifyRequest({ ...input, headers: { ...input.headers, Authorization: "Token abc" } }),
    ).toMatchObject({
      status: 401,
      message: "Authorization scheme Token unknown",
    });
  });

  it("answers 400 for a credential without six parts and 500 for a wrong token count", () => {
    const input = signed({ method: "GET", url: TOPICS });
    const auth = String(input.headers["Authorization"]);
    const fiveParts = auth.replace(`remoteci/${CLIENT}/`, `${CLIENT}/`);
    expect(
      verifyRequest({ ...input, headers: { ...input.headers, Authorization: fiveParts } }),
    ).toMatchObject({
      status: 400,
      message: "HmacMechanism failed: bad or incomplete headers.",
    });
    const extraSpace = auth.replace(", Signature", ",  Signature");
    expect(
      verifyRequest({ ...input, headers: { ...input.headers, Authorization: extraSpace } }),
    ).toMatchObject({ status: 500 });
  });

  it("answers 401 for an unknown client type and 404 for an unknown id", () => {
    expect(
      verifyRequest(signed({ method: "GET", url: TOPICS, accessKey: `user/${CLIENT}` })),
    ).toMatchObject({
      status: 401,
      message: "identity does not exists.",
    });
    expect(
      verifyRequest(
        signed({
          method: "GET",
          url: TOPICS,
          accessKey: "feeder/00000000-0000-4000-8000-000000000000",
        }),
      ),
    ).toMatchObject({ status: 404, message: "feeder not found" });
  });

  it("answers 412 when the identity's team is not active", () => {
    const input = signed({
      method: "GET",
      url: TOPICS,
      accessKey: "remoteci/11111111-2222-4333-8444-555555555555",
    });
    expect(verifyRequest(input)).toEqual({
      ok: false,
      status: 412,
      message: "team Gone not active",
    });
  });
});
