// Runs the built CLI (bin/dci-mirror.js → dist/) as a child process, the way a user does.
import { type ChildProcess, spawn } from "node:child_process";

export const BIN = new URL("../../bin/dci-mirror.js", import.meta.url).pathname;

export interface CliResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment a test child gets: PATH and HOME only, plus what the test adds. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp", ...extra };
}

/** A clean environment whose DCI_* variables point at a sandbox. */
export function sandboxEnv(
  sandbox: {
    readonly csUrl: string;
    readonly credentials: { readonly clientId: string; readonly apiSecret: string };
  },
  extra: Record<string, string> = {},
): Record<string, string> {
  return cleanEnv({
    DCI_CS_URL: sandbox.csUrl,
    DCI_CLIENT_ID: sandbox.credentials.clientId,
    DCI_API_SECRET: sandbox.credentials.apiSecret,
    ...extra,
  });
}

export interface RunCliOptions {
  /** Run the CLI as this user and group (the test must run as root), e.g. to meet EACCES. */
  readonly uid?: number;
  readonly gid?: number;
  /**
   * SIGKILL the CLI if it has not exited by then: a bound on a run that used to hang for ever,
   * not a wait for ordering (the result's `signal` says it happened).
   */
  readonly killAfterMs?: number;
  /** Called once the child is spawned (to watch it); the function it returns runs at its exit. */
  readonly onStart?: (child: ChildProcess) => () => void;
}

export function runCli(
  args: readonly string[],
  env: Record<string, string> = cleanEnv(),
  { uid, gid, killAfterMs, onStart }: RunCliOptions = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
      ...(uid === undefined ? {} : { uid }),
      ...(gid === undefined ? {} : { gid }),
    });
    const stopWatching = onStart?.(child);
    const killer =
      killAfterMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (exitCode, signal) => {
      clearTimeout(killer);
      stopWatching?.();
      resolve({ exitCode, signal, stdout, stderr });
    });
  });
}
