// HTTPS many: dci-mirror's full sync of many over plain HTTP (the quiet sandbox and nginx port)
// and over HTTPS (a sandbox serving its API over TLS and presigning URLs of nginx's TLS port),
// both certificates signed by one throw-away CA that dci-mirror is given with --ca-file. The two
// alternate within each repetition, the order rotated, so each ratio compares runs made under the
// same machine state.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startSandbox } from "../dist/sandbox/server.js";
import { generateCertificates } from "../dist/sandbox/tls/certificates.js";
import { JOBS, runDci } from "./dci.js";
import { freshDest, removeTree, treeStats } from "./disk.js";
import { throwIfInterrupted } from "./measure.js";
import { rotate } from "./stats.js";

/**
 * One CA and a server certificate for 127.0.0.1 and localhost (nginx's TLS listener and the
 * sandbox's API share it); the CA is written to `<work>/ca.pem` for --ca-file.
 */
export async function benchCertificates(work) {
  const certificates = await generateCertificates({ hosts: ["127.0.0.1", "localhost"] });
  const caPath = join(work, "ca.pem");
  await writeFile(caPath, certificates.caPem);
  return { ...certificates, caPath };
}

/** A sandbox of `catalog` over HTTPS, presigning URLs of nginx's TLS listener. */
export function startHttpsSandbox({ catalog, nginx, certificates }) {
  if (nginx.tlsOrigin === undefined) throw new Error("nginx was started without its TLS listener");
  const { certPem, keyPem, caPem } = certificates;
  return startSandbox({
    ...catalog,
    externalStoreOrigin: nginx.tlsOrigin,
    https: { certPem, keyPem, caPem },
  });
}

function describeRun(ctx, name, rep, run, expected) {
  const onDisk = run.files === expected.files ? "" : `, ${run.files} files on disk`;
  ctx.log(
    `  ${name.padEnd(40)} run ${rep + 1}/${ctx.runs}: ${run.wallS.toFixed(2)} s, ${(expected.files / run.wallS).toFixed(0)} files/s, CPU ${run.cpuS.toFixed(2)} s, sandbox ${run.apiCpuS.toFixed(2)} s, nginx ${run.nginxCpuS.toFixed(2)} s, connections API ${run.apiConnections} store ${run.storeConnections}, RSS ${run.maxRssMiB.toFixed(0)} MiB, exit ${run.exitCode}${onDisk}`,
  );
}

/**
 * dci-mirror (--jobs 16) on many over HTTP and over HTTPS, `ctx.runs` times each, the order
 * rotated every repetition; each run also records the CPU nginx's workers used meanwhile and the
 * connections (so TLS handshakes) the sandbox API and nginx accepted.
 */
export async function httpsMany(ctx, { sandbox, caPath }) {
  const expected = ctx.expected.many;
  ctx.log(`https: full sync of many over HTTP and HTTPS, ${ctx.runs} runs of each`);
  const entries = [
    { key: "http", name: `dci-mirror --jobs ${JOBS}, HTTP`, sandbox: ctx.quiet, extraArgs: [] },
    {
      key: "https",
      name: `dci-mirror --jobs ${JOBS}, HTTPS (--ca-file)`,
      sandbox,
      extraArgs: ["--ca-file", caPath],
    },
  ].map((entry) => ({ ...entry, runs: [] }));
  for (let rep = 0; rep < ctx.runs; rep++) {
    for (const entry of rotate(entries, rep)) {
      const dest = await freshDest(join(ctx.work, "dest", `https-${entry.key}`));
      const nginxBefore = await ctx.nginx.workersCpuS();
      const acceptedBefore = await ctx.nginx.acceptedConnections();
      const apiBefore = entry.sandbox.traffic.api.connections;
      const result = await runDci({
        timePath: ctx.tools.time,
        logDir: ctx.logDir,
        sandbox: entry.sandbox,
        dest,
        scope: "many",
        jobs: JOBS,
        extraArgs: entry.extraArgs,
        label: `https-${entry.key}-${rep + 1}`,
      });
      const nginxCpuS = (await ctx.nginx.workersCpuS()) - nginxBefore;
      // Minus the status request's own connection, made after the run.
      const storeConnections = (await ctx.nginx.acceptedConnections()) - acceptedBefore - 1;
      const apiConnections = entry.sandbox.traffic.api.connections - apiBefore;
      throwIfInterrupted();
      const run = {
        rep,
        ...result,
        nginxCpuS,
        apiConnections,
        storeConnections,
        ...(await treeStats(dest)),
      };
      entry.runs.push(run);
      describeRun(ctx, entry.name, rep, run, expected);
      await removeTree(dest);
    }
  }
  return { expected, tools: entries.map(({ key, name, runs }) => ({ key, name, runs })) };
}
