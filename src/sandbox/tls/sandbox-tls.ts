/**
 * The sandbox's `https` option made concrete: a generated certificate for 127.0.0.1 and
 * localhost, or the one given.
 */
import { generateCertificates } from "./certificates.js";
import type { ServerTls } from "./listener.js";

/** A certificate for the sandbox's servers; `caPem` is the CA that signed it, when known. */
export interface SandboxTls extends ServerTls {
  readonly caPem?: string | undefined;
}

/** Undefined for plain HTTP (`https` absent or false). */
export async function sandboxTls(
  https: boolean | SandboxTls | undefined,
): Promise<{ readonly server: ServerTls; readonly caPem: string | undefined } | undefined> {
  if (https === undefined || https === false) return undefined;
  const given =
    https === true ? await generateCertificates({ hosts: ["127.0.0.1", "localhost"] }) : https;
  return { server: { certPem: given.certPem, keyPem: given.keyPem }, caPem: given.caPem };
}
