import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCaFiles } from "../../src/config/read-ca-files.js";
import { EXIT_CODES, isMirrorError } from "../../src/errors.js";
import { generateCertificates } from "../../src/sandbox/tls/certificates.js";

let folder: string;
let caPem: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "dci-mirror-ca-files-"));
  ({ caPem } = await generateCertificates({ hosts: ["127.0.0.1"] }));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isMirrorError(error)) return error;
    throw error;
  }
  throw new Error("expected a failure");
}

describe("readCaFiles", () => {
  it("reads each file's certificates, keeping its path and where it was named", async () => {
    const path = join(folder, "bundle.pem");
    await writeFile(path, `# two CAs\n${caPem}${caPem}`);
    const [file] = await readCaFiles([{ path, source: "REQUESTS_CA_BUNDLE" }]);
    expect(file).toEqual({
      path,
      source: "REQUESTS_CA_BUNDLE",
      pems: [caPem.trim(), caPem.trim()],
    });
  });

  it("stops with exit 7 on a file it cannot read, naming it and its source", async () => {
    const path = join(folder, "missing.pem");
    const error = await failure(readCaFiles([{ path, source: "SSL_CERT_FILE" }]));
    expect(error).toMatchObject({ code: "CA_FILE_UNREADABLE", exitCode: EXIT_CODES.localIo });
    expect(error.message).toBe(`Cannot read the CA file ${path} (named by SSL_CERT_FILE): ENOENT.`);
    expect(error.hint).toContain("SSL_CERT_FILE");
  });

  it("stops with exit 2 on a file without a certificate, or with one that does not parse", async () => {
    const empty = join(folder, "empty.pem");
    await writeFile(empty, "nothing here\n");
    const none = await failure(readCaFiles([{ path: empty, source: "--ca-file" }]));
    expect(none).toMatchObject({ code: "CA_FILE_NOT_PEM", exitCode: EXIT_CODES.usage });
    const cut = join(folder, "cut.pem");
    await writeFile(cut, caPem.replace(/\n[A-Za-z0-9+/=]+\n/, "\nAAAA\n"));
    const broken = await failure(readCaFiles([{ path: cut, source: "--ca-file" }]));
    expect(broken).toMatchObject({ code: "CA_FILE_NOT_PEM", exitCode: EXIT_CODES.usage });
    expect(broken.message).toContain("certificate 1 of 1 does not parse");
  });
});
