// Refused certificates, on a real TLS server on 127.0.0.1: each kind is told apart, named with the
// server's origin and the CAs trusted, and never retried (the server sees one connection).
import { once } from "node:events";
import { createServer, type Server } from "node:https";
import { Agent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { DciClient, type DciClientOptions } from "../../src/api/client.js";
import { CertificateError, EXIT_CODES, isMirrorError, NetworkError } from "../../src/errors.js";
import { classify } from "../../src/failures.js";
import { generateCertificates } from "../../src/sandbox/tls/certificates.js";

const CREDENTIALS = {
  clientId: "remoteci/95c436b7-3944-419a-aa34-8e49c6680e15",
  apiSecret: "s".repeat(64),
};

interface TlsServer {
  readonly origin: string;
  readonly caPem: string;
  /** TCP connections accepted so far. */
  readonly connections: () => number;
  readonly server: Server;
}

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function tlsServer(request: Parameters<typeof generateCertificates>[0]): Promise<TlsServer> {
  const { caPem, certPem, keyPem } = await generateCertificates(request);
  const server = createServer({ cert: certPem, key: keyPem }, (_, res) => res.end("{}"));
  servers.push(server);
  let connections = 0;
  server.on("connection", () => connections++);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return { origin: `https://127.0.0.1:${port}`, caPem, connections: () => connections, server };
}

async function identityFailure(options: Partial<DciClientOptions> & { csUrl: string }) {
  const client = new DciClient({
    ...CREDENTIALS,
    retry: { baseDelayMs: 1, maxDelayMs: 1 },
    ...options,
  });
  try {
    await client.identity();
  } catch (error) {
    if (isMirrorError(error)) return error;
    throw error;
  } finally {
    await client.close();
  }
  throw new Error("expected a failure");
}

const caFile = (pem: string) => ({ path: "/etc/lab/ca.pem", source: "--ca-file", pems: [pem] });

describe("a refused certificate", () => {
  it("from an unknown CA: TLS_CERT_UNKNOWN_CA, exit 5, stops the run, one connection", async () => {
    const server = await tlsServer({ hosts: ["127.0.0.1"] });
    const error = await identityFailure({ csUrl: server.origin });
    expect(error).toBeInstanceOf(CertificateError);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: "TLS_CERT_UNKNOWN_CA", exitCode: EXIT_CODES.network });
    expect(error.message).toBe(
      `The TLS certificate of ${server.origin} was refused: it is signed by a certificate authority that is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE). Trusted: the system store (Node's built-in CA list) only.`,
    );
    expect(classify(error)).toEqual({ scope: "run", retryable: false, exitCode: 5 });
    expect(server.connections()).toBe(1);
  });

  it("that has expired, from a trusted CA: TLS_CERT_EXPIRED, with the clock to check first", async () => {
    const day = 24 * 3_600_000;
    const server = await tlsServer({
      hosts: ["127.0.0.1"],
      serverValidity: {
        notBefore: new Date(Date.now() - 3 * day),
        notAfter: new Date(Date.now() - day),
      },
    });
    const error = await identityFailure({ csUrl: server.origin, caFiles: [caFile(server.caPem)] });
    expect(error).toMatchObject({ code: "TLS_CERT_EXPIRED", exitCode: EXIT_CODES.network });
    expect(error.message).toContain("it has expired (CERT_HAS_EXPIRED)");
    expect(error.message).toContain("/etc/lab/ca.pem (--ca-file)");
    expect(error.hint).toContain("date -u");
    expect(server.connections()).toBe(1);
  });

  it("for another host: TLS_CERT_WRONG_HOST, naming the names the certificate lists", async () => {
    const server = await tlsServer({ hosts: ["wrong.example", "10.0.0.1"] });
    const error = await identityFailure({ csUrl: server.origin, caFiles: [caFile(server.caPem)] });
    expect(error.code).toBe("TLS_CERT_WRONG_HOST");
    expect(error.message).toContain(
      "it is made for DNS:wrong.example, IP Address:10.0.0.1, not for 127.0.0.1",
    );
  });

  it("through a dispatcher the caller gave: still final, with the CAs said to be that dispatcher's", async () => {
    const server = await tlsServer({ hosts: ["127.0.0.1"] });
    const dispatcher = new Agent();
    try {
      const error = await identityFailure({ csUrl: server.origin, dispatcher });
      expect(error.code).toBe("TLS_CERT_UNKNOWN_CA");
      expect(error.message).toContain("Trusted: the CAs of the dispatcher given to DciClient.");
      expect(server.connections()).toBe(1);
    } finally {
      await dispatcher.close();
    }
  });

  it("is trusted once its CA is given: the server's own answer is what fails the call", async () => {
    const server = await tlsServer({ hosts: ["127.0.0.1"] });
    server.server.removeAllListeners("request");
    server.server.on("request", (_, res) => {
      res.writeHead(401, { "content-type": "application/json" });
      res.end('{"message":"no"}');
    });
    const error = await identityFailure({ csUrl: server.origin, caFiles: [caFile(server.caPem)] });
    expect(error.name).toBe("AuthError");
  });
});
