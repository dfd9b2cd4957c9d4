/**
 * Builds sandbox components from simple specs (full relative paths, text or sized random content):
 * ids, etags and the directory list are derived, so tests can add a custom component in a few lines.
 */
import { deriveEtag, deriveUuid } from "./catalog-ids.js";
import type {
  ContentSpec,
  SandboxComponent,
  SandboxDirectory,
  SandboxFile,
  SandboxSymlink,
} from "./catalog-types.js";

/** A file by its full path relative to the component root (`BaseOS/x86_64/os/.treeinfo`). */
export interface FileInput {
  readonly path: string;
  readonly content: ContentSpec;
}

/** A symlink by its full path relative to the component root, and its target as stored. */
export interface SymlinkInput {
  readonly path: string;
  readonly destination: string;
}

export interface ComponentInput {
  readonly seed: string;
  readonly topicId: string;
  readonly name: string;
  readonly type: string;
  /** ISO 8601 without zone: `2024-04-19T05:12:33.512301`. */
  readonly createdAt: string;
  /** Defaults to `createdAt`. */
  readonly releasedAt?: string;
  /** Defaults to `createdAt`. */
  readonly updatedAt?: string;
  readonly tags?: readonly string[];
  readonly state?: SandboxComponent["state"];
  readonly teamId?: string | null;
  /** Defaults to `name`. */
  readonly displayName?: string;
  readonly files: readonly FileInput[];
  readonly symlinks?: readonly SymlinkInput[];
  readonly images?: readonly string[];
  readonly rawFilesList?: string;
}

/** A text file spec. */
export function textFile(path: string, text: string): FileInput {
  return { path, content: { kind: "text", text } };
}

/** A random (AES keystream) file spec; `key` selects the bytes. */
export function randomFile(path: string, key: string, sizeBytes: number): FileInput {
  return { path, content: { kind: "random", key, sizeBytes } };
}

/** Splits `a/b/c` into its directory (`a/b`, `""` at the root) and name (`c`). */
export function splitPath(fullPath: string): { readonly path: string; readonly name: string } {
  const slash = fullPath.lastIndexOf("/");
  return slash < 0
    ? { path: "", name: fullPath }
    : { path: fullPath.slice(0, slash), name: fullPath.slice(slash + 1) };
}

/** Every directory that holds a file or symlink, ancestors included, sorted by full path. */
export function directoriesOf(entryPaths: readonly string[]): SandboxDirectory[] {
  const seen = new Set<string>();
  for (const entryPath of entryPaths) {
    let directory = splitPath(entryPath).path;
    while (directory !== "" && !seen.has(directory)) {
      seen.add(directory);
      directory = splitPath(directory).path;
    }
  }
  return [...seen].sort().map((directory) => splitPath(directory));
}

/** Builds a component whose id and etag derive from the seed, topic, type and name. */
export function buildComponent(input: ComponentInput): SandboxComponent {
  const label = `component:${input.topicId}:${input.type}:${input.name}`;
  const files: SandboxFile[] = input.files.map((file) => ({
    ...splitPath(file.path),
    content: file.content,
  }));
  const symlinkInputs = input.symlinks ?? [];
  const symlinks: SandboxSymlink[] = symlinkInputs.map((link) => ({
    ...splitPath(link.path),
    destination: link.destination,
  }));
  const entryPaths = [...input.files, ...symlinkInputs].map((entry) => entry.path);
  return {
    id: deriveUuid(input.seed, label),
    topicId: input.topicId,
    name: input.name,
    displayName: input.displayName ?? input.name,
    version: input.name.replace(/^[A-Za-z]+-/, ""),
    type: input.type,
    tags: input.tags ?? [],
    state: input.state ?? "active",
    teamId: input.teamId ?? null,
    url: `https://download.sandbox.example/${input.type}/${encodeURIComponent(input.name)}`,
    createdAt: input.createdAt,
    releasedAt: input.releasedAt ?? input.createdAt,
    updatedAt: input.updatedAt ?? input.createdAt,
    etag: deriveEtag(input.seed, label),
    files,
    symlinks,
    directories: directoriesOf(entryPaths),
    ...(input.images ? { images: input.images } : {}),
    ...(input.rawFilesList === undefined ? {} : { rawFilesList: input.rawFilesList }),
  };
}
