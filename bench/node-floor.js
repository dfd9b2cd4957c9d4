// The Node.js floor: the least a Node downloader can do for the same job as the peers, for the
// report's "what stands in the way" comparison. undici GETs straight from nginx (no API call),
// sha256 of every body (as dci-mirror does), and a plain write under the file's name: no temp
// file, no rename, no fsync, no resume bookkeeping. Usage: node node-floor.js URL_LIST JOBS
// (run in the destination folder; paths come from the URLs, the component-id folder dropped).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, open } from "node:fs/promises";
import { dirname } from "node:path";
import { Agent, request } from "undici";

const [listPath, jobsText] = process.argv.slice(2);
const urls = readFileSync(listPath, "utf8").trim().split("\n");
const jobs = Number(jobsText);
const agent = new Agent({ connections: jobs });
const madeDirs = new Set();
let next = 0;
let failures = 0;

/** `http://host/<component id>/a/b%20c.rpm` → `a/b c.rpm`, as wget2 --cut-dirs=1 lays it out. */
function pathOf(url) {
  return new URL(url).pathname.split("/").slice(2).map(decodeURIComponent).join("/");
}

async function fetchOne(url) {
  const path = pathOf(url);
  const dir = dirname(path);
  if (!madeDirs.has(dir)) {
    await mkdir(dir, { recursive: true });
    madeDirs.add(dir);
  }
  const response = await request(url, { dispatcher: agent });
  if (response.statusCode !== 200) {
    await response.body.dump();
    failures++;
    return;
  }
  const hash = createHash("sha256");
  const handle = await open(path, "w");
  try {
    let queued = [];
    let queuedBytes = 0;
    for await (const chunk of response.body) {
      hash.update(chunk);
      queued.push(chunk);
      queuedBytes += chunk.length;
      if (queuedBytes >= 1024 * 1024) {
        await handle.writev(queued);
        queued = [];
        queuedBytes = 0;
      }
    }
    if (queued.length > 0) await handle.writev(queued);
  } finally {
    await handle.close();
  }
  hash.digest("hex");
}

async function worker() {
  while (next < urls.length) await fetchOne(urls[next++]);
}

await Promise.all(Array.from({ length: jobs }, worker));
await agent.close();
if (failures > 0) {
  console.error(`${failures} files failed`);
  process.exitCode = 1;
}
