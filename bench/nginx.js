// nginx as the object store behind the sandbox's presigned redirects: a config of our own in the
// temp dir, bound to 127.0.0.1 only, run in the foreground so its PID is ours to stop.
import { spawn, spawnSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { get } from "node:http";
import { connect, createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released for nginx to take). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * The HTTPS server block: the same root and keep-alive as the quiet one (set in `http`), no access
 * log. TLS 1.3 named, since nginx 1.22 (Debian 12's) leaves it out of its default ssl_protocols;
 * Node offers it first. sendfile stays on but does nothing here: without kTLS every byte goes
 * through user space to be encrypted, which is part of what this listener measures.
 */
function tlsServer({ dir, root, tlsPort }) {
  return `  server {
    listen 127.0.0.1:${tlsPort} ssl;
    root ${root};
    ssl_certificate ${join(dir, "cert.pem")};
    ssl_certificate_key ${join(dir, "key.pem")};
    ssl_protocols TLSv1.2 TLSv1.3;
  }
`;
}

function config({ dir, root, quietPort, loggedPort, tlsPort, accessLog }) {
  return `# Written by bench/run.js; removed with its temp dir.
worker_processes auto;
daemon off;
pid ${join(dir, "nginx.pid")};
error_log ${join(dir, "error.log")} warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  keepalive_timeout 300s;
  default_type application/octet-stream;
  client_body_temp_path ${join(dir, "client_body")};
  proxy_temp_path ${join(dir, "proxy")};
  fastcgi_temp_path ${join(dir, "fastcgi")};
  uwsgi_temp_path ${join(dir, "uwsgi")};
  scgi_temp_path ${join(dir, "scgi")};
  # $uri last: it is the only field that could hold a space ($http_range is "-" when absent).
  log_format bench '$status $body_bytes_sent $bytes_sent $http_range $uri';
  # Throughput runs: no access log, nothing but sendfile (and nginx's counters, for the HTTPS runs).
  server { listen 127.0.0.1:${quietPort}; root ${root}; location = ${STATUS_PATH} { stub_status; } }
  # No-op resync and resume runs: every request is logged, to be counted.
  server { listen 127.0.0.1:${loggedPort}; root ${root}; access_log ${accessLog} bench; }
${tlsPort === undefined ? "" : tlsServer({ dir, root, tlsPort })}}
`;
}

/** stub_status on the quiet port: a path no corpus file has (object keys start with an id). */
const STATUS_PATH = "/.bench-nginx-status";

/**
 * Connections nginx has accepted so far (every listener), from stub_status. The request goes on a
 * connection of its own (no agent), so the count includes exactly that one.
 */
function acceptedConnections(quietPort) {
  return new Promise((resolve, reject) => {
    const request = get({ host: "127.0.0.1", port: quietPort, path: STATUS_PATH, agent: false });
    request.once("error", reject);
    request.once("response", (response) => {
      let text = "";
      response.setEncoding("utf8").on("data", (chunk) => {
        text += chunk;
      });
      response.once("end", () => {
        // "Active connections: 1 \nserver accepts handled requests\n 7 7 9 \n..."
        const counts = /server accepts handled requests\s+(\d+)/.exec(text);
        resolve(counts === null ? Number.NaN : Number(counts[1]));
      });
    });
  });
}

/** Clock ticks per second of /proc's CPU times (100 on Linux/x86 and most others). */
function clockTicksPerS() {
  const ticks = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout);
  return ticks > 0 ? ticks : 100;
}

/**
 * User+sys CPU seconds the master's children (the workers) have used so far, from /proc; NaN
 * when /proc does not list them (no CONFIG_PROC_CHILDREN, or not Linux).
 */
async function workersCpuS(masterPid, ticksPerS) {
  try {
    const children = await readFile(`/proc/${masterPid}/task/${masterPid}/children`, "utf8");
    let ticks = 0;
    for (const pid of children.trim().split(/\s+/).filter(Boolean)) {
      const stat = await readFile(`/proc/${pid}/stat`, "utf8");
      // Fields after the command (which may hold spaces): state is 3rd, utime 14th, stime 15th.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks / ticksPerS;
  } catch {
    return Number.NaN;
  }
}

/**
 * Starts nginx serving `root` on two 127.0.0.1 ports (quiet, logged), and on a third over HTTPS
 * when `tls` ({ certPem, keyPem }) is given; resolves once every port accepts connections.
 * `workersCpuS()` is the workers' CPU so far and `acceptedConnections()` the connections accepted
 * so far, its own included (a run's is the difference around it, minus 1); `stop()`
 * signals the master by its PID and waits for it to exit.
 */
export async function startNginx({ nginxPath, dir, root, tls }) {
  await mkdir(dir, { recursive: true });
  const quietPort = await freePort();
  const loggedPort = await freePort();
  const tlsPort = tls === undefined ? undefined : await freePort();
  const accessLog = join(dir, "access.log");
  const confPath = join(dir, "nginx.conf");
  await writeFile(accessLog, "");
  if (tls !== undefined) {
    await writeFile(join(dir, "cert.pem"), tls.certPem);
    // Read by the master before it drops to `nobody`: the owner alone may read the key.
    await writeFile(join(dir, "key.pem"), tls.keyPem, { mode: 0o600 });
  }
  await writeFile(confPath, config({ dir, root, quietPort, loggedPort, tlsPort, accessLog }));
  // -e: the error log before the config is read; the default (/var/log/nginx) may not be writable.
  const child = spawn(nginxPath, ["-p", dir, "-c", confPath, "-e", join(dir, "error.log")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const ticksPerS = clockTicksPerS();
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (text) => {
    stderr += text;
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  const stop = async () => {
    if (hasExited) return;
    child.kill("SIGTERM");
    await exited;
  };
  const ports = [quietPort, loggedPort, ...(tlsPort === undefined ? [] : [tlsPort])];
  const isListening = async () => {
    for (const port of ports) if (!(await canConnect(port))) return false;
    return true;
  };
  for (let waitedMs = 0; ; waitedMs += 50) {
    if (hasExited) throw new Error(`nginx exited at start: ${stderr.trim()}`);
    if (await isListening()) break;
    if (waitedMs > 10_000) {
      await stop();
      throw new Error(`nginx did not listen within 10 s: ${stderr.trim()}`);
    }
    await sleep(50);
  }
  return {
    pid: child.pid,
    quietOrigin: `http://127.0.0.1:${quietPort}`,
    loggedOrigin: `http://127.0.0.1:${loggedPort}`,
    tlsOrigin: tlsPort === undefined ? undefined : `https://127.0.0.1:${tlsPort}`,
    accessLog,
    workersCpuS: () => workersCpuS(child.pid, ticksPerS),
    acceptedConnections: () => acceptedConnections(quietPort),
    stop,
  };
}
