// The sandbox's throw-away certificates, checked with Node's own X.509 parser: a CA, and a server
// certificate it signed for exactly the hosts asked, usable by a real TLS server and client.
import { X509Certificate } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:https";
import { connect } from "node:tls";
import { describe, expect, it } from "vitest";
import { generateCertificates } from "../../src/sandbox/tls/certificates.js";

describe("generateCertificates", () => {
  it("makes a CA and a server certificate it signed, for IP and DNS names alike", async () => {
    const { caPem, certPem, keyPem } = await generateCertificates({
      hosts: ["127.0.0.1", "localhost"],
    });
    const ca = new X509Certificate(caPem);
    const cert = new X509Certificate(certPem);
    expect(ca.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.subjectAltName).toBe("IP Address:127.0.0.1, DNS:localhost");
    expect(cert.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(cert.checkHost("localhost")).toBe("localhost");
    expect(cert.checkHost("example.com")).toBeUndefined();
    expect(keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(Date.parse(cert.validTo) - Date.now()).toBeGreaterThan(6 * 24 * 3_600_000);
  });

  it("gives a pair that a TLS server serves and a client trusting only the CA accepts", async () => {
    const { caPem, certPem, keyPem } = await generateCertificates({ hosts: ["127.0.0.1"] });
    const server = createServer({ cert: certPem, key: keyPem }, (_, res) => res.end());
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    try {
      const socket = connect({ host: "127.0.0.1", port, ca: [caPem] });
      await once(socket, "secureConnect");
      expect(socket.authorized).toBe(true);
      socket.destroy();
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("makes a new CA every time: one sandbox's CA does not vouch for another's", async () => {
    const [first, second] = await Promise.all([
      generateCertificates({ hosts: ["127.0.0.1"] }),
      generateCertificates({ hosts: ["127.0.0.1"] }),
    ]);
    const cert = new X509Certificate(second.certPem);
    expect(cert.verify(new X509Certificate(first.caPem).publicKey)).toBe(false);
  });

  it("refuses an empty list of hosts", async () => {
    await expect(generateCertificates({ hosts: [] })).rejects.toThrow(TypeError);
  });
});
