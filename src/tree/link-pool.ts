/**
 * Files already on disk, by content: the verified entries of some component folders (kept
 * snapshots, the plain mirror) indexed by sha256 and size, so a new compose can hard-link what it
 * already has instead of downloading it. An entry is only trusted while its file still matches the
 * record (lstat: a regular file of the same size, mtime and inode, reached through real folders):
 * a file changed or replaced since it was hashed is never offered.
 */
import type { Stats } from "node:fs";
import { lstat } from "node:fs/promises";
import { join, posix } from "node:path";
import type { VerifiedEntry } from "../model.js";
import { hasErrno, throwLocalIo } from "./io-errors.js";
import { readRecord } from "./record.js";
import { safeSegments } from "./safe-join.js";

/** A file that may stand in for a download: where it is, and what its record says of it. */
export interface LinkSource {
  /** The component folder whose record vouches for the file. */
  readonly folder: string;
  /** Its relative POSIX path in that folder. */
  readonly relPath: string;
  /** Its absolute path. */
  readonly path: string;
  readonly entry: VerifiedEntry;
}

function contentKey(sha256: string, sizeBytes: number): string {
  return `${sha256}/${sizeBytes}`;
}

/** True when `stats` (an lstat) is still the file the record entry describes. */
export function matchesEntry(stats: Stats, entry: VerifiedEntry): boolean {
  return (
    stats.isFile() &&
    stats.size === entry.sizeBytes &&
    stats.mtimeMs === entry.mtimeMs &&
    stats.ino === entry.ino
  );
}

/** The files of some component folders, by content; build one with `LinkPool.fromFolders`. */
export class LinkPool {
  readonly #candidates: ReadonlyMap<string, readonly LinkSource[]>;
  /** `folder\0relDir` of directories already seen to be real (no symlink on the way). */
  readonly #realDirs = new Set<string>();

  private constructor(candidates: ReadonlyMap<string, readonly LinkSource[]>) {
    this.#candidates = candidates;
  }

  /**
   * Indexes the records of `folders`, earlier folders first; a folder without a (valid) record
   * adds nothing, nor does an entry whose path is unsafe. Throws LocalIOError when a disk refuses.
   */
  static async fromFolders(folders: readonly string[], signal: AbortSignal): Promise<LinkPool> {
    const candidates = new Map<string, LinkSource[]>();
    for (const folder of folders) {
      const record = await readRecord(folder, signal);
      for (const [relPath, entry] of Object.entries(record?.files ?? {})) {
        const segments = trySegments(relPath);
        if (segments === undefined) continue;
        const key = contentKey(entry.sha256, entry.sizeBytes);
        const source = { folder, relPath, path: join(folder, ...segments), entry };
        const list = candidates.get(key);
        if (list === undefined) candidates.set(key, [source]);
        else list.push(source);
      }
    }
    return new LinkPool(candidates);
  }

  /** How many files the pool indexes (whether or not they still match). */
  get size(): number {
    let count = 0;
    for (const list of this.#candidates.values()) count += list.length;
    return count;
  }

  /**
   * The first indexed file of this content that still matches its record, or undefined. Throws
   * LocalIOError when a disk refuses (a file merely gone or changed is skipped).
   */
  async find(
    sha256: string,
    sizeBytes: number,
    signal: AbortSignal,
  ): Promise<LinkSource | undefined> {
    for (const source of this.#candidates.get(contentKey(sha256, sizeBytes)) ?? []) {
      signal.throwIfAborted();
      if (await this.#stillValid(source, signal)) return source;
    }
    return undefined;
  }

  async #stillValid(source: LinkSource, signal: AbortSignal): Promise<boolean> {
    try {
      if (!(await this.#throughRealDirs(source))) return false;
      return matchesEntry(await lstat(source.path), source.entry);
    } catch (error) {
      // Gone, or something other than a folder on its way (ELOOP: a link, never followed).
      if (hasErrno(error, "ENOENT", "ENOTDIR", "ELOOP")) return false;
      throwLocalIo(error, signal, "inspect", source.path);
    }
  }

  /** True when every folder between source.folder and the file is a real directory (lstat). */
  async #throughRealDirs(source: LinkSource): Promise<boolean> {
    let relDir = "";
    for (const segment of posix.dirname(source.relPath).split("/")) {
      if (segment === ".") break;
      relDir = relDir === "" ? segment : `${relDir}/${segment}`;
      const key = `${source.folder}\0${relDir}`;
      if (this.#realDirs.has(key)) continue;
      if (!(await lstat(join(source.folder, relDir))).isDirectory()) return false;
      this.#realDirs.add(key);
    }
    return true;
  }
}

function trySegments(relPath: string): string[] | undefined {
  try {
    return safeSegments(relPath);
  } catch {
    // A hand-edited record naming a path outside its folder vouches for nothing.
    return undefined;
  }
}
