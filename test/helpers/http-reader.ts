// A consumer of a published tree for the snapshot tests: a plain static web server over a folder
// (each request resolves its path anew, as web servers do) and a client that keeps reading a
// manifest (\`repodata/repomd.xml\`, whose text names its compose) and packages that name theirs.
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { join } from "node:path";

/** A plain static web server over `root` on 127.0.0.1: each request resolves its path anew. */
export async function serveFolder(root: string) {
  const server = createServer((request, response) => {
    readFile(join(root, decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname)))
      .then((body) => response.end(body))
      .catch(() => {
        response.statusCode = 404;
        response.end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * Reads the published tree over HTTP as a client would, until stopped: the manifest, the changed
 * packages, the manifest again. A look whose two manifests differ straddled a switch (any
 * publication has those: the client reads the new tree from then on) and is set aside; a look
 * with one manifest throughout must read that compose's packages, else it saw a mix.
 */
export function startReader(baseUrl: string, packages: readonly string[]) {
  let running = true;
  const seen: string[] = [];
  const mixes: string[] = [];
  let straddled = 0;
  const get = async (path: string) => {
    const response = await fetch(`${baseUrl}/${path}`);
    return response.ok ? (await response.text()).trim() : `HTTP ${response.status}`;
  };
  const loop = (async () => {
    while (running) {
      const before = await get("repodata/repomd.xml");
      const read = [];
      for (const path of packages) read.push(await get(path));
      const after = await get("repodata/repomd.xml");
      if (before !== after) straddled++;
      else if (read.some((text) => text !== before))
        mixes.push(`${before} listed, ${read.join("/")} read`);
      else seen.push(before);
    }
  })();
  return {
    seen,
    mixes,
    straddled: () => straddled,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}
