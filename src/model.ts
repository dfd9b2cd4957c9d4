/**
 * Shared data types of dci-mirror: what the DCI API returns once checked, and what flows between
 * the stages of a mirror run. Types only, no values.
 */

export interface Identity {
  readonly id: string;
  readonly name: string | null;
  readonly teams: readonly IdentityTeam[];
}

export interface IdentityTeam {
  readonly id: string;
  readonly name: string;
  readonly state: string | null;
  readonly hasPreReleaseAccess: boolean;
}

export interface Topic {
  readonly id: string;
  readonly name: string;
  readonly productId: string | null;
  /** Lower-cased: old data may hold capitals. */
  readonly componentTypes: readonly string[];
  readonly exportControl: boolean;
  readonly state: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly nextTopicId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly etag: string;
}

export interface Component {
  readonly id: string;
  readonly topicId: string;
  readonly name: string;
  readonly displayName: string;
  /** Lower-cased component type, e.g. `compose`. */
  readonly type: string;
  readonly tags: readonly string[];
  readonly state: string;
  readonly teamId: string | null;
  readonly version: string | null;
  readonly url: string | null;
  readonly createdAt: string;
  readonly releasedAt: string | null;
  readonly etag: string;
}

/** One `--filter TYPE[:TAG]`: the newest active component of that type, with that tag if given. */
export interface ComponentFilter {
  /** Lower-cased component type. */
  readonly type: string;
  /** A tag the component must carry (case-sensitive); absent or "" means any. */
  readonly tag?: string | undefined;
}

/** One entry of `files` in `dci_files_list.json`. */
export interface FilesListFile {
  readonly path: string;
  readonly name: string;
  readonly sizeBytes: number;
  readonly sha256: string;
}

export interface FilesListSymlink {
  readonly path: string;
  readonly name: string;
  readonly destination: string;
}

export interface FilesListDirectory {
  readonly path: string;
  readonly name: string;
}

/** A component's manifest, `dci_files_list.json` (or `rhdl_files_list.json`), checked. */
export interface FilesList {
  readonly files: readonly FilesListFile[];
  readonly symlinks: readonly FilesListSymlink[];
  readonly directories: readonly FilesListDirectory[];
}

export interface Job {
  readonly id: string;
  readonly etag: string;
  readonly topicId: string;
  readonly state: string;
  readonly componentIds: readonly string[];
  readonly createdAt: string;
}

/** A page of a list endpoint: the items and `_meta.count`, the total before paging. */
export interface ListPage<T> {
  readonly items: readonly T[];
  readonly count: number;
}

/** A file to mirror, once filtered and validated: `path` is relative POSIX inside the component folder. */
export interface RemoteFile {
  readonly path: string;
  readonly sizeBytes: number;
  readonly sha256: string;
}

/** A symlink to create, once validated: `path` relative to the component folder, `target` as listed. */
export interface RemoteSymlink {
  readonly path: string;
  readonly target: string;
  /** The target resolved to a path relative to the component folder (always inside it). */
  readonly resolvedTarget: string;
}

/** A variant to keep, with its own debug and ISO switches (dci-downloader's variant objects). */
export interface VariantSpec {
  readonly name: string;
  readonly withDebug: boolean;
  readonly withIso: boolean;
}

/**
 * What to keep of a compose's files list, by dci-downloader's filter rules, plus globs applied
 * afterwards.
 */
export interface FilterSpec {
  /** `--all`: no compose filtering at all (globs still apply). */
  readonly all: boolean;
  /** Arches to keep; empty means every arch. */
  readonly arches: readonly string[];
  /** Variants to keep; empty means every variant, with `withDebug` and `withIso`. */
  readonly variants: readonly VariantSpec[];
  /** Debug trees when no variant is given. */
  readonly withDebug: boolean;
  /**
   * ISO images when no variant is given. dci-downloader keeps no ISO for `--iso` without
   * `--variant`; we keep them for every variant.
   */
  readonly withIso: boolean;
  /** `source/tree` of every variant. */
  readonly withSource: boolean;
  /** Keep only packages whose path contains one of these (literal) strings. */
  readonly packages: readonly string[];
  /** minimatch globs on the path relative to the component folder; empty: everything. */
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

/** One entry of the local tree, from lstat (links are never followed). */
export interface LocalEntry {
  readonly path: string;
  readonly kind: "file" | "symlink" | "directory" | "other";
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  readonly ino: number;
  /** The link text, for symlinks. */
  readonly linkTarget?: string;
}

/** What the verified-files record says of one file: its sha256 held as of this stat. */
export interface VerifiedEntry {
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  readonly ino: number;
  readonly sha256: string;
}

/** Who holds a topic lock, as its lock file says. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

/** The record kept in `<component folder>/.dci-mirror/state.json`. */
export interface VerifiedRecord {
  readonly schema: "dci-mirror/state/1";
  readonly componentId: string;
  readonly componentName: string;
  /** The component's version; absent in records written before it was kept. */
  readonly componentVersion?: string | null;
  readonly files: Readonly<Record<string, VerifiedEntry>>;
}

/** A partial download on disk: bytes of one expected sha256 for one path. */
export interface PartialFile {
  readonly path: string;
  readonly sha256: string;
  readonly heldBytes: number;
}

/** What the planner decided for one path (sorted by path in a plan). */
export type Action =
  | { readonly kind: "skip"; readonly file: RemoteFile }
  | { readonly kind: "check"; readonly file: RemoteFile }
  | { readonly kind: "fetch"; readonly file: RemoteFile }
  | { readonly kind: "resume"; readonly file: RemoteFile; readonly heldBytes: number }
  | { readonly kind: "link"; readonly link: RemoteSymlink }
  | { readonly kind: "prune"; readonly path: string; readonly entryKind: LocalEntry["kind"] };

/** How one file ended in a run. */
export type Outcome =
  | {
      readonly kind: "downloaded" | "resumed" | "skipped" | "verified";
      readonly path: string;
      readonly bytesTransferred: number;
    }
  | {
      readonly kind: "failed";
      readonly path: string;
      readonly code: string;
      readonly message: string;
      readonly exitCode: number;
      readonly bytesTransferred: number;
    };

/** Forward proxies, as HTTP_PROXY/HTTPS_PROXY/NO_PROXY give them. */
export interface ProxySettings {
  readonly httpProxy?: string | undefined;
  readonly httpsProxy?: string | undefined;
  readonly noProxy?: string | undefined;
}
