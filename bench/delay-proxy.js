// A TCP proxy that makes a loopback server look far away, for the WAN scenario. Every chunk waits
// `oneWayMs` in each direction (order kept per direction), so a request and its answer on a
// kept-alive connection cost one round trip (2 × oneWayMs); a new connection forwards nothing
// before one more round trip (the TCP handshake a real WAN charges), so a tool that opens a
// connection per file pays for it. An optional cap limits each connection's bytes/s per direction.
// It counts the connections it accepts: that is how the bench sees which tools reuse them.
import { connect, createServer } from "node:net";

// Bytes held per direction before the sending side is paused. It bounds memory (two windows per
// connection) and acts as a window: one connection carries at most windowBytes per oneWayMs
// (2 MiB at 50 ms: 40 MB/s, far above what a lab's WAN link gives one connection).
const DEFAULT_WINDOW_BYTES = 2 * 1024 * 1024;
const END = Symbol("end");

/**
 * One direction of one connection: chunks from `source` are written to `target` once their time
 * has come. `openAtMs` is the earliest departure (the handshake); `rateBytesPerS` spaces the
 * departures as a link of that speed would (0: no cap).
 */
function delayedPipe({ source, target, oneWayMs, openAtMs, rateBytesPerS, windowBytes }) {
  const queue = [];
  let queuedBytes = 0;
  let lastDepartureMs = openAtMs;
  let timer;
  let isBlocked = false;

  const deliver = () => {
    clearTimeout(timer);
    timer = undefined;
    const nowMs = performance.now();
    while (queue.length > 0 && !isBlocked && queue[0].dueMs <= nowMs + 0.5) {
      const { chunk } = queue.shift();
      if (chunk === END) {
        target.end();
        return;
      }
      queuedBytes -= chunk.length;
      // false: the target's own buffer is full; wait for its drain before writing more.
      isBlocked = !target.write(chunk);
    }
    if (queuedBytes <= windowBytes / 2 && source.isPaused()) source.resume();
    schedule();
  };
  const schedule = () => {
    if (timer !== undefined || isBlocked || queue.length === 0) return;
    // Whole milliseconds, rounded up: a timer that fires early only reschedules itself.
    timer = setTimeout(deliver, Math.max(0, Math.ceil(queue[0].dueMs - performance.now())));
  };
  const push = (chunk, sizeBytes) => {
    // The chunk leaves when the link is free (at the capped rate) and arrives oneWayMs later.
    const departureMs = Math.max(performance.now(), lastDepartureMs);
    const sendMs = rateBytesPerS > 0 ? (sizeBytes * 1000) / rateBytesPerS : 0;
    lastDepartureMs = departureMs + sendMs;
    queue.push({ chunk, dueMs: lastDepartureMs + oneWayMs });
    schedule();
  };

  target.on("drain", () => {
    isBlocked = false;
    deliver();
  });
  source.on("data", (chunk) => {
    queuedBytes += chunk.length;
    push(chunk, chunk.length);
    if (queuedBytes > windowBytes) source.pause();
  });
  // A half-close travels like data: the peer sees the FIN after the bytes sent before it.
  source.on("end", () => push(END, 0));
  return {
    stop() {
      clearTimeout(timer);
      queue.length = 0;
    },
  };
}

/**
 * Starts the proxy on 127.0.0.1 (a free port) in front of `upstreamHost:upstreamPort`; resolves
 * once it listens. `counters()` gives the connections accepted since the last
 * `resetCounters()`, the most open at once since then, and those open now; `close()` stops
 * listening and destroys every connection.
 */
export async function startDelayProxy({
  upstreamHost,
  upstreamPort,
  oneWayMs,
  rateBytesPerS = 0,
  windowBytes = DEFAULT_WINDOW_BYTES,
}) {
  if (!(oneWayMs >= 0) || !(rateBytesPerS >= 0) || !(windowBytes > 0)) {
    throw new RangeError(
      `startDelayProxy: oneWayMs and rateBytesPerS must be ≥ 0 and windowBytes > 0, got ${JSON.stringify({ oneWayMs, rateBytesPerS, windowBytes })}`,
    );
  }
  const clients = new Set();
  const upstreams = new Set();
  const counts = { accepted: 0, peak: 0 };

  const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) => {
    const upstream = connect({ host: upstreamHost, port: upstreamPort, allowHalfOpen: true });
    clients.add(client);
    upstreams.add(upstream);
    counts.accepted += 1;
    counts.peak = Math.max(counts.peak, clients.size);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    // The handshake: the client's first bytes reach the server one round trip late.
    const openAtMs = performance.now() + 2 * oneWayMs;
    const settings = { oneWayMs, openAtMs, rateBytesPerS, windowBytes };
    const pipes = [
      delayedPipe({ source: client, target: upstream, ...settings }),
      delayedPipe({ source: upstream, target: client, ...settings }),
    ];
    let isClosed = false;
    const closeBoth = () => {
      if (isClosed) return;
      isClosed = true;
      for (const pipe of pipes) pipe.stop();
      client.destroy();
      upstream.destroy();
    };
    // Either side gone for good (error, reset, or both halves closed): the other goes too.
    client.on("close", () => clients.delete(client));
    upstream.on("close", () => upstreams.delete(upstream));
    for (const socket of [client, upstream]) {
      socket.on("error", closeBoth);
      socket.on("close", closeBoth);
    }
    // Paused on connect so that no byte arrives before the pipes listen.
    client.resume();
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    host: "127.0.0.1",
    port,
    counters: () => ({ ...counts, open: clients.size }),
    resetCounters() {
      counts.accepted = 0;
      counts.peak = clients.size;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of [...clients, ...upstreams]) socket.destroy();
      }),
  };
}
