import { rootCertificates } from "node:tls";
import { describe, expect, it } from "vitest";
import { describeTrust, pemCertificates, trustedCertificates } from "../../src/http/trust.js";

const PEM = (body: string) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`;

describe("pemCertificates", () => {
  it("finds every certificate block of a bundle, skipping keys and text between them", () => {
    const text = [
      "# lab CA",
      PEM("AAAA"),
      "-----BEGIN PRIVATE KEY-----\nKKKK\n-----END PRIVATE KEY-----",
      PEM("BBBB"),
    ].join("\n");
    expect(pemCertificates(text)).toEqual([PEM("AAAA"), PEM("BBBB")]);
    expect(pemCertificates("not a certificate")).toEqual([]);
  });
});

describe("trustedCertificates", () => {
  it("gives no list without a CA file, so Node keeps its default store", () => {
    expect(trustedCertificates(rootCertificates, undefined)).toBeUndefined();
    expect(trustedCertificates(rootCertificates, [])).toBeUndefined();
  });

  it("gives no list when the only file is NODE_EXTRA_CA_CERTS's, which Node's store already holds", () => {
    const nodes = { path: "/n.pem", source: "NODE_EXTRA_CA_CERTS", pems: [PEM("NNNN")] };
    expect(trustedCertificates(rootCertificates, [nodes])).toBeUndefined();
    // Beside another file it is listed too: an explicit list replaces Node's default store.
    const other = { path: "/a.pem", source: "--ca-file", pems: [PEM("AAAA")] };
    expect(trustedCertificates(rootCertificates, [nodes, other])?.slice(-2)).toEqual([
      PEM("NNNN"),
      PEM("AAAA"),
    ]);
  });

  it("keeps Node's roots and adds each file's certificates (an explicit list replaces the default)", () => {
    const files = [
      { path: "/a.pem", source: "--ca-file", pems: [PEM("AAAA")] },
      { path: "/b.pem", source: "SSL_CERT_FILE", pems: [PEM("BBBB"), PEM("CCCC")] },
    ];
    const list = trustedCertificates(rootCertificates, files);
    expect(list?.length).toBe(rootCertificates.length + 3);
    expect(list?.slice(0, rootCertificates.length)).toEqual([...rootCertificates]);
    expect(list?.slice(-3)).toEqual([PEM("AAAA"), PEM("BBBB"), PEM("CCCC")]);
  });
});

describe("describeTrust", () => {
  it("names the system store and every CA file with where it was named", () => {
    expect(describeTrust(undefined)).toBe("the system store (Node's built-in CA list) only");
    expect(
      describeTrust([
        { path: "/a.pem", source: "--ca-file" },
        { path: "/b.pem", source: "REQUESTS_CA_BUNDLE" },
      ]),
    ).toBe(
      "the system store (Node's built-in CA list) and /a.pem (--ca-file), /b.pem (REQUESTS_CA_BUNDLE)",
    );
  });
});
