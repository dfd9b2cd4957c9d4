// nginx as the object store behind the sandbox's presigned redirects: a config of our own in the
// temp dir, bound to 127.0.0.1 only, run in the foreground so its PID is ours to stop.
import { spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
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

function config({ dir, root, quietPort, loggedPort, accessLog }) {
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
  # Throughput runs: no access log, nothing but sendfile.
  server { listen 127.0.0.1:${quietPort}; root ${root}; }
  # No-op resync and resume runs: every request is logged, to be counted.
  server { listen 127.0.0.1:${loggedPort}; root ${root}; access_log ${accessLog} bench; }
}
`;
}

/**
 * Starts nginx serving `root` on two 127.0.0.1 ports (quiet, logged); resolves once both accept
 * connections. `stop()` signals the master by its PID and waits for it to exit.
 */
export async function startNginx({ nginxPath, dir, root }) {
  await mkdir(dir, { recursive: true });
  const quietPort = await freePort();
  const loggedPort = await freePort();
  const accessLog = join(dir, "access.log");
  const confPath = join(dir, "nginx.conf");
  await writeFile(accessLog, "");
  await writeFile(confPath, config({ dir, root, quietPort, loggedPort, accessLog }));
  // -e: the error log before the config is read; the default (/var/log/nginx) may not be writable.
  const child = spawn(nginxPath, ["-p", dir, "-c", confPath, "-e", join(dir, "error.log")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
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
  for (let waitedMs = 0; ; waitedMs += 50) {
    if (hasExited) throw new Error(`nginx exited at start: ${stderr.trim()}`);
    if ((await canConnect(quietPort)) && (await canConnect(loggedPort))) break;
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
    accessLog,
    stop,
  };
}
