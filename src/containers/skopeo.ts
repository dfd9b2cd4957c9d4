/**
 * Runs `skopeo sync` to copy a component's container images into the user's registry, as
 * dci-downloader does. The source file holds the pull password: it is
 * written with mode 0600 into a private temp folder and removed afterwards, and never printed.
 */
import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NetworkError, UsageError } from "../errors.js";

/** Throws UsageError when skopeo cannot run: checked before any network call. */
export async function ensureSkopeo(): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      execFile("skopeo", ["--version"], (error) => (error === null ? resolve() : reject(error)));
    });
  } catch (error) {
    throw new UsageError("--registry needs skopeo, which cannot be run here.", {
      code: "USAGE_NO_SKOPEO",
      hint: "Install it (dnf install skopeo, or apt-get install skopeo), or leave out --registry.",
      cause: error,
    });
  }
}

export interface SkopeoSyncOptions {
  readonly sourceYaml: string;
  /** `HOST[:PORT]` of the destination registry. */
  readonly destination: string;
  readonly signal: AbortSignal;
  /** Receives skopeo's output lines (they carry no secret: credentials stay in the file). */
  readonly onLine: (line: string) => void;
}

/** Runs skopeo sync; throws NetworkError with skopeo's exit status when it fails. */
export async function skopeoSync(options: SkopeoSyncOptions): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), "dci-mirror-skopeo-"));
  const sourceFile = join(folder, "images.yaml");
  try {
    await writeFile(sourceFile, options.sourceYaml, { mode: 0o600 });
    const args = [
      "sync",
      "--src",
      "yaml",
      "--dest",
      "docker",
      "--dest-tls-verify=false",
      "--dest-no-creds",
      sourceFile,
      options.destination,
    ];
    const status = await new Promise<number>((resolve, reject) => {
      const child = spawn("skopeo", args, {
        stdio: ["ignore", "pipe", "pipe"],
        signal: options.signal,
      });
      for (const stream of [child.stdout, child.stderr]) {
        stream.setEncoding("utf8").on("data", (chunk: string) => {
          for (const line of chunk.split("\n")) if (line.trim() !== "") options.onLine(line);
        });
      }
      child.on("error", reject);
      child.on("close", (code) => resolve(code ?? 1));
    });
    if (status !== 0) {
      throw new NetworkError(
        `skopeo sync into ${options.destination} failed with status ${status}.`,
        {
          code: "SKOPEO_FAILED",
          hint: "Check that the registry is reachable and accepts pushes without credentials; run with --verbose for skopeo's output.",
        },
      );
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
