// One measured run: the command as a child of GNU time (-v), which reports the child's user and
// system CPU and peak RSS; wall time is taken here, around the whole child, at ns resolution.
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { join } from "node:path";

let runCounter = 0;

function field(text, label) {
  const line = text.split("\n").find((candidate) => candidate.trim().startsWith(label));
  return line === undefined ? Number.NaN : Number(line.slice(line.lastIndexOf(":") + 1).trim());
}

/** Children still running, so an interrupted bench can stop them (and theirs) by PID. */
export const liveChildren = new Set();

/** Set once the bench is interrupted: no new child may start after its children were stopped. */
export const interruption = { isInterrupted: false };

/** Throws when the bench was interrupted, so the scenario loops stop starting runs. */
export function throwIfInterrupted() {
  if (interruption.isInterrupted) throw new Error("interrupted");
}

/** SIGKILLs a child started with `detached: true` and everything in its process group. */
export function killGroup(child) {
  try {
    // The group id is the child's PID: GNU time and the command it runs go together.
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone: nothing left to stop.
  }
}

/**
 * Runs `command args` under `/usr/bin/time -v`; resolves with wall/user/sys seconds, peak RSS
 * (MiB) and the exit code. Output goes to log files in `logDir`; nothing is asserted.
 */
export async function measure({ timePath, command, args, env, cwd, logDir, label }) {
  throwIfInterrupted();
  runCounter += 1;
  const base = join(
    logDir,
    `${String(runCounter).padStart(3, "0")}-${label.replace(/[^\w.-]+/g, "_")}`,
  );
  const timeFile = `${base}.time`;
  const out = openSync(`${base}.out`, "w");
  const err = openSync(`${base}.err`, "w");
  const loadBefore = loadavg()[0];
  const started = process.hrtime.bigint();
  const child = spawn(timePath, ["-v", "-o", timeFile, command, ...args], {
    env,
    cwd,
    // Its own process group, so an interrupted bench can stop time's child too.
    detached: true,
    stdio: ["ignore", out, err],
  });
  liveChildren.add(child);
  const exitCode = await new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal === null ? -1 : 128)));
  }).finally(() => {
    liveChildren.delete(child);
    closeSync(out);
    closeSync(err);
  });
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  const report = await readFile(timeFile, "utf8").catch(() => "");
  const userS = field(report, "User time (seconds)");
  const sysS = field(report, "System time (seconds)");
  const childExit = field(report, "Exit status");
  return {
    wallS,
    userS,
    sysS,
    cpuS: userS + sysS,
    maxRssMiB: field(report, "Maximum resident set size (kbytes)") / 1024,
    exitCode: Number.isNaN(childExit) ? exitCode : childExit,
    loadBefore,
    logBase: base,
  };
}
