/**
 * Reads the CA files a command trusts (config/ca-files.ts names them): each must be readable and
 * hold at least one PEM certificate that parses, or the command stops before any connection with
 * an error naming the file and where it was named.
 */
import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { LocalIOError, UsageError } from "../errors.js";
import { type CaFile, type CaFileSource, pemCertificates } from "../http/trust.js";

/**
 * The CA files, read in order. Throws LocalIOError CA_FILE_UNREADABLE (exit 7) for a file that
 * cannot be read, UsageError CA_FILE_NOT_PEM (exit 2) for one without a PEM certificate, or with
 * one that does not parse.
 */
export async function readCaFiles(
  sources: readonly CaFileSource[],
  signal?: AbortSignal,
): Promise<CaFile[]> {
  const files: CaFile[] = [];
  // One after the other: one or two small files, and the first failure is the one reported.
  for (const source of sources) {
    const text = await readText(source, signal);
    files.push(Object.freeze({ ...source, pems: Object.freeze(checkedPems(source, text)) }));
  }
  return files;
}

async function readText(source: CaFileSource, signal: AbortSignal | undefined): Promise<string> {
  try {
    return await readFile(
      source.path,
      signal === undefined ? { encoding: "utf8" } : { encoding: "utf8", signal },
    );
  } catch (error) {
    if (signal?.aborted === true) throw error;
    const code = error instanceof Error ? Reflect.get(error, "code") : undefined;
    throw new LocalIOError(
      `Cannot read the CA file ${source.path} (named by ${source.source})${typeof code === "string" ? `: ${code}` : ""}.`,
      {
        code: "CA_FILE_UNREADABLE",
        hint: `Check the path given by ${source.source} and that this user may read it; unset it (or fix it) to use the system store alone.`,
        cause: error,
      },
    );
  }
}

function checkedPems(source: CaFileSource, text: string): string[] {
  const pems = pemCertificates(text);
  if (pems.length === 0) {
    throw new UsageError(
      `The CA file ${source.path} (named by ${source.source}) holds no PEM certificate.`,
      {
        code: "CA_FILE_NOT_PEM",
        hint: "Give a file with one or more -----BEGIN CERTIFICATE----- blocks; a DER (binary) file converts with: openssl x509 -inform der -in FILE -out FILE.pem",
      },
    );
  }
  pems.forEach((pem, index) => {
    try {
      new X509Certificate(pem);
    } catch (error) {
      throw new UsageError(
        `The CA file ${source.path} (named by ${source.source}): certificate ${index + 1} of ${pems.length} does not parse.`,
        {
          code: "CA_FILE_NOT_PEM",
          hint: "The file may be cut or edited by hand; export the CA certificate again.",
          cause: error,
        },
      );
    }
  });
  return pems;
}
