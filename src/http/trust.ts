/**
 * Which certificate authorities the client trusts: Node's built-in list, plus the CA files a user
 * named (--ca-file, ca_file, NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE, SSL_CERT_FILE). Pure: the
 * files are read by config/read-ca-files.ts, the list handed to TLS by api/transport.ts.
 */

/** A CA file as named: its path and who named it, for messages. */
export interface CaFileSource {
  readonly path: string;
  /** `--ca-file`, `ca_file in FILE`, `NODE_EXTRA_CA_CERTS`, `REQUESTS_CA_BUNDLE`, `SSL_CERT_FILE`. */
  readonly source: string;
}

/** A CA file as read: its PEM certificates, each `-----BEGIN CERTIFICATE-----…-----END CERTIFICATE-----`. */
export interface CaFile extends CaFileSource {
  readonly pems: readonly string[];
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The PEM certificates in a file's text, in order; other blocks (keys, CRLs) and text between them are skipped. */
export function pemCertificates(text: string): string[] {
  return text.match(PEM_CERTIFICATE) ?? [];
}

/**
 * The `ca` option for TLS: Node's built-in roots and every given PEM, or undefined when Node's
 * default store already trusts them all: no file given, or only the one NODE_EXTRA_CA_CERTS names,
 * which Node added to its store when the process started (the variable is read from the process's
 * environment). A store of our own costs about 50 ms to build. An explicit `ca` replaces Node's
 * default store, so the roots are listed again here (else a public server would stop being trusted
 * the day a lab CA is added).
 */
export function trustedCertificates(
  rootCertificates: readonly string[],
  caFiles: readonly CaFile[] | undefined,
): string[] | undefined {
  const files = caFiles ?? [];
  if (files.every((file) => file.source === "NODE_EXTRA_CA_CERTS")) return undefined;
  const given = files.flatMap((file) => file.pems);
  return given.length === 0 ? undefined : [...rootCertificates, ...given];
}

/** What the client trusts, for messages: "the system store (Node's built-in CA list) and FILE (--ca-file)". */
export function describeTrust(caFiles: readonly CaFileSource[] | undefined): string {
  const store = "the system store (Node's built-in CA list)";
  const files = (caFiles ?? []).map((file) => `${file.path} (${file.source})`);
  return files.length === 0 ? `${store} only` : `${store} and ${files.join(", ")}`;
}
