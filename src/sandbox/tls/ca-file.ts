/**
 * Where `dci-mirror sandbox --https` leaves its CA certificate for other shells: the file the
 * user named, or a private temporary folder removed when the sandbox stops.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface SavedCaFile {
  readonly path: string;
  /** Removes the temporary folder (a file the user named is left). */
  remove(): Promise<void>;
}

/** Writes `caPem` to `path`, or to `sandbox-ca.pem` in a new temporary folder. */
export async function saveCaFile(caPem: string, path: string | undefined): Promise<SavedCaFile> {
  if (path !== undefined) {
    await writeFile(path, caPem, { mode: 0o644 });
    return { path, remove: async () => undefined };
  }
  const folder = await mkdtemp(join(tmpdir(), "dci-mirror-sandbox-ca-"));
  const file = join(folder, "sandbox-ca.pem");
  await writeFile(file, caPem, { mode: 0o644 });
  return { path: file, remove: () => rm(folder, { recursive: true, force: true }) };
}
