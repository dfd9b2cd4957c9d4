/**
 * Throw-away certificates for a sandbox over HTTPS (and for a benchmark's nginx, or a test's
 * server with another host's name): a CA made for this run, and a server certificate it signs for
 * the given hosts. ECDSA P-256 keys from Node's WebCrypto (a fraction of a millisecond, where an
 * RSA key takes hundreds); the X.509 encoding is @peculiar/x509's, loaded on first use so that no
 * other command pays for it. It needs the `reflect-metadata` polyfill (for its tsyringe
 * container), loaded first; it adds a few functions to the global `Reflect`.
 */
import { webcrypto as crypto } from "node:crypto";
import { isIP } from "node:net";

export interface CertificateRequest {
  /** Names and IP addresses the server certificate is for (its subjectAltName); the first is its CN. */
  readonly hosts: readonly string[];
  /** How long both certificates last; default 7 days. Both start an hour ago (clocks drift). */
  readonly validDays?: number;
  /** The server certificate's validity instead (e.g. an expired one, for a test). */
  readonly serverValidity?: { readonly notBefore: Date; readonly notAfter: Date };
}

/** PEM texts: the CA certificate to trust, and the server's certificate and private key (PKCS#8). */
export interface GeneratedCertificates {
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const HOUR_MS = 3_600_000;

function serialNumber(): string {
  // A positive 16-byte serial, unique per certificate as RFC 5280 asks.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return Buffer.from(bytes).toString("hex");
}

/** A CA and a server certificate it signed for `hosts`; throws TypeError when `hosts` is empty. */
export async function generateCertificates(
  request: CertificateRequest,
): Promise<GeneratedCertificates> {
  const [first] = request.hosts;
  if (first === undefined) throw new TypeError("generateCertificates needs at least one host");
  await import("reflect-metadata");
  const x509 = await import("@peculiar/x509");
  x509.cryptoProvider.set(crypto);
  const notBefore = new Date(Date.now() - HOUR_MS);
  const notAfter = new Date(Date.now() + (request.validDays ?? 7) * 24 * HOUR_MS);
  const usages: crypto.KeyUsage[] = ["sign", "verify"];
  const caKeys = await crypto.subtle.generateKey(ALGORITHM, true, usages);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: "CN=dci-mirror sandbox CA (throw-away)",
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const serverKeys = await crypto.subtle.generateKey(ALGORITHM, true, usages);
  const names = request.hosts.map((host) => ({
    type: isIP(host) === 0 ? ("dns" as const) : ("ip" as const),
    value: host,
  }));
  const server = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${first}`,
    issuer: ca.subject,
    notBefore: request.serverValidity?.notBefore ?? notBefore,
    notAfter: request.serverValidity?.notAfter ?? notAfter,
    signingKey: caKeys.privateKey,
    publicKey: serverKeys.publicKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const key = await crypto.subtle.exportKey("pkcs8", serverKeys.privateKey);
  return {
    caPem: `${ca.toString("pem")}\n`,
    certPem: `${server.toString("pem")}\n`,
    keyPem: `${x509.PemConverter.encode(key, "PRIVATE KEY")}\n`,
  };
}
