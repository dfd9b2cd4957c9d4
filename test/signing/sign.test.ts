// Known-answer vectors: test/fixtures/signing-vectors.json was computed with python-dciauth 4.x
// (the reference signer) and checked against the DCI control server's verifier with the clock
// pinned (see its "about" block). They catch a mistake that our signer and our own verifier could
// share.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  canonicalPath,
  canonicalQuery,
  encodeUnreserved,
  percentDecodeLenient,
} from "../../src/signing/canonical.js";
import { signRequestAt } from "../../src/signing/sign.js";
import { signRequest } from "../../src/signing/sign-request.js";

interface Vector {
  id: string;
  method: string;
  scheme: string;
  host: string;
  path: string;
  query: string;
  body: string;
  access_key: string;
  secret_key: string;
  timestamp: string;
  algorithm: "DCI2-HMAC-SHA256" | "AWS4-HMAC-SHA256";
  region: string;
  service: string;
  expected_headers: Record<string, string>;
  intermediate: { canonical_path: string; canonical_query: string };
}

const vectorFile: { vectors: Vector[] } = JSON.parse(
  readFileSync(new URL("../fixtures/signing-vectors.json", import.meta.url), "utf8"),
);

function timestampToDate(timestamp: string): Date {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(timestamp);
  if (!match) throw new Error(`bad timestamp ${timestamp}`);
  const [, year, month, day, hour, minute, second] = match.map(Number);
  return new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second));
}

function signVector(vector: Vector) {
  const url = `${vector.scheme}://${vector.host}${vector.path}${vector.query ? `?${vector.query}` : ""}`;
  return signRequestAt(
    {
      method: vector.method,
      url,
      body: vector.body,
      accessKey: vector.access_key,
      secretKey: vector.secret_key,
      algorithm: vector.algorithm,
      region: vector.region,
      service: vector.service,
    },
    timestampToDate(vector.timestamp),
  );
}

describe("signRequest known-answer vectors", () => {
  it("keeps every vector right when they are signed again, interleaved (derived keys are cached)", () => {
    // Forward, then backward: each signing meets keys derived for other secrets, dates and scopes.
    const order = [...vectorFile.vectors, ...[...vectorFile.vectors].reverse()];
    for (const vector of order)
      expect(signVector(vector), vector.id).toEqual(vector.expected_headers);
    const secrets = new Set(vectorFile.vectors.map((vector) => vector.secret_key));
    const dates = new Set(vectorFile.vectors.map((vector) => vector.timestamp.slice(0, 8)));
    // The file must exercise the cache key: more than one secret and more than one date.
    expect(secrets.size).toBeGreaterThan(1);
    expect(dates.size).toBeGreaterThan(1);
  });

  it("has every vector of the shared file", () => {
    expect(vectorFile.vectors.length).toBeGreaterThanOrEqual(12);
  });

  it.each(vectorFile.vectors.map((vector) => [vector.id, vector] as const))(
    "reproduces %s byte for byte",
    (_id, vector) => {
      const headers = signVector(vector);
      expect(headers).toEqual(vector.expected_headers);
      expect(canonicalPath(vector.path)).toBe(vector.intermediate.canonical_path);
      expect(canonicalQuery(vector.query)).toBe(vector.intermediate.canonical_query);
    },
  );

  it("accepts a URL object and a numeric now through the public signRequest", () => {
    const [vector] = vectorFile.vectors;
    if (!vector) throw new Error("no vectors");
    const headers = signRequest({
      method: vector.method,
      url: new URL(`${vector.scheme}://${vector.host}${vector.path}`),
      accessKey: vector.access_key,
      secretKey: vector.secret_key,
      now: timestampToDate(vector.timestamp).getTime(),
    });
    expect(headers).toEqual(vector.expected_headers);
  });
});

describe("canonical forms", () => {
  it.each([
    ["/a/passt-0%5E2024.rpm", "/a/passt-0^2024.rpm"],
    ["/caf%C3%A9%20x+y", "/café x+y"],
    ["/lower%5e", "/lower^"],
    ["/bad%zzescape%4", "/bad%zzescape%4"],
    ["/invalid%FF", "/invalid\uFFFD"],
    ["/100%2541.txt", "/100A.txt"],
    ["/50%25off", "/50%off"],
  ])("canonical path of %s is %s", (wire, expected) => {
    expect(canonicalPath(wire)).toBe(expected);
  });

  it.each([
    ["", ""],
    ["where=", "where="],
    ["embed&limit=1", "embed=&limit=1"],
    ["limit=10&offset=0&limit=50", "limit=10&offset=0"],
    ["a=1&&b=2", "a=1&b=2"],
    ["q=a+b%2Bc", "q=a%20b%2Bc"],
    [
      "_x=1&a.b=1&Zeta=1&a-b=1&alpha=1&%C3%A9=1&a%20b=1",
      "%C3%A9=1&Zeta=1&_x=1&a%20b=1&a-b=1&a.b=1&alpha=1",
    ],
    ["k=!'()*~", "k=%21%27%28%29%2A~"],
    ["a=1;b=2", "a=1%3Bb%3D2"],
  ])("canonical query of %j is %j", (raw, expected) => {
    expect(canonicalQuery(raw)).toBe(expected);
  });

  it("encodes non-ASCII as upper-case UTF-8 escapes", () => {
    expect(encodeUnreserved("é/:,")).toBe("%C3%A9%2F%3A%2C");
    expect(percentDecodeLenient("%c3%a9")).toBe("é");
  });

  it("signs a host with a non-default port and drops a default one", () => {
    const base = { method: "GET", accessKey: "remoteci/x", secretKey: "s" } as const;
    const at = new Date(Date.UTC(2025, 0, 7, 8, 15, 0));
    const withDefault = signRequestAt(
      { ...base, url: "https://h.example:443/api/v1/identity" },
      at,
    );
    const without = signRequestAt({ ...base, url: "https://h.example/api/v1/identity" }, at);
    const withPort = signRequestAt({ ...base, url: "https://h.example:8443/api/v1/identity" }, at);
    expect(withDefault.Authorization).toBe(without.Authorization);
    expect(withPort.Authorization).not.toBe(without.Authorization);
  });

  it("refuses an unknown algorithm with a TypeError naming both valid ones", () => {
    expect(() =>
      signRequestAt(
        {
          method: "GET",
          url: "https://h/",
          accessKey: "a/b",
          secretKey: "s",
          // @ts-expect-error: deliberately wrong algorithm to check the runtime guard
          algorithm: "HMAC-MD5",
        },
        new Date(0),
      ),
    ).toThrow(/DCI2-HMAC-SHA256.*AWS4-HMAC-SHA256/);
  });
});
