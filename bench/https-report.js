// The HTTPS section of the report (bench/https.js's runs), its target line, and the whole report
// of an HTTPS-only run (BENCH_ONLY=https), which goes to bench/results/https.md instead of
// BENCHMARKS.md.
import {
  fixed,
  incomplete,
  loadSentence,
  machineSentence,
  spread,
  table,
  withNotes,
} from "./report-parts.js";
import { pairRatios, summarize } from "./stats.js";

/** The target: HTTPS at most 10% slower than plain HTTP on loopback many. */
const MAX_SLOWDOWN = 1.1;

function toolOf(https, key) {
  return https.tools.find((tool) => tool.key === key);
}

/** HTTPS ÷ HTTP of `pick`, run by run (same repetition); empty when a row is missing. */
function ratios(https, pick) {
  const secure = toolOf(https, "https");
  const plain = toolOf(https, "http");
  if (secure === undefined || plain === undefined) return [];
  return pairRatios(secure.runs, plain.runs, pick);
}

function runsTable(https) {
  const { expected } = https;
  const column = (runs, value, digits) => spread(runs.map(value), digits);
  const rows = https.tools.map(({ name, runs }) => [
    name,
    column(runs, (run) => run.wallS, 2),
    column(runs, (run) => expected.files / run.wallS, 0),
    column(runs, (run) => run.cpuS, 2),
    column(runs, (run) => run.apiCpuS, 2),
    column(runs, (run) => run.nginxCpuS, 2),
    column(runs, (run) => run.apiConnections, 0),
    column(runs, (run) => run.storeConnections, 0),
    column(runs, (run) => run.maxRssMiB, 0),
  ]);
  const notes = https.tools.flatMap((tool) => incomplete(tool.name, tool.runs, expected));
  const header = [
    "transport",
    "wall s",
    "files/s",
    "dci-mirror CPU s (user+sys)",
    "sandbox CPU s",
    "nginx CPU s",
    "API connections",
    "store connections",
    "peak RSS MiB",
  ];
  return withNotes([table(header, rows)], notes);
}

function ratioTable(https) {
  const rows = [
    [
      "wall s",
      spread(
        ratios(https, (run) => run.wallS),
        3,
      ),
    ],
    [
      "dci-mirror CPU s",
      spread(
        ratios(https, (run) => run.cpuS),
        3,
      ),
    ],
    [
      "sandbox CPU s",
      spread(
        ratios(https, (run) => run.apiCpuS),
        3,
      ),
    ],
    [
      "nginx CPU s",
      spread(
        ratios(https, (run) => run.nginxCpuS),
        3,
      ),
    ],
  ];
  const perRun = ratios(https, (run) => run.wallS)
    .map((ratio, index) => `${index + 1}: ${fixed(ratio, 3)}`)
    .join(", ");
  return [
    table(["HTTPS ÷ HTTP, run by run", "median (min–max)"], rows),
    "",
    `Wall-time ratio of each repetition: ${perRun}.`,
  ].join("\n");
}

/** The target row for the report's Targets table: [target, measured, met]. */
export function httpsTargetRow(https) {
  const values = ratios(https, (run) => run.wallS);
  const { median } = summarize(values);
  return [
    "HTTPS many: wall ≤ 1.10× plain HTTP (loopback)",
    `${spread(values, 3)}×`,
    median <= MAX_SLOWDOWN ? "yes" : "no",
  ];
}

/** The HTTPS section (`level` is the heading's `#`s) as markdown lines. */
export function httpsSection(https, level = "##") {
  const files = https.expected.files.toLocaleString("en-US");
  return [
    `${level} HTTPS: full sync of many (${files} files) over TLS and over plain HTTP`,
    "",
    `dci-mirror --jobs 16 mirrors many twice per repetition, over plain HTTP (the sandbox API and nginx's quiet port, as in the many table) and over HTTPS (\`bench/https.js\`): another sandbox of the same catalog serves its API over TLS and presigns URLs of nginx's TLS listener (\`listen … ssl\`, TLS 1.2–1.3, the same root and keep-alive settings). One throw-away CA (\`generateCertificates\`, ECDSA P-256) signs the certificate both servers use; dci-mirror trusts it with \`--ca-file\`. The two runs of a repetition follow each other, their order rotated, and each ratio is HTTPS ÷ HTTP of the same repetition (above 1: HTTPS is slower). **sandbox CPU** is the bench process (signed API, presigning, and over HTTPS its TLS) during the run; **nginx CPU** is its workers' user+sys from /proc (over TLS nginx encrypts in user space; \`sendfile\` does nothing without kTLS). **Connections**: those the sandbox API and nginx accepted during the run (over HTTPS, one TLS handshake each; nginx's from its \`stub_status\` counter). The ${files} files hold ${fixed(https.expected.bytes / 1e6, 1)} MB.`,
    "",
    runsTable(https),
    "",
    ratioTable(https),
  ];
}

/** The whole report of an HTTPS-only run, as markdown. */
export function renderHttpsReport(results) {
  const { https } = results;
  const runs = https.tools.flatMap((tool) => tool.runs);
  const [target, measured, met] = httpsTargetRow(https);
  return [
    "# dci-mirror benchmarks: HTTPS only",
    "",
    `Measured ${results.date} by \`${results.command}\` in ${fixed(results.totalS / 60, 1)} min, on commit ${results.revision}. Every figure is the median of ${results.runs} runs, with (min–max); ratios are taken run by run. The destination is removed and \`sync\` is run before each run. The full bench (\`npm run bench\`) runs this scenario too and keeps its results in BENCHMARKS.md; this file is only for HTTPS-only runs.`,
    "",
    loadSentence(runs),
    "",
    machineSentence(results.machine),
    "",
    ...httpsSection(https),
    "",
    `Target: ${target}: measured ${measured}, met: ${met}.`,
    "",
  ].join("\n");
}
