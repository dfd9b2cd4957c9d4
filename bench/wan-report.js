// The WAN section of the report (bench/wan.js's runs), and the whole report of a WAN-only run
// (BENCH_ONLY=wan), which goes to bench/results/wan.md instead of BENCHMARKS.md.
import {
  fixed,
  incomplete,
  loadSentence,
  machineSentence,
  spread,
  table,
  withNotes,
} from "./report-parts.js";
import { pairRatios } from "./stats.js";

const filesPerS = (run, expected) => expected.files / run.wallS;

/** The store-latency limit of `connections` transfers: one file per store round trip each (NaN at 0 ms: none). */
function limitOf(wan, connections) {
  return wan.storeRttMs > 0 ? connections / (wan.storeRttMs / 1000) : Number.NaN;
}

/** `accepted (min–max), peak P`: connections opened through one proxy per run, and most at once. */
function connectionsCell(runs, acceptedKey, peakKey) {
  const accepted = spread(
    runs.map((run) => run[acceptedKey]),
    0,
  );
  const peak = spread(
    runs.map((run) => run[peakKey]),
    0,
  );
  return `${accepted}, peak ${peak}`;
}

/** The cells every WAN table shares: wall, files/s, the limit and ×limit, connections per proxy. */
function wanColumns(wan, entry) {
  const limit = limitOf(wan, entry.connections);
  const rates = entry.runs.map((run) => filesPerS(run, wan.expected));
  // dci-mirror's transfers alone (its --json component time); the peers have no start to leave out.
  const transferRates = entry.runs.map((run) =>
    Number.isNaN(run.transferS ?? Number.NaN)
      ? filesPerS(run, wan.expected)
      : wan.expected.files / run.transferS,
  );
  return [
    spread(
      entry.runs.map((run) => run.wallS),
      2,
    ),
    spread(rates, 1),
    fixed(limit, 0),
    spread(
      rates.map((rate) => rate / limit),
      2,
    ),
    spread(transferRates, 1),
    spread(
      transferRates.map((rate) => rate / limit),
      2,
    ),
    spread(
      entry.runs.map((run) => run.apiRequests),
      0,
    ),
    connectionsCell(entry.runs, "apiConnections", "apiPeak"),
    connectionsCell(entry.runs, "storeConnections", "storePeak"),
  ];
}

const COLUMNS = [
  "wall s",
  "files/s",
  "limit files/s",
  "× limit",
  "transfer files/s",
  "transfer × limit",
  "API requests per run",
  "API connections per run",
  "store connections per run",
];

function ratioOf(wan, key, otherKey, seconds = (run) => run.wallS) {
  const mine = wan.tools.find((tool) => tool.key === key);
  const other = wan.tools.find((tool) => tool.key === otherKey);
  if (mine === undefined || other === undefined) return [];
  return pairRatios(mine.runs, other.runs, (run) => 1 / seconds(run));
}

/** dci-mirror's transfer seconds (its --json component time); a peer's wall time. */
const transferS = (run) => (Number.isNaN(run.transferS ?? Number.NaN) ? run.wallS : run.transferS);

/** [label, key, other key]: the ratios the WAN targets are about, at the default and the wide API cap. */
const RATIOS = [
  ["look-ahead on ÷ `--no-prefetch`", "dci", "dci-no-prefetch"],
  ["dci-mirror ÷ aria2c", "dci", "aria2"],
  ["dci-mirror ÷ wget2", "dci", "wget2"],
  ["at the wide API cap: look-ahead on ÷ `--no-prefetch`", "dci-wide", "dci-wide-no-prefetch"],
  ["at the wide API cap: dci-mirror ÷ aria2c", "dci-wide", "aria2"],
  ["at the wide API cap: dci-mirror ÷ wget2", "dci-wide", "wget2"],
];

function ratioSentence(wan) {
  const ratios = (seconds) =>
    RATIOS.map(([label, key, otherKey]) => [label, ratioOf(wan, key, otherKey, seconds)]).filter(
      ([, values]) => values.length > 0,
    );
  const parts = ratios(undefined);
  const transferParts = ratios(transferS);
  const list = (items) =>
    items.map(([label, values]) => `${label} ${spread(values, 2)}×`).join("; ");
  return `Ratios of files/s, run by run, on wall time: ${list(parts)}. On dci-mirror's transfer time (a peer's wall time): ${list(transferParts)}.`;
}

function toolsTable(wan) {
  const rows = wan.tools.map((tool) => [
    tool.name,
    ...wanColumns(wan, tool),
    spread(
      tool.runs.map((run) => run.cpuS),
      2,
    ),
    spread(
      tool.runs.map((run) => run.maxRssMiB),
      0,
    ),
    spread(
      tool.runs.map((run) => run.benchCpuS),
      2,
    ),
  ]);
  const notes = wan.tools.flatMap((tool) => incomplete(tool.name, tool.runs, wan.expected));
  const columns = [
    "tool",
    ...COLUMNS,
    "CPU s (user+sys)",
    "peak RSS MiB",
    "sandbox + proxies CPU s",
  ];
  return withNotes([table(columns, rows)], notes);
}

function sweepTable(wan) {
  const rows = wan.sweep.map((entry) => [
    String(entry.jobs),
    entry.apiJobs === undefined ? "default" : String(entry.apiJobs),
    ...wanColumns(wan, entry),
  ]);
  const notes = wan.sweep.flatMap((entry) => incomplete(entry.name, entry.runs, wan.expected));
  return withNotes([table(["--jobs", "--api-jobs", ...COLUMNS], rows)], notes);
}

function linkText(wan) {
  const cap =
    wan.rateBytesPerS > 0
      ? `, each connection capped at ${fixed(wan.rateBytesPerS / 1e6, 2)} MB/s per direction`
      : ", no bandwidth cap";
  return `round trip ${fixed(wan.apiRttMs, 0)} ms to the API, ${fixed(wan.storeRttMs, 0)} ms to the store${cap}`;
}

/** The WAN section (`level` is the heading's `#`s) as markdown lines. */
export function wanSection(wan, level = "##") {
  return [
    `${level} WAN: ${wan.expected.files.toLocaleString("en-US")} small files, ${linkText(wan)}`,
    "",
    `The sandbox API and nginx each sit behind a delay proxy (\`bench/delay-proxy.js\`; \`BENCH_WAN_API_RTT_MS\`, \`BENCH_WAN_STORE_RTT_MS\`, \`BENCH_WAN_RTT_MS\` for both, \`BENCH_WAN_RATE\`): every chunk waits half the round trip in each direction, and a new connection forwards nothing before one more round trip, the TCP handshake. dci-mirror's \`DCI_CS_URL\` is the API proxy and the gateway presigns URLs of the store proxy; aria2c and wget2 get the store proxy's URLs of the same ${wan.expected.files} files (every variant's x86_64 packages, ${fixed(wan.expected.bytes / 1e6, 1)} MB) and make no API call. The **limit** is the store-latency limit, connections ÷ store round trip (${wan.defaultJobs} connections: ${fixed(limitOf(wan, wan.defaultJobs), 0)} files/s): every transfer waits at least one round trip per file. files/s = files ÷ wall time, so dci-mirror's include its start (the topic, components and files-list calls, a few round trips each way, and reading a 20,000-entry files list) and the peers' do not have one; **transfer files/s** leaves that start out: files ÷ the component's time in dci-mirror's \`--json\` summary (selection, plan, transfers, records); for a peer it is its wall rate. API requests: those the sandbox answered during the run (one gateway call per file, plus the topic, components and files-list calls). Connections: opened through each proxy during a run, and the most open at once. **sandbox + proxies CPU**: the bench process during the run, which hosts the sandbox API and both delay proxies (the simulated server and network, on other machines in a real lab; on this 2-core machine they compete with the tool for the cores).`,
    "",
    toolsTable(wan),
    "",
    ratioSentence(wan),
    "",
    `${level}# WAN: dci-mirror --jobs${wan.sweep.some((entry) => entry.apiJobs !== undefined) ? " and --api-jobs" : ""} sweep`,
    "",
    sweepTable(wan),
    ...(wan.notes.length > 0 ? ["", ...wan.notes.map((note) => `- ${note}`)] : []),
  ];
}

/** The whole report of a WAN-only run, as markdown. */
export function renderWanReport(results) {
  const { wan } = results;
  const runs = [...wan.tools, ...wan.sweep].flatMap((entry) => entry.runs);
  return [
    "# dci-mirror benchmarks: WAN only",
    "",
    `Measured ${results.date} by \`${results.command}\` in ${fixed(results.totalS / 60, 1)} min, on commit ${results.revision}. Every figure is the median of ${results.runs} runs, with (min–max); ratios are taken run by run. The order of the rows is rotated every repetition; the destination is removed and \`sync\` is run before each run. The full bench (\`npm run bench\`) runs this scenario too and keeps its results in BENCHMARKS.md; this file is only for WAN-only runs.`,
    "",
    loadSentence(runs),
    "",
    machineSentence(results.machine),
    "",
    ...wanSection(wan),
    "",
  ].join("\n");
}
