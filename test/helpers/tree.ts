// Reads a mirrored folder back, for exact-tree assertions: every file's sha256 and every symlink.
import { createHash } from "node:crypto";
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import { join } from "node:path";

export interface TreeContent {
  /** Relative path → sha256 of the content. */
  readonly files: Map<string, string>;
  /** Relative path → link text. */
  readonly symlinks: Map<string, string>;
  readonly directories: Set<string>;
}

/** Walks `root` without following links; skips root-level `.dci-mirror*` bookkeeping. */
export async function readTree(root: string): Promise<TreeContent> {
  const content: TreeContent = { files: new Map(), symlinks: new Map(), directories: new Set() };
  async function walk(relDir: string): Promise<void> {
    const names = await readdir(join(root, relDir)).catch(() => [] as string[]);
    for (const name of names) {
      if (relDir === "" && name.startsWith(".dci-mirror")) continue;
      const rel = relDir === "" ? name : `${relDir}/${name}`;
      const info = await lstat(join(root, rel));
      if (info.isSymbolicLink()) content.symlinks.set(rel, await readlink(join(root, rel)));
      else if (info.isDirectory()) {
        content.directories.add(rel);
        await walk(rel);
      } else
        content.files.set(
          rel,
          createHash("sha256")
            .update(await readFile(join(root, rel)))
            .digest("hex"),
        );
    }
  }
  await walk("");
  return content;
}
