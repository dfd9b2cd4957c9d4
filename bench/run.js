// `npm run bench`: dci-mirror against curl, aria2 and wget2 on generated corpora served by nginx
// behind the sandbox API. Prints the tables, writes bench/results/latest.md and the results block
// of BENCHMARKS.md. Measures and prints; asserts nothing.
//
// Knobs (environment): BENCH_RUNS (repetitions, default 3), BENCH_SWEEP_SCOPE=x86_64 (run the
// --jobs sweep on the x86_64 part of many, about 4,450 files, instead of all of it), BENCH_KEEP=1
// (keep the temp dir), BENCH_ONLY=wan or https (the WAN or the HTTPS scenario alone, written to
// bench/results/wan.md or https.md; BENCHMARKS.md is left alone), BENCH_WAN_API_RTT_MS and BENCH_WAN_STORE_RTT_MS (its round trips, default 150 and 50 ms; BENCH_WAN_RTT_MS sets both) and BENCH_WAN_RATE
// (its per-connection bytes/s cap, e.g. 2M; default none).
import { spawnSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { cpus, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { DciClient } from "../dist/api/client.js";
import { startSandbox } from "../dist/sandbox/server.js";
import { writeCorpus } from "../dist/sandbox/store/external-store.js";
import { cliFeatures } from "./cli-features.js";
import { TOPIC } from "./dci.js";
import { removeTree } from "./disk.js";
import { benchCertificates, httpsMany, startHttpsSandbox } from "./https.js";
import { renderHttpsReport } from "./https-report.js";
import { interruption, killGroup, liveChildren } from "./measure.js";
import { startNginx } from "./nginx.js";
import { peerCommands } from "./peers.js";
import { renderReport } from "./report.js";
import { fullSync, jobsSweep, noopResync, resumeAfterKill } from "./scenarios.js";
import { SCOPES } from "./scopes.js";
import { ensureTools, toolVersions } from "./tools.js";
import { startWanNetwork, wanScenario, wanSettings } from "./wan.js";
import { renderWanReport } from "./wan-report.js";

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const RESULTS = new URL("./results/latest.md", import.meta.url).pathname;
const WAN_RESULTS = new URL("./results/wan.md", import.meta.url).pathname;
const HTTPS_RESULTS = new URL("./results/https.md", import.meta.url).pathname;
const BENCHMARKS = new URL("../BENCHMARKS.md", import.meta.url).pathname;
const START_MARK = "<!-- bench:results:start -->";
const END_MARK = "<!-- bench:results:end -->";

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const SWEEP_SCOPE = process.env.BENCH_SWEEP_SCOPE === "x86_64" ? "x86_64" : "many";
const JOBS = [4, 8, 16, 32, 64];
const CATALOG = { seed: "dci-mirror", size: "large", bigFileBytes: GIB, bigFileCount: 3 };
const ONLY_CHOICES = ["wan", "https"];

/** BENCH_ONLY: undefined (every scenario) or one of ONLY_CHOICES; throws naming the choices. */
function onlyScenario(value) {
  if (value === undefined || value === "") return undefined;
  if (ONLY_CHOICES.includes(value)) return value;
  throw new Error(
    `BENCH_ONLY must be one of ${ONLY_CHOICES.join(", ")} (or unset for every scenario), not "${value}"`,
  );
}

const cleanups = [];
let isCleaning = false;

async function cleanUp() {
  if (isCleaning) return;
  isCleaning = true;
  for (const child of liveChildren) killGroup(child);
  for (const step of cleanups.reverse()) {
    try {
      await step();
    } catch (error) {
      console.error(`cleanup: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function log(text) {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${text}`);
}

function totals(files) {
  return { files: files.length, bytes: files.reduce((sum, file) => sum + file.sizeBytes, 0) };
}

/** The commit measured, and whether src/ had uncommitted changes (other people work in this tree). */
function sourceRevision() {
  const root = new URL("..", import.meta.url).pathname;
  const git = (args) => spawnSync("git", ["-C", root, ...args], { encoding: "utf8" });
  const head = git(["rev-parse", "--short", "HEAD"]);
  if (head.status !== 0) return "unknown (not a git checkout)";
  const dirty = git(["status", "--porcelain", "--", "src", "bin", "package.json"]).stdout.trim();
  return `${head.stdout.trim()}${dirty === "" ? "" : " with uncommitted changes in src/"}`;
}

function machineFacts(tools) {
  return {
    cores: cpus().length,
    cpu: (cpus()[0]?.model ?? "unknown").trim(),
    memGiB: totalmem() / GIB,
    kernel: release(),
    node: process.version,
    tools: toolVersions(tools),
  };
}

/** The loopback scenarios (every one but WAN), against nginx and the two sandboxes. */
async function loopbackScenarios(ctx, { generateS, compose }) {
  const { nginx } = ctx;
  // Same seed, same catalog: it names the same component and shares the corpus with `quiet`.
  const logged = await startSandbox({ ...CATALOG, externalStoreOrigin: nginx.loggedOrigin });
  cleanups.push(() => logged.close());
  const loopback = { ...ctx, logged };
  const peersOf = (scope) =>
    peerCommands({
      tools: ctx.tools,
      origin: nginx.quietOrigin,
      componentId: compose.id,
      files: ctx.filesOf(scope),
      dir: ctx.work,
      name: scope,
    });
  const manyPeers = await peersOf("many");
  const bigPeers = await peersOf("big");
  const many = await fullSync(loopback, {
    scope: "many",
    peers: [manyPeers.curlParallel, manyPeers.aria2, manyPeers.wget2, manyPeers.nodeFloor],
    ratioUnit: "files/s",
    keepDciDest: true,
  });
  const noop = await noopResync(loopback);
  const big = await fullSync(loopback, {
    scope: "big",
    peers: [
      bigPeers.curlSequential,
      bigPeers.curlParallel,
      bigPeers.aria2,
      bigPeers.wget2,
      bigPeers.nodeFloor,
    ],
    ratioUnit: "MB/s",
    keepDciDest: false,
  });
  const resume = await resumeAfterKill(loopback);
  const sweep = await jobsSweep(loopback, {
    scope: SWEEP_SCOPE,
    jobsList: JOBS,
  });
  return {
    corpus: {
      seed: CATALOG.seed,
      generateS,
      many: ctx.expected.many,
      big: ctx.expected.big,
    },
    many,
    big,
    noop,
    resume,
    sweep,
  };
}

/** The HTTPS scenario: a sandbox over TLS in front of nginx's TLS listener, then the runs. */
async function https(ctx, { catalog, certificates }) {
  const sandbox = await startHttpsSandbox({ catalog, nginx: ctx.nginx, certificates });
  cleanups.push(() => sandbox.close());
  ctx.log(`https: sandbox API ${sandbox.csUrl}, store ${ctx.nginx.tlsOrigin}`);
  return httpsMany(ctx, { sandbox, caPath: certificates.caPath });
}

/** The WAN scenario: its proxies and sandbox, the peers through the store proxy, the runs. */
async function wan(ctx, { catalog, compose, features, settings }) {
  const net = await startWanNetwork({
    catalog,
    nginxOrigin: ctx.nginx.quietOrigin,
    apiRttMs: settings.apiRttMs,
    storeRttMs: settings.storeRttMs,
    rateBytesPerS: settings.rateBytesPerS,
  });
  cleanups.push(() => net.close());
  ctx.log(`wan: API proxy ${net.apiProxy.origin}, store proxy ${net.storeProxy.origin}`);
  const peers = await peerCommands({
    tools: ctx.tools,
    origin: net.storeProxy.origin,
    componentId: compose.id,
    files: ctx.filesOf("wan"),
    dir: ctx.work,
    name: "wan",
    concurrency: features.defaultJobs,
  });
  return wanScenario(ctx, { net, settings, features, peers });
}

async function main() {
  const started = performance.now();
  // Knobs first: a typo should fail now, not after the corpus is written.
  const only = onlyScenario(process.env.BENCH_ONLY);
  const settings = wanSettings(process.env);
  // Read before the runs: `npm run bench` built dist/ from this tree a moment ago.
  const revision = sourceRevision();
  const features = cliFeatures();
  const tools = ensureTools();
  const work = await mkdtemp(join(tmpdir(), "dci-mirror-bench-"));
  // nginx's workers run as `nobody` when the master is root: they must be able to read the corpus.
  await chmod(work, 0o755);
  if (process.env.BENCH_KEEP !== "1") cleanups.push(() => removeTree(work));
  else log(`keeping ${work}`);
  const corpusDir = join(work, "corpus");
  const logDir = join(work, "logs");
  await mkdir(corpusDir, { recursive: true });
  await mkdir(logDir, { recursive: true });
  log(
    `dci-mirror --help: --jobs default ${features.defaultJobs}, --no-prefetch ${features.hasPrefetch ? "yes" : "no"}, --api-jobs ${features.hasApiJobs ? "yes" : "no"}`,
  );

  // One CA for nginx's TLS listener and the HTTPS sandbox; none when HTTPS does not run.
  const certificates = only === "wan" ? undefined : await benchCertificates(work);
  const nginx = await startNginx({
    nginxPath: tools.nginx,
    dir: join(work, "nginx"),
    root: corpusDir,
    tls: certificates,
  });
  cleanups.push(() => nginx.stop());
  log(
    `nginx (pid ${nginx.pid}) on ${nginx.quietOrigin}, ${nginx.loggedOrigin} (logged)${nginx.tlsOrigin === undefined ? "" : ` and ${nginx.tlsOrigin}`}`,
  );
  // WAN or HTTPS alone mirror no ISO: 1 MiB ones spare writing 3 GiB (the rest of the catalog,
  // and so many, is the same).
  const catalog = only === undefined ? CATALOG : { ...CATALOG, bigFileBytes: MIB };
  const quiet = await startSandbox({ ...catalog, externalStoreOrigin: nginx.quietOrigin });
  cleanups.push(() => quiet.close());

  // The compose dci-mirror will pick, asked the way it asks.
  const client = new DciClient({ csUrl: quiet.csUrl, ...quiet.credentials });
  const topic = await client.topicByName(TOPIC);
  const compose = await client.latestComponent(topic.id, { type: "compose" });
  await client.close();
  if (compose === undefined) throw new Error(`the sandbox has no ${TOPIC} compose`);

  log(`writing the corpus of ${compose.name} (${compose.id})`);
  const generateStarted = performance.now();
  const corpus = await writeCorpus(
    quiet.catalog,
    compose.id,
    corpusDir,
    new AbortController().signal,
  );
  const generateS = (performance.now() - generateStarted) / 1000;
  const filesOf = (scope) => corpus.files.filter((file) => SCOPES[scope].keep(file.path));
  const expected = Object.fromEntries(
    Object.keys(SCOPES).map((scope) => [scope, totals(filesOf(scope))]),
  );
  log(
    `corpus: ${corpus.files.length} files, ${(corpus.totalBytes / 1e9).toFixed(2)} GB in ${generateS.toFixed(1)} s; many ${expected.many.files} files, big ${expected.big.files} files, wan ${expected.wan.files} files`,
  );

  const ctx = { runs: RUNS, work, logDir, tools, quiet, nginx, expected, filesOf, log };
  const loopback =
    only === undefined ? await loopbackScenarios(ctx, { generateS, compose }) : undefined;
  const httpsResults = only === "wan" ? undefined : await https(ctx, { catalog, certificates });
  const wanResults =
    only === "https" ? undefined : await wan(ctx, { catalog, compose, features, settings });

  const results = {
    date: `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
    command: only === undefined ? "npm run bench" : `BENCH_ONLY=${only} node bench/run.js`,
    revision,
    runs: RUNS,
    totalS: (performance.now() - started) / 1000,
    machine: machineFacts(tools),
    ...loopback,
    https: httpsResults,
    wan: wanResults,
  };
  if (only === "wan") {
    const report = renderWanReport(results);
    await writeFile(WAN_RESULTS, report);
    console.log(`\n${report}`);
    log(`wrote ${WAN_RESULTS} (BENCHMARKS.md is left as it was)`);
    return;
  }
  if (only === "https") {
    const report = renderHttpsReport(results);
    await writeFile(HTTPS_RESULTS, report);
    console.log(`\n${report}`);
    log(`wrote ${HTTPS_RESULTS} (BENCHMARKS.md is left as it was)`);
    return;
  }
  const report = renderReport(results);
  await writeFile(RESULTS, report);
  await updateBenchmarks(report);
  console.log(`\n${report}`);
  log(`wrote ${RESULTS} and the results block of ${BENCHMARKS}`);
}

/** Replaces the generated block of BENCHMARKS.md (hand-written text around it stays). */
async function updateBenchmarks(report) {
  // One level down: the block sits under the file's own "## Latest results" heading.
  const body = report.replace(/^# .*\n+/, "").replace(/^## /gm, "### ");
  const block = `${START_MARK}\n${body.trim()}\n${END_MARK}`;
  const current = await readFile(BENCHMARKS, "utf8").catch(() => "# dci-mirror benchmarks\n");
  const start = current.indexOf(START_MARK);
  const end = current.indexOf(END_MARK);
  const next =
    start >= 0 && end > start
      ? `${current.slice(0, start)}${block}${current.slice(end + END_MARK.length)}`
      : `${current.trimEnd()}\n\n${block}\n`;
  await writeFile(BENCHMARKS, next);
}

// SIGTERM too (kill, systemd, CI time-outs): nginx must never outlive the bench.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    interruption.isInterrupted = true;
    log(`${signal}: stopping nginx and the sandbox`);
    void cleanUp().then(() => process.exit(signal === "SIGINT" ? 130 : 143));
  });
}

try {
  await main();
} catch (error) {
  if (!interruption.isInterrupted) {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  }
} finally {
  await cleanUp();
}
