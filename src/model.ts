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
