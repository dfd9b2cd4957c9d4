// The markdown the bench prints and writes: one table per scenario, the targets, the machine.

import { httpsSection, httpsTargetRow } from "./https-report.js";
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
import { wanSection } from "./wan-report.js";

const MIB = 1024 * 1024;

const filesPerS = (run, expected) => expected.files / run.wallS;
const mbPerS = (run, expected) => expected.bytes / 1e6 / run.wallS;

/** Wall s, files/s, MB/s, CPU s and peak RSS of a set of runs, as table cells. */
function runColumns(runs, expected, filesDigits) {
  const column = (value, digits) => spread(runs.map(value), digits);
  return [
    column((run) => run.wallS, 2),
    column((run) => filesPerS(run, expected), filesDigits),
    column((run) => mbPerS(run, expected), 1),
    column((run) => run.cpuS, 2),
    column((run) => run.maxRssMiB, 0),
  ];
}

function syncTable(scenario, ratioOf) {
  const { expected, tools } = scenario;
  const rows = tools.map((tool) => [
    tool.name,
    ...runColumns(tool.runs, expected, expected.files < 100 ? 2 : 0),
    tool.key === "dci" ? "—" : spread(ratioOf(tool), 2),
  ]);
  const notes = tools.flatMap((tool) => incomplete(tool.name, tool.runs, expected));
  const header = [
    "tool",
    "wall s",
    "files/s",
    "MB/s",
    "CPU s (user+sys)",
    "peak RSS MiB",
    `dci-mirror ÷ peer (${scenario.ratioUnit})`,
  ];
  return withNotes([table(header, rows)], notes);
}

function apiNote(tool) {
  const values = tool.runs.map((run) => run.apiCpuS);
  return `Sandbox API CPU during the dci-mirror runs (signed API + presigning, in the bench process, not in dci-mirror's CPU column): ${spread(values, 2)} s.`;
}

function noopTable(noop) {
  const column = (key, digits) =>
    spread(
      noop.runs.map((run) => run[key]),
      digits,
    );
  const rows = [
    [
      "dci-mirror, unchanged mirror",
      column("wallS", 3),
      column("cpuS", 2),
      column("maxRssMiB", 0),
      column("nginxFileRequests", 0),
      column("nginxRequests", 0),
      column("gatewayFileCalls", 0),
    ],
  ];
  return table(
    [
      "run",
      "wall s",
      "CPU s",
      "peak RSS MiB",
      "file requests at nginx",
      "all requests at nginx",
      "gateway calls for files",
    ],
    rows,
  );
}

function resumeTable(resume) {
  const rows = resume.runs.map((run) => [
    String(run.rep + 1),
    fixed(run.onDiskBytes / MIB, 1),
    fixed(run.missingBytes / MIB, 1),
    fixed(run.fetchedBytes / MIB, 1),
    fixed((run.fetchedBytes - run.missingBytes) / MIB, 3),
    String(run.interrupted),
    String(run.rangeRequests),
    fixed(run.wallS, 2),
    fixed(run.cpuS, 2),
    fixed(run.maxRssMiB, 0),
    run.complete ? "yes" : "NO",
  ]);
  return table(
    [
      "run",
      "on disk at kill MiB",
      "missing MiB",
      "fetched on re-run MiB",
      "excess MiB",
      "interrupted files",
      "Range requests",
      "re-run wall s",
      "CPU s",
      "peak RSS MiB",
      "tree complete",
    ],
    rows,
  );
}

function sweepTable(sweep) {
  const { expected } = sweep;
  const rows = sweep.byJobs.map(({ jobs, runs }) => [
    String(jobs),
    ...runColumns(runs, expected, 0),
  ]);
  const notes = sweep.byJobs.flatMap(({ jobs, runs }) =>
    incomplete(`--jobs ${jobs}`, runs, expected),
  );
  const text = [
    table(["--jobs", "wall s", "files/s", "MB/s", "CPU s (user+sys)", "peak RSS MiB"], rows),
  ];
  text.push("", bestJobsSentence(sweep));
  return withNotes(text, notes);
}

/** The smallest --jobs within 5% of the fastest median: more concurrency than that buys nothing. */
export function bestJobs(sweep) {
  const medians = sweep.byJobs.map(({ jobs, runs }) => ({
    jobs,
    rate: summarize(runs.map((run) => filesPerS(run, sweep.expected))).median,
  }));
  const fastest = Math.max(...medians.map((entry) => entry.rate));
  const good = medians.filter((entry) => entry.rate >= fastest * 0.95);
  return { fastest: medians.find((entry) => entry.rate === fastest), enough: good[0] };
}

function bestJobsSentence(sweep) {
  const { fastest, enough } = bestJobs(sweep);
  if (fastest === undefined || enough === undefined) return "No sweep result.";
  return `Fastest median: --jobs ${fastest.jobs} (${fixed(fastest.rate, 0)} files/s); the smallest --jobs within 5% of it: ${enough.jobs}. On a shared 2-core machine, differences of about 10% are within run-to-run noise; weigh them against the peak RSS column.`;
}

function toolByKey(scenario, key) {
  return scenario.tools.find((tool) => tool.key === key);
}

function targetRows(results, ratios) {
  const rows = [];
  const ratioTarget = (label, values, minimum) => {
    const { median } = summarize(values);
    rows.push([label, `${spread(values, 2)}×`, median >= minimum ? "yes" : "no"]);
  };
  ratioTarget("many: dci-mirror files/s ≥ 1.0× wget2", ratios.many.wget2 ?? [], 1.0);
  ratioTarget(
    "many: dci-mirror files/s ≥ 0.8× curl --parallel",
    ratios.many["curl-parallel"] ?? [],
    0.8,
  );
  ratioTarget("big: dci-mirror MB/s ≥ 0.9× curl -o FILE", ratios.big["curl-o"] ?? [], 0.9);
  const noopWall = results.noop.runs.map((run) => run.wallS);
  rows.push([
    "no-op resync of the many mirror < 1 s wall",
    `${spread(noopWall, 3)} s`,
    summarize(noopWall).median < 1 ? "yes" : "no",
  ]);
  const noopRequests = Math.max(...results.noop.runs.map((run) => run.nginxFileRequests));
  rows.push([
    "no-op resync: no file request",
    `${noopRequests} (most in one run)`,
    noopRequests === 0 ? "yes" : "no",
  ]);
  const excessPerFile = results.resume.runs.map(
    (run) => (run.fetchedBytes - run.missingBytes) / Math.max(1, run.interrupted) / MIB,
  );
  const worstExcess = Math.max(...excessPerFile);
  rows.push([
    "resume: re-run fetches ≤ missing + 1 MiB per interrupted file",
    `worst excess ${fixed(worstExcess, 3)} MiB per interrupted file`,
    worstExcess <= 1 ? "yes" : "no",
  ]);
  const rss = allRuns(results, isDciTool).map((run) => run.maxRssMiB);
  const worstRss = Math.max(...rss);
  rows.push([
    "dci-mirror peak RSS < 150 MB everywhere",
    `highest ${fixed(worstRss, 0)} MiB (${fixed((worstRss * MIB) / 1e6, 0)} MB)`,
    worstRss * MIB < 150e6 ? "yes" : "no",
  ]);
  if (results.https !== undefined) rows.push(httpsTargetRow(results.https));
  return rows;
}

function ratiosOf(scenario, pick) {
  const dci = toolByKey(scenario, "dci");
  const out = {};
  for (const tool of scenario.tools) {
    if (tool.key !== "dci" && dci !== undefined)
      out[tool.key] = pairRatios(dci.runs, tool.runs, pick);
  }
  return out;
}

/** dci-mirror's rows: `dci`, and in the WAN table also `dci-no-prefetch`. */
function isDciTool(tool) {
  return tool.key === "dci" || tool.key.startsWith("dci-");
}

/**
 * Every measured run (of the many, big and WAN tools that `keep` keeps; the other scenarios, HTTPS
 * included, run dci-mirror alone), for the load and RSS lines.
 */
function allRuns(results, keep = () => true) {
  return [
    ...results.many.tools.filter(keep).flatMap((tool) => tool.runs),
    ...results.big.tools.filter(keep).flatMap((tool) => tool.runs),
    ...results.noop.runs,
    ...results.resume.runs,
    ...results.sweep.byJobs.flatMap(({ runs }) => runs),
    ...(results.https?.tools ?? []).flatMap((tool) => tool.runs),
    ...(results.wan?.tools ?? []).filter(keep).flatMap((tool) => tool.runs),
    ...(results.wan?.sweep ?? []).flatMap((entry) => entry.runs),
  ];
}

/** The whole report as markdown. */
export function renderReport(results) {
  const many = results.many;
  const big = results.big;
  const ratios = {
    many: ratiosOf(many, (run) => 1 / run.wallS),
    big: ratiosOf(big, (run) => 1 / run.wallS),
  };
  const withRatios = (scenario, scenarioRatios) =>
    syncTable(scenario, (tool) => scenarioRatios[tool.key] ?? []);
  const { machine, corpus } = results;
  const dciMany = toolByKey(many, "dci");
  const dciBig = toolByKey(big, "dci");
  const lines = [
    `# dci-mirror benchmarks`,
    "",
    `Measured ${results.date} by \`${results.command}\` in ${fixed(results.totalS / 60, 1)} min, on commit ${results.revision}. Every figure is the median of ${results.runs} runs, with (min–max); a ratio is taken run by run (dci-mirror's run and the peer's run of the same repetition), then summarised. Wall time is measured around the child process; CPU (user+sys) and peak RSS come from \`/usr/bin/time -v\`. MB = 10⁶ bytes. The order of the tools is rotated every repetition, the destination is removed and \`sync\` is run before each run.`,
    "",
    loadSentence(allRuns(results)),
    "",
    machineSentence(machine),
    "",
    `Corpora (generated by the sandbox's catalog, seed \`${corpus.seed}\`, written in ${fixed(corpus.generateS, 1)} s, served by nginx behind the sandbox API's presigned redirects): **many** = the newest RHEL-9.4 compose of \`size: "large"\` without its ISOs, ${corpus.many.files.toLocaleString("en-US")} files, ${fixed(corpus.many.bytes / 1e6, 1)} MB (1–100 KB packages plus repodata and metadata); **big** = its ${corpus.big.files} DVD ISOs of 1 GiB (${fixed(corpus.big.bytes / 1e6, 1)} MB). Content is incompressible AES-CTR keystream.`,
    "",
    "dci-mirror does the API calls (topic, components, files list, one signed gateway call per file, answered by a 302 to nginx) and verifies every sha256; the peers get the plain nginx URLs of the same files and verify nothing. The \"Node floor\" row is not a peer but a reference (`bench/node-floor.js`): undici GETs of the same nginx URLs, a sha256 of every body and a plain write, with no API call, no temp file, no rename and no fsync. Node's own cost is the gap between it and the C peers; dci-mirror's own cost is the gap between dci-mirror and it.",
    "",
    `## Full sync: many (${corpus.many.files.toLocaleString("en-US")} files)`,
    "",
    withRatios(many, ratios.many),
    "",
    dciMany === undefined ? "" : apiNote(dciMany),
    "",
    `## Full sync: big (${corpus.big.files} × 1 GiB)`,
    "",
    withRatios(big, ratios.big),
    "",
    dciBig === undefined ? "" : apiNote(dciBig),
    "",
    "## No-op resync of the unchanged many mirror",
    "",
    "The second and later runs over a complete mirror; requests counted in nginx's access log and the sandbox's request log during each run (the files list and images list are not file requests).",
    "",
    noopTable(results.noop),
    "",
    "## Resume after SIGKILL half-way through big",
    "",
    "dci-mirror is killed (SIGKILL) once about half of the bytes are on disk (partials included), then run again; nginx's access log gives the body bytes it sent during the re-run.",
    "",
    resumeTable(results.resume),
    "",
    "## dci-mirror --jobs sweep",
    "",
    `On ${results.sweep.description}.`,
    "",
    sweepTable(results.sweep),
    "",
    ...(results.https === undefined ? [] : [...httpsSection(results.https), ""]),
    ...(results.wan === undefined ? [] : [...wanSection(results.wan), ""]),
    "## Targets",
    "",
    table(["target", "measured", "met"], targetRows(results, ratios)),
    "",
  ];
  return lines.join("\n");
}
