// The WAN scenario: the same nginx and a sandbox of the same catalog, each behind a delay proxy
// (bench/delay-proxy.js), so every API call and every object request costs a round trip, as in a
// lab far from DCI. dci-mirror gets DCI_CS_URL = the API proxy, and the sandbox presigns URLs of
// the store proxy; the peers get the store proxy's URLs of the same files. Each run counts the
// connections opened through each proxy.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { startSandbox } from "../dist/sandbox/server.js";
import { runDci } from "./dci.js";
import { startDelayProxy } from "./delay-proxy.js";
import { freshDest, removeTree, treeStats } from "./disk.js";
import { measure, throwIfInterrupted } from "./measure.js";
import { rotate } from "./stats.js";

// A lab far from DCI: the API's round trip plus its server time (signature check, database) is
// several times the object store's, which sits behind a content network closer to the lab.
const DEFAULT_API_RTT_MS = 150;
const DEFAULT_STORE_RTT_MS = 50;
const SWEEP_JOBS = [8, 16, 32];
const SWEEP_API_JOBS = [16, 32, 48, 64, 96, 128];
// The comparison is also run at this --api-jobs: the cap that hides a 150 ms API behind a 50 ms
// store at 32 jobs (jobs × API RTT ÷ store RTT = 96 calls in flight, with room).
const WIDE_API_JOBS = 128;
const RATE_UNITS = { "": 1, k: 1e3, m: 1e6, g: 1e9 };

/** A round trip in ms from the knob `name`, else `fallback`; throws naming the knob. */
function roundTripMs(env, name, fallback) {
  const text = env[name] ?? String(fallback);
  const ms = Number(text);
  if (!(ms >= 0) || text.trim() === "") {
    throw new Error(`${name} must be a round trip in ms (e.g. 100), not "${text}"`);
  }
  return ms;
}

/**
 * The latency profile: BENCH_WAN_API_RTT_MS (default 150) and BENCH_WAN_STORE_RTT_MS (default 50),
 * or BENCH_WAN_RTT_MS for both; BENCH_WAN_RATE (bytes/s per connection and direction, with an
 * optional k/M/G suffix; unset or 0: no cap); throws naming the knob when a value is not a number.
 */
export function wanSettings(env) {
  const bothMs =
    env.BENCH_WAN_RTT_MS === undefined ? undefined : roundTripMs(env, "BENCH_WAN_RTT_MS", 0);
  const apiRttMs = bothMs ?? roundTripMs(env, "BENCH_WAN_API_RTT_MS", DEFAULT_API_RTT_MS);
  const storeRttMs = bothMs ?? roundTripMs(env, "BENCH_WAN_STORE_RTT_MS", DEFAULT_STORE_RTT_MS);
  const rateText = (env.BENCH_WAN_RATE ?? "0").trim();
  const rate = /^(\d+(?:\.\d+)?)\s*([kmg]?)(?:b|b\/s)?$/i.exec(rateText);
  if (rate === null) {
    throw new Error(
      `BENCH_WAN_RATE must be bytes/s per connection, e.g. 2000000 or 2M, not "${rateText}"`,
    );
  }
  const unit = RATE_UNITS[(rate[2] ?? "").toLowerCase()] ?? 1;
  return { apiRttMs, storeRttMs, rateBytesPerS: Number(rate[1]) * unit };
}

function hostAndPort(origin) {
  const url = new URL(origin);
  return { upstreamHost: url.hostname, upstreamPort: Number(url.port) };
}

/**
 * The store proxy in front of nginx, a sandbox (options `catalog`) presigning URLs of it, and the
 * API proxy in front of that sandbox. `settle()` waits (5 s at most) until neither proxy has a
 * connection open and resets their counters; `close()` stops all three.
 */
export async function startWanNetwork({
  catalog,
  nginxOrigin,
  apiRttMs,
  storeRttMs,
  rateBytesPerS,
}) {
  const storeProxy = await startDelayProxy({
    ...hostAndPort(nginxOrigin),
    oneWayMs: storeRttMs / 2,
    rateBytesPerS,
  });
  const sandbox = await startSandbox({ ...catalog, externalStoreOrigin: storeProxy.origin });
  const apiProxy = await startDelayProxy({
    ...hostAndPort(sandbox.csUrl),
    oneWayMs: apiRttMs / 2,
    rateBytesPerS,
  });
  const proxies = [apiProxy, storeProxy];
  return {
    sandbox,
    apiProxy,
    storeProxy,
    async settle() {
      // The last run's connections close one delayed FIN after its process exits.
      for (let waitedMs = 0; waitedMs < 5000; waitedMs += 20) {
        if (proxies.every((proxy) => proxy.counters().open === 0)) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      for (const proxy of proxies) proxy.resetCounters();
    },
    async close() {
      await apiProxy.close();
      await sandbox.close();
      await storeProxy.close();
    },
  };
}

/**
 * Seconds dci-mirror spent on its component (selection, plan, transfers, records), from its
 * `--json` summary: the run without its start (the topic, components and files-list calls).
 */
async function transferSeconds(logBase) {
  try {
    const summary = JSON.parse(await readFile(`${logBase}.out`, "utf8"));
    const ms = summary.topics
      .flatMap((topic) => topic.components)
      .reduce((sum, c) => sum + c.durationMs, 0);
    return ms / 1000;
  } catch {
    return Number.NaN;
  }
}

/** One run of a dci-mirror entry or a peer into a fresh folder, with its connection counts. */
async function runOnce(ctx, net, entry, rep, label) {
  const dest = await freshDest(join(ctx.work, "dest", `wan-${entry.key}`));
  await net.settle();
  // This process hosts the sandbox and both delay proxies: its CPU is the simulated network's
  // and server's, which a real lab has on other machines.
  const cpuBefore = process.cpuUsage();
  const result =
    entry.command === undefined
      ? await runDci({
          timePath: ctx.tools.time,
          logDir: ctx.logDir,
          sandbox: net.sandbox,
          csUrl: net.apiProxy.origin,
          dest,
          scope: "wan",
          jobs: entry.jobs,
          extraArgs: entry.extraArgs,
          label,
        })
      : await measure({
          timePath: ctx.tools.time,
          command: entry.command,
          args: entry.args,
          env: process.env,
          cwd: dest,
          logDir: ctx.logDir,
          label,
        });
  const cpu = process.cpuUsage(cpuBefore);
  throwIfInterrupted();
  // runDci cleared the log at its start; a peer's run makes no API call.
  const apiRequests =
    entry.command === undefined
      ? net.sandbox.requestLog.entries.filter((logged) => logged.server === "api").length
      : 0;
  const transferS =
    entry.command === undefined ? await transferSeconds(result.logBase) : Number.NaN;
  const api = net.apiProxy.counters();
  const store = net.storeProxy.counters();
  const run = {
    rep,
    ...result,
    ...(await treeStats(dest)),
    apiRequests,
    transferS,
    benchCpuS: (cpu.user + cpu.system) / 1e6,
    apiConnections: api.accepted,
    apiPeak: api.peak,
    storeConnections: store.accepted,
    storePeak: store.peak,
  };
  await removeTree(dest);
  return run;
}

function describeWanRun(ctx, name, rep, run, { expected, limitFilesPerS }) {
  const filesPerS = expected.files / run.wallS;
  const onDisk = run.files === expected.files ? "" : `, ${run.files} files on disk`;
  const transfer = Number.isNaN(run.transferS)
    ? ""
    : `, transfers ${(expected.files / run.transferS).toFixed(1)} files/s (${(expected.files / run.transferS / limitFilesPerS).toFixed(2)}× limit)`;
  ctx.log(
    `  ${name.padEnd(40)} run ${rep + 1}/${ctx.runs}: ${run.wallS.toFixed(2)} s, ${filesPerS.toFixed(1)} files/s (${(filesPerS / limitFilesPerS).toFixed(2)}× limit)${transfer}, API ${run.apiRequests} requests on ${run.apiConnections} connections (peak ${run.apiPeak}), store ${run.storeConnections} (peak ${run.storePeak}), exit ${run.exitCode}${onDisk}`,
  );
}

/** Runs every entry `ctx.runs` times, rotating the order each repetition; fills `entry.runs`. */
async function runRotated(ctx, net, entries, prefix, storeRttMs) {
  const expected = ctx.expected.wan;
  for (let rep = 0; rep < ctx.runs; rep++) {
    for (const entry of rotate(entries, rep)) {
      const run = await runOnce(ctx, net, entry, rep, `${prefix}-${entry.key}-${rep + 1}`);
      entry.runs.push(run);
      // At 0 ms there is no latency limit: NaN prints as such.
      const limitFilesPerS = storeRttMs > 0 ? entry.connections / (storeRttMs / 1000) : Number.NaN;
      describeWanRun(ctx, entry.name, rep, run, { expected, limitFilesPerS });
    }
  }
}

/**
 * The WAN comparison (dci-mirror with and without URL look-ahead, aria2c and wget2 at the same
 * connections) and the --jobs / --api-jobs sweep. Rows for flags the build lacks are skipped and
 * listed in `notes`.
 */
export async function wanScenario(ctx, { net, settings, features, peers }) {
  const { apiRttMs, storeRttMs } = settings;
  const jobs = features.defaultJobs;
  const notes = [];
  ctx.log(
    `wan: ${ctx.expected.wan.files} files, round trip API ${apiRttMs} ms, store ${storeRttMs} ms${settings.rateBytesPerS > 0 ? `, ${settings.rateBytesPerS} B/s per connection` : ""}, ${ctx.runs} runs of each`,
  );
  const dci = (key, name, fields) => ({
    key,
    name,
    jobs,
    connections: jobs,
    ...fields,
    // The JSON summary gives the component's own time (transferSeconds).
    extraArgs: ["--json", ...(fields?.extraArgs ?? [])],
  });
  const tools = [
    dci("dci", `dci-mirror --jobs ${jobs}${features.hasPrefetch ? " (look-ahead on)" : ""}`),
  ];
  if (features.hasPrefetch) {
    tools.push(
      dci("dci-no-prefetch", `dci-mirror --jobs ${jobs} --no-prefetch`, {
        extraArgs: ["--no-prefetch"],
      }),
    );
  } else {
    notes.push("`--no-prefetch`: not in this build's `--help`, so its row was skipped.");
  }
  if (features.hasApiJobs && features.hasPrefetch) {
    const wide = ["--api-jobs", String(WIDE_API_JOBS)];
    tools.push(
      dci("dci-wide", `dci-mirror --jobs ${jobs} --api-jobs ${WIDE_API_JOBS}`, {
        apiJobs: WIDE_API_JOBS,
        extraArgs: wide,
      }),
      dci(
        "dci-wide-no-prefetch",
        `dci-mirror --jobs ${jobs} --api-jobs ${WIDE_API_JOBS} --no-prefetch`,
        {
          apiJobs: WIDE_API_JOBS,
          extraArgs: [...wide, "--no-prefetch"],
        },
      ),
    );
  }
  for (const peer of [peers.aria2, peers.wget2]) tools.push({ ...peer, connections: jobs });
  for (const tool of tools) tool.runs = [];
  await runRotated(ctx, net, tools, "wan", storeRttMs);

  ctx.log(`wan: --jobs sweep ${SWEEP_JOBS.join(", ")}`);
  const sweep = SWEEP_JOBS.map((sweepJobs) =>
    dci(`j${sweepJobs}`, `dci-mirror --jobs ${sweepJobs}`, {
      jobs: sweepJobs,
      connections: sweepJobs,
    }),
  );
  if (features.hasApiJobs) {
    for (const apiJobs of SWEEP_API_JOBS) {
      sweep.push(
        dci(`j${jobs}-a${apiJobs}`, `dci-mirror --jobs ${jobs} --api-jobs ${apiJobs}`, {
          apiJobs,
          extraArgs: ["--api-jobs", String(apiJobs)],
        }),
      );
    }
  } else {
    notes.push("`--api-jobs`: not in this build's `--help`, so the --api-jobs sweep was skipped.");
  }
  for (const entry of sweep) entry.runs = [];
  await runRotated(ctx, net, sweep, "wan-sweep", storeRttMs);
  return {
    apiRttMs,
    storeRttMs,
    rateBytesPerS: settings.rateBytesPerS,
    defaultJobs: jobs,
    expected: ctx.expected.wan,
    tools,
    sweep,
    notes,
  };
}
