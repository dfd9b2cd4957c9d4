// dci-mirror as the benchmark runs it: the built CLI, as a child process, against an in-process
// sandbox, with the same flags in every scenario but the scope and --jobs.
import { measure } from "./measure.js";
import { SCOPES } from "./scopes.js";

export const TOPIC = "RHEL-9.4";
/**
 * dci-mirror's --jobs in every loopback scenario but the sweep, and the peers' concurrency there:
 * 16, the default until the WAN sweep chose 32, kept so loopback results compare with earlier
 * ones (loopback is flat from 4 to 32). The WAN scenario reads the default from --help.
 */
export const JOBS = 16;
const BIN = new URL("../bin/dci-mirror.js", import.meta.url).pathname;

/** The argv (after `node`) of a run into `dest`; `extraArgs` (e.g. `--no-prefetch`) go last. */
export function dciArgs(dest, scope, jobs, extraArgs = []) {
  return [
    BIN,
    TOPIC,
    dest,
    "--filter",
    "compose",
    "--all",
    ...SCOPES[scope].flags,
    "--jobs",
    String(jobs),
    "--quiet",
    ...extraArgs,
  ];
}

/**
 * A clean environment with the sandbox's credentials, as a user's shell would export them;
 * `csUrl` replaces the sandbox's own (the WAN scenario's API proxy).
 */
export function dciEnv(sandbox, csUrl = sandbox.csUrl) {
  return {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/tmp",
    DCI_CS_URL: csUrl,
    DCI_CLIENT_ID: sandbox.credentials.clientId,
    DCI_API_SECRET: sandbox.credentials.apiSecret,
  };
}

/**
 * One dci-mirror run under /usr/bin/time; `apiCpuS` is this process's CPU meanwhile, which is the
 * in-process sandbox answering the signed API calls (the bench itself is idle during a run).
 */
export async function runDci({
  timePath,
  logDir,
  sandbox,
  dest,
  scope,
  jobs,
  label,
  extraArgs = [],
  csUrl = sandbox.csUrl,
}) {
  sandbox.requestLog.clear();
  const cpuBefore = process.cpuUsage();
  const result = await measure({
    timePath,
    command: process.execPath,
    args: dciArgs(dest, scope, jobs, extraArgs),
    env: dciEnv(sandbox, csUrl),
    logDir,
    label,
  });
  const cpu = process.cpuUsage(cpuBefore);
  return { ...result, apiCpuS: (cpu.user + cpu.system) / 1e6 };
}
