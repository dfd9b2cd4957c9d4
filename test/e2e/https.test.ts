// HTTPS as a lab has it: the real CLI against the sandbox over TLS, trusting its throw-away CA
// from each place a lab names one, refusing a certificate it cannot trust at the first connection
// with a message a person can act on, and going through an HTTP CONNECT proxy. One CA per file.
import { spawn } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { once } from "node:events";
import { access, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import {
  type GeneratedCertificates,
  generateCertificates,
} from "../../src/sandbox/tls/certificates.js";
import { startForwardProxy } from "../helpers/forward-proxy.js";
import { BIN, cleanEnv, runCli, sandboxEnv } from "../helpers/run-cli.js";

let sandbox: Sandbox;
let folder: string;
/** The sandbox's CA, as a file. */
let caPath: string;
/** A certificate for DNS:wrong.example only, from a CA of its own (written to wrongCaPath). */
let wrongHost: GeneratedCertificates;
let wrongCaPath: string;

beforeAll(async () => {
  [sandbox, wrongHost] = await Promise.all([
    startSandbox({ size: "tiny", https: true }),
    generateCertificates({ hosts: ["wrong.example"] }),
  ]);
  folder = await mkdtemp(join(tmpdir(), "dci-mirror-https-"));
  caPath = join(folder, "sandbox-ca.pem");
  wrongCaPath = join(folder, "wrong-host-ca.pem");
  await writeFile(caPath, sandbox.caCertificate ?? "");
  await writeFile(wrongCaPath, wrongHost.caPem);
});
afterAll(async () => {
  await sandbox.close();
  await rm(folder, { recursive: true, force: true });
});

const dest = () => mkdtemp(join(folder, "dest-"));
const portOf = (origin: string) => new URL(origin).port;
const firstError = (stderr: string) => JSON.parse(stderr.trim().split("\n")[0] ?? "");

describe("a sandbox over HTTPS", () => {
  it("serves the API and the object store on https:// origins, with its CA on the Sandbox", () => {
    expect(sandbox.csUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.storeUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(new X509Certificate(sandbox.caCertificate ?? "").ca).toBe(true);
  });

  it("is mirrored with --ca-file, every file downloaded over TLS", async () => {
    const target = await dest();
    const result = await runCli(
      ["RHEL-9.4", target, "--filter", "compose", "--ca-file", caPath, "--json"],
      sandboxEnv(sandbox),
    );
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    const [component] = JSON.parse(result.stdout).topics[0].components;
    expect(component.downloaded).toBeGreaterThan(0);
    expect(component.failed).toBe(0);
  });

  it.each(["NODE_EXTRA_CA_CERTS", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"])(
    "is trusted through %s (API calls and files lists over TLS)",
    async (variable) => {
      const target = await dest();
      const result = await runCli(
        ["plan", "RHEL-9.4", target, "--filter", "compose", "--json"],
        sandboxEnv(sandbox, { [variable]: caPath }),
      );
      expect(result.stderr).toBe("");
      expect(result.exitCode).toBe(0);
    },
  );
});

describe("a certificate that cannot be trusted", () => {
  it("stops at the first connection without its CA: exit 5, naming the host, the store trusted and how to add a CA", async () => {
    // Every connection goes through the proxy, so its log counts the attempts: one, no retry.
    const proxy = await startForwardProxy();
    try {
      const target = await dest();
      const result = await runCli(
        ["RHEL-9.4", target],
        sandboxEnv(sandbox, { HTTPS_PROXY: proxy.url }),
      );
      expect(result.exitCode).toBe(5);
      expect(result.stderr).toContain(`The TLS certificate of ${sandbox.csUrl} was refused`);
      expect(result.stderr).toContain("signed by a certificate authority that is not trusted");
      expect(result.stderr).toContain("Trusted: the system store (Node's built-in CA list) only.");
      for (const way of ["--ca-file FILE", "NODE_EXTRA_CA_CERTS=FILE", "REQUESTS_CA_BUNDLE=FILE"])
        expect(result.stderr).toContain(way);
      expect(result.stderr).toContain("A proxy is set");
      expect(proxy.seen).toEqual([`CONNECT 127.0.0.1:${portOf(sandbox.csUrl)}`]);
    } finally {
      await proxy.close();
    }
  });

  it("refuses a certificate made for another host even from a trusted CA, naming the name it is for", async () => {
    const wrong = await startSandbox({ size: "tiny", https: wrongHost });
    try {
      const result = await runCli(
        ["topics", "--ca-file", wrongCaPath, "--json"],
        sandboxEnv(wrong),
      );
      expect(result.exitCode).toBe(5);
      const error = firstError(result.stderr);
      expect(error).toMatchObject({ code: "TLS_CERT_WRONG_HOST", exitCode: 5 });
      expect(error.message).toContain(`The TLS certificate of ${wrong.csUrl} was refused`);
      expect(error.message).toContain("made for DNS:wrong.example, not for 127.0.0.1");
      expect(error.message).toContain(`${wrongCaPath} (--ca-file)`);
      expect(error.hint).toContain("a CA file does not change the name check");
    } finally {
      await wrong.close();
    }
  });

  it("stops at an object store whose certificate names another host, naming its origin and never the presigned query", async () => {
    const connections: string[] = [];
    const store: Server = createServer(
      { cert: wrongHost.certPem, key: wrongHost.keyPem },
      (_, res) => res.end(),
    );
    store.on("connection", () => connections.push("connection"));
    store.listen(0, "127.0.0.1");
    await once(store, "listening");
    const address = store.address();
    const storeOrigin = `https://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
    const lab = await startSandbox({ size: "tiny", https: true, externalStoreOrigin: storeOrigin });
    try {
      const labCa = join(folder, "lab-ca.pem");
      await writeFile(labCa, lab.caCertificate ?? "");
      const target = await dest();
      const result = await runCli(
        ["RHEL-9.4", target, "--filter", "compose", "--ca-file", labCa, "--json"],
        sandboxEnv(lab, { NODE_EXTRA_CA_CERTS: wrongCaPath }),
      );
      expect(result.exitCode).toBe(5);
      const error = firstError(result.stderr);
      expect(error.code).toBe("TLS_CERT_WRONG_HOST");
      expect(error.message).toContain(`The TLS certificate of ${storeOrigin} was refused`);
      expect(error.message).toContain(`${labCa} (--ca-file), ${wrongCaPath} (NODE_EXTRA_CA_CERTS)`);
      expect(result.stderr).not.toMatch(/X-Amz|Signature|\?/);
      expect(connections).toEqual(["connection"]);
    } finally {
      await lab.close();
      store.closeAllConnections();
      store.close();
    }
  });
});

describe("HTTPS through a forward proxy", () => {
  it("tunnels the API and the object store through HTTPS_PROXY with CONNECT", async () => {
    const proxy = await startForwardProxy();
    try {
      const target = await dest();
      const result = await runCli(
        ["RHEL-9.4", target, "--filter", "compose", "--ca-file", caPath],
        sandboxEnv(sandbox, { HTTPS_PROXY: proxy.url }),
      );
      expect(result.stderr).not.toContain("dci-mirror:");
      expect(result.exitCode).toBe(0);
      expect(proxy.seen).toContain(`CONNECT 127.0.0.1:${portOf(sandbox.csUrl)}`);
      expect(proxy.seen).toContain(`CONNECT 127.0.0.1:${portOf(sandbox.storeUrl)}`);
      expect(proxy.seen.every((line) => line.startsWith("CONNECT "))).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});

describe("CA files that cannot be used", () => {
  it("refuses a CA file it cannot read with exit 7, naming the file and where it was named", async () => {
    const missing = join(folder, "missing.pem");
    const result = await runCli(["topics"], sandboxEnv(sandbox, { REQUESTS_CA_BUNDLE: missing }));
    expect(result.exitCode).toBe(7);
    expect(result.stderr).toContain(
      `Cannot read the CA file ${missing} (named by REQUESTS_CA_BUNDLE)`,
    );
  });

  it("refuses a CA file without a PEM certificate with exit 2", async () => {
    const der = join(folder, "ca.der");
    await writeFile(der, Buffer.from([0x30, 0x82, 0x01, 0x0a]));
    const result = await runCli(["topics", "--ca-file", der], sandboxEnv(sandbox));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      `The CA file ${der} (named by --ca-file) holds no PEM certificate`,
    );
    expect(result.stderr).toContain("openssl x509 -inform der");
  });
});

/** Runs `dci-mirror sandbox ARGS` until it prints `until` on stdout; `stop()` sends Ctrl-C. */
async function serveSandbox(args: readonly string[], until: RegExp) {
  const child = spawn(process.execPath, [BIN, "sandbox", "--size", "tiny", ...args], {
    env: cleanEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  child.stdout.setEncoding("utf8");
  for await (const chunk of child.stdout) {
    stdout += chunk;
    if (until.test(stdout)) break;
  }
  const exited = once(child, "exit");
  return {
    stdout,
    stop: async () => {
      child.kill("SIGINT");
      const [code] = await exited;
      return code;
    },
  };
}

describe("dci-mirror sandbox --https", () => {
  it("writes its CA where --ca-out says, prints how to trust it, and serves clients that do", async () => {
    const caOut = join(folder, "served-ca.pem");
    const served = await serveSandbox(["--https", "--ca-out", caOut], /Press Ctrl-C/);
    try {
      expect(served.stdout).toContain(`export NODE_EXTRA_CA_CERTS='${caOut}'`);
      expect(served.stdout).toContain(`--ca-file ${caOut}`);
      const variables = Object.fromEntries(
        [...served.stdout.matchAll(/export (DCI_\w+)='([^']*)'/g)].map((m) => [m[1], m[2]]),
      );
      expect(variables["DCI_CS_URL"]).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const result = await runCli(["identity", "--ca-file", caOut], cleanEnv(variables));
      expect(result.exitCode).toBe(0);
    } finally {
      expect(await served.stop()).toBe(0);
    }
    expect(new X509Certificate(await readFile(caOut)).ca).toBe(true);
  });

  it("keeps its CA in a temporary folder while it runs, named in --json, and removes it at the end", async () => {
    const served = await serveSandbox(["--https", "--json"], /\n/);
    const { caFile, DCI_CS_URL } = JSON.parse(served.stdout);
    expect(DCI_CS_URL).toMatch(/^https:/);
    await access(caFile);
    expect(await served.stop()).toBe(0);
    await expect(readdir(join(caFile, ".."))).rejects.toThrow(/ENOENT/);
  });

  it("refuses --ca-out without --https", async () => {
    const result = await runCli(["sandbox", "--ca-out", join(folder, "x.pem")]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("add --https");
  });
});
