/**
 * `dci-mirror sandbox`: runs the built-in DCI sandbox on 127.0.0.1 until Ctrl-C, and prints what
 * to export to use it from another shell.
 */
import { once } from "node:events";
import { UsageError } from "../../errors.js";
import type { SavedCaFile } from "../../sandbox/tls/ca-file.js";
import { wanProfileOptions, wanProfileText } from "../options/wan-profile.js";
import { createOutput, type Output } from "../output.js";
import { type CliEnvironment, defineCommand } from "./context.js";

interface SandboxFlags {
  readonly port?: number | undefined;
  readonly storePort?: number | undefined;
  readonly seed?: string | undefined;
  readonly size?: "tiny" | "small" | "medium" | "large" | undefined;
  readonly apiLatencyMs?: number | undefined;
  readonly storeLatencyMs?: number | undefined;
  readonly storeBytesPerSecond?: number | undefined;
  readonly urlExpirySeconds?: number | undefined;
  readonly https?: boolean | undefined;
  readonly caOut?: string | undefined;
}

export const sandboxCommand = (environment: CliEnvironment) =>
  defineCommand({
    command: "sandbox",
    describe: "run the built-in DCI sandbox server on 127.0.0.1 until Ctrl-C",
    builder: (command) =>
      wanProfileOptions(command)
        .option("port", { type: "number", describe: "API port (default: any free port)" })
        .option("store-port", {
          type: "number",
          describe: "object store port (default: any free port)",
        })
        .option("seed", { type: "string", describe: "catalog seed (same seed, same catalog)" })
        .option("size", {
          choices: ["tiny", "small", "medium", "large"] as const,
          describe: "files per compose: tiny ~150, small ~600, medium ~5,000, large ~20,000",
        })
        .option("https", {
          type: "boolean",
          describe: "serve over HTTPS with a throw-away CA made at start-up (its file is printed)",
        })
        .option("ca-out", {
          type: "string",
          describe: "with --https: write the CA certificate to FILE (default: a temporary folder)",
        })
        .example("$0 sandbox --port 5000", "serve the sandbox API on http://127.0.0.1:5000")
        .example("$0 sandbox --https", "serve it over HTTPS; trust it with --ca-file FILE")
        .example("$0 sandbox --api-latency 150 --store-rate 10M", "play a far-away DCI"),
    handler: (flags) =>
      serveSandbox(
        createOutput(flags),
        {
          port: flags.port,
          storePort: flags["store-port"],
          seed: flags.seed,
          size: flags.size,
          apiLatencyMs: flags["api-latency"],
          storeLatencyMs: flags["store-latency"],
          storeBytesPerSecond: flags["store-rate"],
          urlExpirySeconds: flags["url-lifetime"],
          https: flags.https,
          caOut: flags["ca-out"],
        },
        environment.signal,
      ),
  });

async function serveSandbox(
  output: Output,
  flags: SandboxFlags,
  signal: AbortSignal,
): Promise<void> {
  if (flags.caOut !== undefined && flags.https !== true) {
    throw new UsageError("--ca-out writes the CA of a sandbox over HTTPS: add --https.", {
      code: "USAGE",
      hint: "For example: dci-mirror sandbox --https --ca-out ./sandbox-ca.pem",
    });
  }
  // Loaded when the command runs: the sandbox server is about 30 modules.
  const { startSandbox } = await import("../../sandbox/server.js");
  const sandbox = await startSandbox({
    ...(flags.port === undefined ? {} : { port: flags.port }),
    ...(flags.storePort === undefined ? {} : { storePort: flags.storePort }),
    ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    ...(flags.size === undefined ? {} : { size: flags.size }),
    ...(flags.apiLatencyMs === undefined ? {} : { apiLatencyMs: flags.apiLatencyMs }),
    ...(flags.storeLatencyMs === undefined ? {} : { storeLatencyMs: flags.storeLatencyMs }),
    ...(flags.storeBytesPerSecond === undefined
      ? {}
      : { storeBytesPerSecond: flags.storeBytesPerSecond }),
    ...(flags.urlExpirySeconds === undefined ? {} : { urlExpirySeconds: flags.urlExpirySeconds }),
    ...(flags.https === true ? { https: true } : {}),
  });
  let caFile: SavedCaFile | undefined;
  try {
    caFile = await caFileOf(sandbox.caCertificate, flags.caOut);
    const variables = {
      DCI_CS_URL: sandbox.csUrl,
      DCI_CLIENT_ID: sandbox.credentials.clientId,
      DCI_API_SECRET: sandbox.credentials.apiSecret,
    };
    const ca = caFile === undefined ? {} : { caFile: caFile.path };
    if (output.json) {
      output.result(
        JSON.stringify({ type: "sandbox", storeUrl: sandbox.storeUrl, ...ca, ...variables }),
      );
    } else {
      // These are the sandbox's own demo credentials, printed on purpose: they open nothing else.
      output.result(`DCI sandbox listening on ${sandbox.csUrl} (object store ${sandbox.storeUrl})`);
      const profile = wanProfileText(flags);
      if (profile !== undefined) output.result(profile);
      output.result("Use it from another shell:");
      for (const [name, value] of Object.entries(variables))
        output.result(`  export ${name}='${value}'`);
      if (caFile !== undefined) {
        output.result(`  export NODE_EXTRA_CA_CERTS='${caFile.path}'`);
        output.result(`(or pass --ca-file ${caFile.path}: the sandbox's throw-away CA)`);
      }
      output.result("Press Ctrl-C to stop.");
    }
    if (!signal.aborted) await once(signal, "abort");
  } finally {
    await sandbox.close();
    await caFile?.remove();
    output.info("sandbox stopped");
  }
}

/** The CA file of a sandbox over HTTPS (none over HTTP): `--ca-out FILE`, or a temporary one. */
async function caFileOf(
  caPem: string | undefined,
  caOut: string | undefined,
): Promise<SavedCaFile | undefined> {
  if (caPem === undefined) return undefined;
  const { saveCaFile } = await import("../../sandbox/tls/ca-file.js");
  return saveCaFile(caPem, caOut);
}
