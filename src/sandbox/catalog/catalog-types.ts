/**
 * The sandbox's data model: what the built-in DCI server knows (identities, teams, products,
 * topics, components and their files). Field names follow the real DCI API; the
 * API server serialises these records, the object store serves their bytes.
 */
import type { Readable } from "node:stream";

/** How a file's bytes are made: literal text, or a deterministic keystream of a given size. */
export type ContentSpec =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "bytes"; readonly bytes: Uint8Array }
  /** Incompressible, seekable bytes derived from `key` (AES-CTR keystream); never held in memory. */
  | { readonly kind: "random"; readonly key: string; readonly sizeBytes: number };

export interface SandboxFile {
  /** Directory relative to the component root, `""` at the root, no leading or trailing `/`. */
  readonly path: string;
  readonly name: string;
  readonly content: ContentSpec;
}

export interface SandboxSymlink {
  readonly path: string;
  readonly name: string;
  readonly destination: string;
}

export interface SandboxDirectory {
  readonly path: string;
  readonly name: string;
}

export interface SandboxIdentity {
  readonly clientType: "remoteci" | "feeder";
  readonly id: string;
  readonly name: string;
  readonly secret: string;
  readonly teamId: string;
  readonly state: "active" | "inactive" | "archived";
}

export interface SandboxTeam {
  readonly id: string;
  readonly name: string;
  readonly state: "active" | "inactive";
  readonly hasPreReleaseAccess: boolean;
  /** Products whose topics this team may see. */
  readonly productIds: readonly string[];
  /** Teams whose private components this team may see. */
  readonly grantedByTeamIds: readonly string[];
}

export interface SandboxProduct {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly description: string;
  readonly createdAt: string;
}

export interface SandboxTopic {
  readonly id: string;
  readonly name: string;
  readonly productId: string;
  readonly componentTypes: readonly string[];
  readonly exportControl: boolean;
  readonly state: "active" | "inactive" | "archived";
  readonly data: Readonly<Record<string, unknown>>;
  readonly nextTopicId: string | null;
  /** ISO 8601 without zone, as the API prints it: `2024-04-19T05:12:33.512301`. */
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly etag: string;
}

export interface SandboxComponent {
  readonly id: string;
  readonly topicId: string;
  readonly name: string;
  readonly displayName: string;
  readonly version: string;
  readonly type: string;
  readonly tags: readonly string[];
  readonly state: "active" | "inactive" | "archived";
  readonly teamId: string | null;
  readonly url: string;
  readonly createdAt: string;
  readonly releasedAt: string;
  readonly updatedAt: string;
  readonly etag: string;
  readonly files: readonly SandboxFile[];
  readonly symlinks: readonly SandboxSymlink[];
  readonly directories: readonly SandboxDirectory[];
  /** Container image references for `images_list.yaml`; absent: the component has none. */
  readonly images?: readonly string[];
  /**
   * Replaces the generated `dci_files_list.json` text verbatim (for tests of hostile or broken
   * manifests). The `files` above are still what the object store serves.
   */
  readonly rawFilesList?: string;
}

export interface SandboxCatalog {
  readonly seed: string;
  readonly identities: readonly SandboxIdentity[];
  readonly teams: readonly SandboxTeam[];
  readonly products: readonly SandboxProduct[];
  readonly topics: readonly SandboxTopic[];
  readonly components: readonly SandboxComponent[];
}

/** One object of the object store, opened lazily for a byte range. */
export interface SandboxObject {
  readonly sizeBytes: number;
  /** Strong ETag, quoted: `"…"`. */
  readonly etag: string;
  readonly lastModified: Date;
  /** Streams bytes `start..endInclusive` of the object. */
  readonly read: (start: number, endInclusive: number) => Readable;
}

/**
 * Maps an object key (`<component id>/<file path>` for the v1 bucket, `rhdl/<display name>/files/
 * <file path>` for RHDL) to its object, or undefined when there is none (404 from the store).
 */
export type ObjectResolver = (objectKey: string) => SandboxObject | undefined;
