// The scenarios. Each takes the bench context (`ctx`, built in run.js) and returns its runs:
//   ctx.runs        repetitions;          ctx.work, ctx.logDir   temp dir and per-run logs;
//   ctx.tools       program paths;        ctx.quiet, ctx.logged  sandboxes (nginx ports without, with access log);
//   ctx.nginx       { accessLog, ... };   ctx.expected           scope (scopes.js) → { files, bytes };
//   ctx.filesOf     scope → corpus files; ctx.log                progress lines.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { accessLogSince, isListing, logOffset } from "./access-log.js";
import { dciArgs, dciEnv, JOBS, runDci, TOPIC } from "./dci.js";
import { freshDest, removeTree, sizesIn, syncDisks, treeStats } from "./disk.js";
import { liveChildren, measure, throwIfInterrupted } from "./measure.js";
import { rotate } from "./stats.js";

const MIB = 1024 * 1024;

function describeRun(ctx, name, rep, run, totals) {
  const onDisk = run.files === totals.files ? "" : `, ${run.files} files on disk`;
  ctx.log(
    `  ${name.padEnd(34)} run ${rep + 1}/${ctx.runs}: ${run.wallS.toFixed(2)} s, ${(totals.files / run.wallS).toFixed(0)} files/s, ${(totals.bytes / 1e6 / run.wallS).toFixed(1)} MB/s, CPU ${run.cpuS.toFixed(2)} s, RSS ${run.maxRssMiB.toFixed(0)} MiB, exit ${run.exitCode}${onDisk}`,
  );
}

function dciRun(ctx, fields) {
  return runDci({ timePath: ctx.tools.time, logDir: ctx.logDir, ...fields });
}

/**
 * Full syncs of one corpus into fresh destinations: dci-mirror (--jobs 16) and each peer, `runs`
 * times, the order rotated each repetition. With `keepDciDest`, the last dci-mirror tree is left
 * in `<work>/dest/<scope>-dci` for the no-op resync.
 */
export async function fullSync(ctx, { scope, peers, ratioUnit, keepDciDest }) {
  ctx.log(`${scope}: full sync, ${ctx.runs} runs of each tool`);
  const dci = { key: "dci", name: `dci-mirror --jobs ${JOBS}` };
  const tools = [dci, ...peers].map((tool) => ({ ...tool, runs: [] }));
  for (let rep = 0; rep < ctx.runs; rep++) {
    for (const tool of rotate(tools, rep)) {
      const dest = await freshDest(join(ctx.work, "dest", `${scope}-${tool.key}`));
      const label = `${scope}-${tool.key}-${rep + 1}`;
      const result =
        tool.key === "dci"
          ? await dciRun(ctx, { sandbox: ctx.quiet, dest, scope, jobs: JOBS, label })
          : await measure({
              timePath: ctx.tools.time,
              command: tool.command,
              args: tool.args,
              env: process.env,
              cwd: dest,
              logDir: ctx.logDir,
              label,
            });
      throwIfInterrupted();
      const run = { rep, ...result, ...(await treeStats(dest)) };
      tool.runs.push(run);
      describeRun(ctx, tool.name, rep, run, ctx.expected[scope]);
      const isKept = keepDciDest && tool.key === "dci" && rep === ctx.runs - 1;
      if (!isKept) await removeTree(dest);
    }
  }
  return { expected: ctx.expected[scope], ratioUnit, tools };
}

/** Re-runs dci-mirror over the complete many mirror that `fullSync` kept, counting requests. */
export async function noopResync(ctx) {
  ctx.log("no-op resync of the many mirror");
  const dest = join(ctx.work, "dest", "many-dci");
  const runs = [];
  for (let rep = 0; rep < ctx.runs; rep++) {
    await syncDisks();
    const offset = await logOffset(ctx.nginx.accessLog);
    const label = `noop-${rep + 1}`;
    const result = await dciRun(ctx, {
      sandbox: ctx.logged,
      dest,
      scope: "many",
      jobs: JOBS,
      label,
    });
    const lines = await accessLogSince(ctx.nginx.accessLog, offset);
    const gatewayFileCalls = ctx.logged.requestLog.entries.filter(
      (entry) => entry.server === "api" && /\/files\//.test(entry.path) && !isListing(entry.path),
    ).length;
    const run = {
      rep,
      ...result,
      nginxRequests: lines.length,
      nginxFileRequests: lines.filter((line) => !isListing(line.uri)).length,
      gatewayFileCalls,
    };
    runs.push(run);
    ctx.log(
      `  no-op run ${rep + 1}/${ctx.runs}: ${run.wallS.toFixed(3)} s, CPU ${run.cpuS.toFixed(2)} s, RSS ${run.maxRssMiB.toFixed(0)} MiB, ${run.nginxFileRequests} file requests (${run.nginxRequests} in all) at nginx, ${gatewayFileCalls} gateway calls for files, exit ${run.exitCode}`,
    );
  }
  await removeTree(dest);
  return { runs };
}

/** Bytes of big on disk: placed files plus partials (dci-mirror's own layout, README). */
async function bigOnDisk(dest) {
  const componentFolder = join(dest, TOPIC, "compose");
  const placed = await treeStats(componentFolder);
  const partials = await sizesIn(join(componentFolder, ".dci-mirror", "partial"), ".part");
  const partialBytes = partials.reduce((sum, size) => sum + size, 0);
  return { partials, total: placed.bytes + partialBytes };
}

/** Starts dci-mirror on big and SIGKILLs it once half the bytes are on disk. */
async function killHalfWay(ctx, dest) {
  throwIfInterrupted();
  // Not under /usr/bin/time: the PID killed must be dci-mirror's own.
  const child = spawn(process.execPath, dciArgs(dest, "big", JOBS), {
    env: dciEnv(ctx.quiet),
    detached: true,
    stdio: "ignore",
  });
  liveChildren.add(child);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  const half = ctx.expected.big.bytes / 2;
  while (!hasExited && (await bigOnDisk(dest)).total < half) await sleep(20);
  child.kill("SIGKILL");
  await exited;
  liveChildren.delete(child);
}

/** Kill half-way through big, run again, and compare the bytes nginx sent with the bytes missing. */
export async function resumeAfterKill(ctx) {
  ctx.log("resume: SIGKILL half-way through big, then run again");
  const fileBytes = ctx.filesOf("big")[0]?.sizeBytes ?? 0;
  const runs = [];
  for (let rep = 0; rep < ctx.runs; rep++) {
    const dest = await freshDest(join(ctx.work, "dest", "resume"));
    await killHalfWay(ctx, dest);
    const atKill = await bigOnDisk(dest);
    const missingBytes = ctx.expected.big.bytes - atKill.total;
    const offset = await logOffset(ctx.nginx.accessLog);
    const label = `resume-${rep + 1}`;
    const result = await dciRun(ctx, {
      sandbox: ctx.logged,
      dest,
      scope: "big",
      jobs: JOBS,
      label,
    });
    const lines = (await accessLogSince(ctx.nginx.accessLog, offset)).filter(
      (line) => !isListing(line.uri),
    );
    const after = await treeStats(dest);
    const run = {
      rep,
      ...result,
      onDiskBytes: atKill.total,
      missingBytes,
      interrupted: atKill.partials.filter((size) => size > 0 && size < fileBytes).length,
      fetchedBytes: lines.reduce((sum, line) => sum + line.bodyBytes, 0),
      rangeRequests: lines.filter((line) => line.range !== undefined).length,
      complete:
        result.exitCode === 0 &&
        after.files === ctx.expected.big.files &&
        after.bytes === ctx.expected.big.bytes,
    };
    runs.push(run);
    ctx.log(
      `  resume run ${rep + 1}/${ctx.runs}: ${(run.onDiskBytes / MIB).toFixed(1)} MiB on disk at kill (${run.interrupted} partials), missing ${(missingBytes / MIB).toFixed(1)} MiB, fetched ${(run.fetchedBytes / MIB).toFixed(1)} MiB in ${run.wallS.toFixed(2)} s, ${run.rangeRequests} Range requests, complete: ${run.complete}`,
    );
    await removeTree(dest);
  }
  return { runs };
}

/**
 * dci-mirror at each --jobs on `scope` (many, or its x86_64 part), interleaved and rotated: the
 * full-sync runs are not reused, since runs minutes apart on a shared machine do not compare.
 */
export async function jobsSweep(ctx, { scope, jobsList }) {
  ctx.log(`--jobs sweep on ${scope}: ${jobsList.join(", ")}`);
  const totals = ctx.expected[scope];
  const byJobs = jobsList.map((jobs) => ({ jobs, runs: [] }));
  for (let rep = 0; rep < ctx.runs; rep++) {
    for (const entry of rotate(byJobs, rep)) {
      const dest = await freshDest(join(ctx.work, "dest", `sweep-${entry.jobs}`));
      const label = `sweep-j${entry.jobs}-${rep + 1}`;
      const result = await dciRun(ctx, {
        sandbox: ctx.quiet,
        dest,
        scope,
        jobs: entry.jobs,
        label,
      });
      const run = { rep, ...result, ...(await treeStats(dest)) };
      entry.runs.push(run);
      describeRun(ctx, `dci-mirror --jobs ${entry.jobs}`, rep, run, totals);
      await removeTree(dest);
    }
  }
  const files = totals.files.toLocaleString("en-US");
  const description =
    scope === "many"
      ? `the whole many corpus, ${files} files (\`BENCH_SWEEP_SCOPE=x86_64\`: a quicker sweep on its x86_64 part)`
      : `the x86_64 part of the many corpus: root files, \`metadata/\` and \`*/x86_64/**\`, ${files} files, ${(totals.bytes / 1e6).toFixed(1)} MB`;
  return { description, expected: totals, byJobs };
}
