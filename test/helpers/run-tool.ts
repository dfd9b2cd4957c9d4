// Runs a real program (npm, rpmbuild, cpio, systemd-analyze, man...) to its end and collects its
// output; the packaging tests drive the same tools an admin or a build host would.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface ToolResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunToolOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** Runs `command args` without a shell; resolves with its exit code, never rejects on failure. */
export function runTool(
  command: string,
  args: readonly string[],
  {
    cwd = REPO_ROOT,
    env = { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp" },
  }: RunToolOptions = {},
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      { cwd, env, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== "number") {
          reject(error);
          return;
        }
        resolve({ exitCode: error === null ? 0 : Number(error.code), stdout, stderr });
      },
    );
  });
}

/** The npm environment of the packaging tests: a private cache and a registry that refuses. */
export function offlineNpmEnv(cacheDir: string): Record<string, string> {
  return {
    PATH: process.env["PATH"] ?? "",
    HOME: process.env["HOME"] ?? "/tmp",
    npm_config_cache: cacheDir,
    // Port 9 (discard) on loopback: nothing listens, so any registry request fails at once.
    npm_config_registry: "http://127.0.0.1:9/",
    npm_config_offline: "true",
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
  };
}
