// What a run left on disk, and a clean slate between runs.
import { execFile } from "node:child_process";
import { mkdir, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Regular files and their bytes under `dir`, symlinks not followed; dci-mirror's bookkeeping
 * (`.dci-mirror*`) and `images_list.yaml` are left out so every tool is counted alike.
 */
export async function treeStats(dir) {
  let files = 0;
  let bytes = 0;
  const walk = async (folder) => {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.name.startsWith(".dci-mirror") || entry.name === "images_list.yaml") continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) {
        files += 1;
        bytes += (await stat(path)).size;
      }
    }
  };
  await walk(dir);
  return { files, bytes };
}

/** Sizes of the files directly in `dir` whose names end with `suffix` (missing dir: none). */
export async function sizesIn(dir, suffix) {
  const names = await readdir(dir).catch(() => []);
  const sizes = [];
  for (const name of names.filter((candidate) => candidate.endsWith(suffix))) {
    const info = await stat(join(dir, name)).catch(() => undefined);
    if (info !== undefined) sizes.push(info.size);
  }
  return sizes;
}

/** Removes a tree (rm -rf is several times faster than fs.rm on 20,000 files). */
export async function removeTree(dir) {
  await run("rm", ["-rf", "--", dir]);
}

/** Flushes dirty pages, so each run starts with the same write-back debt (none). */
export async function syncDisks() {
  await run("sync");
}

/** An empty destination for one run: removed, recreated, and the disks synced. */
export async function freshDest(path) {
  await removeTree(path);
  await mkdir(path, { recursive: true });
  await syncDisks();
  return path;
}
