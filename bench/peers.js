// The peers: well-known downloaders given the plain nginx URLs of the same files (no API call, no
// verification), each at the concurrency dci-mirror uses (JOBS) where it has such a knob. `origin`
// is nginx's, or the WAN scenario's store proxy in front of it.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { JOBS as CONCURRENCY } from "./dci.js";

const FLOOR_SCRIPT = new URL("./node-floor.js", import.meta.url).pathname;

/** The URL path of an object key, encoded the way the sandbox's presigned URLs encode it. */
function urlOf(origin, componentId, path) {
  const key = [componentId, ...path.split("/")].map((segment) => encodeURIComponent(segment));
  return `${origin}/${key.join("/")}`;
}

function curlQuote(text) {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/**
 * Writes the URL lists of `files` (paths relative to the component) into `dir` and returns the
 * peer commands; each runs with the destination folder as its working directory, with
 * `concurrency` transfers (connections) at most.
 */
export async function peerCommands({
  tools,
  origin,
  componentId,
  files,
  dir,
  name,
  concurrency = CONCURRENCY,
}) {
  const urls = files.map((file) => urlOf(origin, componentId, file.path));
  const plainList = join(dir, `${name}.urls`);
  const curlConfig = join(dir, `${name}.curl`);
  const ariaList = join(dir, `${name}.aria2`);
  await writeFile(plainList, `${urls.join("\n")}\n`);
  await writeFile(
    curlConfig,
    files
      .map((file, index) => `url = ${curlQuote(urls[index])}\noutput = ${curlQuote(file.path)}\n`)
      .join(""),
  );
  await writeFile(
    ariaList,
    files.map((file, index) => `${urls[index]}\n  out=${file.path}\n`).join(""),
  );
  const curlParallel = {
    key: "curl-parallel",
    name: `curl --parallel --parallel-max ${concurrency}`,
    command: tools.curl,
    args: [
      "--parallel",
      "--parallel-max",
      String(concurrency),
      "--create-dirs",
      "--no-progress-meter",
      "--fail",
      "--config",
      curlConfig,
    ],
  };
  const aria2 = {
    key: "aria2",
    name: `aria2c -j${concurrency} -x1`,
    command: tools.aria2c,
    args: [
      `-j${concurrency}`,
      // The default, stated: one connection per file, so -j bounds the connections. aria2 keeps
      // them alive (--enable-http-keep-alive defaults to true) and reuses them across files.
      "-x1",
      "--input-file",
      ariaList,
      "--dir",
      ".",
      // Preallocating would write every big file twice; dci-mirror does not preallocate either.
      "--file-allocation=none",
      "--auto-file-renaming=false",
      "--console-log-level=warn",
      "--summary-interval=0",
      "--download-result=hide",
      "--quiet",
    ],
  };
  const wget2 = {
    key: "wget2",
    name: `wget2 --max-threads=${concurrency}`,
    command: tools.wget2,
    args: [
      `--max-threads=${concurrency}`,
      "--input-file",
      plainList,
      // Keep the tree: drop the host and the component-id folder, as dci-mirror does.
      "--force-directories",
      "--no-host-directories",
      "--cut-dirs=1",
      "--directory-prefix",
      ".",
      "--quiet",
    ],
  };
  // One process, one connection, one file after another: the `curl -o FILE` baseline.
  const curlSequential = {
    key: "curl-o",
    name: "curl -o FILE (one after another)",
    command: tools.curl,
    args: [
      "--create-dirs",
      "--no-progress-meter",
      "--fail",
      ...files.flatMap((file, index) => ["-o", file.path, urls[index]]),
    ],
  };
  // Not a peer a lab admin would script, but the reference for what Node itself costs: see
  // node-floor.js. The gap between it and the C peers is Node's; the gap between dci-mirror and it
  // is the API call, the temp-file-and-rename placement and the fsync.
  const nodeFloor = {
    key: "node-floor",
    name: `Node floor (undici + sha256 + write), ${concurrency} jobs`,
    command: process.execPath,
    args: [FLOOR_SCRIPT, plainList, String(concurrency)],
  };
  return { curlParallel, aria2, wget2, curlSequential, nodeFloor };
}
