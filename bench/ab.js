// `npm run bench:ab -- [REF]`: this build against the build of another commit (default HEAD~1),
// alternating run by run in one process against one in-process sandbox, so that both meet the same
// machine state: a full sync into a fresh folder, then a no-op re-sync of it. Prints the medians
// and the ratios taken pair by pair, and writes bench/results/ab.md. Measures; asserts nothing.
//
// Knobs (environment): BENCH_AB_ROUNDS (pairs, default 10), BENCH_AB_SIZE (sandbox catalog size,
// default large: about 4,500 files in the x86_64 selection of RHEL-9.4).
import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSandbox } from "../dist/sandbox/server.js";
import { pairRatios, summarize } from "./stats.js";

const ROOT = new URL("..", import.meta.url).pathname;
const RESULTS = new URL("./results/ab.md", import.meta.url).pathname;
const REF = process.argv[2] ?? "HEAD~1";
const ROUNDS = Math.max(1, Number(process.env.BENCH_AB_ROUNDS ?? 10));
const SIZE = process.env.BENCH_AB_SIZE ?? "large";

const git = (...args) => execFileSync("git", ["-C", ROOT, ...args], { encoding: "utf8" }).trim();

/** Checks REF out beside this tree and builds it; returns its folder and a cleanup. */
async function buildOther(ref) {
  const folder = await mkdtemp(join(tmpdir(), "dci-mirror-ab-"));
  git("worktree", "add", "--detach", folder, ref);
  await symlink(join(ROOT, "node_modules"), join(folder, "node_modules"));
  execFileSync(
    process.execPath,
    [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"],
    {
      cwd: folder,
      stdio: "inherit",
    },
  );
  return { folder, remove: () => git("worktree", "remove", "--force", folder) };
}

/** Wall milliseconds of one CLI run of the build in `root`; rejects on a non-zero exit. */
function timed(root, args, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(root, "bin/dci-mirror.js"), ...args], {
      env,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("exit", (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`${root}: exit ${code}\n${stderr.slice(-2000)}`)),
    );
  });
}

function line(label, runsThis, runsOther, pick) {
  const mine = summarize(runsThis.map(pick));
  const theirs = summarize(runsOther.map(pick));
  const ratio = summarize(pairRatios(runsThis, runsOther, pick));
  const ms = (s) => `${Math.round(s.median)} (${Math.round(s.min)}–${Math.round(s.max)})`;
  return `| ${label} | ${ms(mine)} | ${ms(theirs)} | ${ratio.median.toFixed(3)} (${ratio.min.toFixed(3)}–${ratio.max.toFixed(3)}) |`;
}

async function main() {
  const other = await buildOther(REF);
  const sandbox = await startSandbox({ size: SIZE, seed: "dci-mirror-ab" });
  const env = {
    ...process.env,
    DCI_CS_URL: sandbox.csUrl,
    DCI_CLIENT_ID: sandbox.credentials.clientId,
    DCI_API_SECRET: sandbox.credentials.apiSecret,
  };
  const builds = { this: ROOT, other: other.folder };
  const runs = { this: [], other: [] };
  try {
    for (let rep = 0; rep < ROUNDS; rep++) {
      for (const name of rep % 2 === 0 ? ["this", "other"] : ["other", "this"]) {
        const dest = await mkdtemp(join(tmpdir(), "dci-mirror-ab-dest-"));
        const args = ["RHEL-9.4", dest, "--quiet", "--no-progress"];
        const full = await timed(builds[name], args, env);
        const noop = await timed(builds[name], args, env);
        await rm(dest, { recursive: true, force: true });
        runs[name].push({ rep, full, noop });
        console.log(
          `pair ${rep + 1}/${ROUNDS} ${name}: full ${full.toFixed(0)} ms, no-op ${noop.toFixed(0)} ms`,
        );
      }
    }
  } finally {
    await sandbox.close();
    other.remove();
  }
  const report = [
    `# A/B: ${git("rev-parse", "--short", "HEAD")} against ${REF} (${git("rev-parse", "--short", REF)})`,
    "",
    `${ROUNDS} pairs, alternating which build runs first, sandbox size ${SIZE}, measured ${new Date().toISOString().slice(0, 16)} UTC. Milliseconds, median (min–max); the ratio is this build's run over the other's in the same pair.`,
    "",
    "| scenario | this build, ms | other build, ms | this / other |",
    "|---|---|---|---|",
    line("full sync", runs.this, runs.other, (run) => run.full),
    line("no-op re-sync", runs.this, runs.other, (run) => run.noop),
    "",
  ].join("\n");
  await writeFile(RESULTS, report);
  console.log(`\n${report}`);
}

await main();
