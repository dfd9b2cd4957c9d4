/**
 * `dci-mirror sandbox`: runs the built-in DCI sandbox on 127.0.0.1 until Ctrl-C, and prints what
 * to export to use it from another shell.
 */
import { once } from "node:events";
import { startSandbox } from "../../sandbox/server.js";
import type { Output } from "../output.js";

export interface SandboxFlags {
  readonly port?: number | undefined;
  readonly storePort?: number | undefined;
  readonly seed?: string | undefined;
  readonly size?: "tiny" | "small" | "medium" | "large" | undefined;
}

export async function sandboxCommand(
  output: Output,
  flags: SandboxFlags,
  signal: AbortSignal,
): Promise<void> {
  const sandbox = await startSandbox({
    ...(flags.port === undefined ? {} : { port: flags.port }),
    ...(flags.storePort === undefined ? {} : { storePort: flags.storePort }),
    ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    ...(flags.size === undefined ? {} : { size: flags.size }),
  });
  try {
    const variables = {
      DCI_CS_URL: sandbox.csUrl,
      DCI_CLIENT_ID: sandbox.credentials.clientId,
      DCI_API_SECRET: sandbox.credentials.apiSecret,
    };
    if (output.json) {
      output.result(JSON.stringify({ type: "sandbox", storeUrl: sandbox.storeUrl, ...variables }));
    } else {
      // These are the sandbox's own demo credentials, printed on purpose: they open nothing else.
      output.result(`DCI sandbox listening on ${sandbox.csUrl} (object store ${sandbox.storeUrl})`);
      output.result("Use it from another shell:");
      for (const [name, value] of Object.entries(variables))
        output.result(`  export ${name}='${value}'`);
      output.result("Press Ctrl-C to stop.");
    }
    if (!signal.aborted) await once(signal, "abort");
  } finally {
    await sandbox.close();
    output.info("sandbox stopped");
  }
}
