/**
 * The RHEL composes of the sandbox catalog. RHEL-9.4 has several composes over time so that
 * "latest" (newest `created_at`, the downloader's rule), "latest with tag milestone" and the API's
 * default order (`-released_at`) all pick different components.
 */
import type { SandboxComponent } from "./catalog-types.js";
import { buildComponent } from "./component-builder.js";
import { composeLayout } from "./compose-layout.js";

export interface ComposeSizing {
  /** Files per full-size compose (the active RHEL-9.4 composes). */
  readonly fileCount: number;
  /** Files per secondary compose (other topics, inactive, archived, noinstall). */
  readonly secondaryFileCount: number;
  readonly dvdIsoBytes: number;
  readonly bootIsoBytes: number;
  readonly bigIsos?: { readonly count: number; readonly sizeBytes: number };
}

interface ComposeRow {
  readonly topic: string;
  readonly type: "compose" | "compose-noinstall";
  readonly name: string;
  readonly tags: readonly string[];
  /** Default: active. */
  readonly state?: SandboxComponent["state"];
  readonly createdAt: string;
  /** Differs from `createdAt` for one compose, so the two orders disagree. */
  readonly releasedAt?: string;
  readonly isFullSize?: boolean;
  /** The compose that receives the big benchmark ISOs: the newest active one. */
  readonly isNewest?: boolean;
}

const RHEL_94 = { topic: "RHEL-9.4", type: "compose" } as const;
const RHEL_94_NOINSTALL = { topic: "RHEL-9.4", type: "compose-noinstall" } as const;

const COMPOSES: readonly ComposeRow[] = [
  {
    ...RHEL_94,
    name: "RHEL-9.4.0-20240409.0",
    tags: [],
    state: "archived",
    createdAt: "2024-04-09T03:10:11.100214",
  },
  {
    ...RHEL_94,
    name: "RHEL-9.4.0-20240410.1",
    tags: ["milestone", "build:Beta"],
    createdAt: "2024-04-10T06:21:07.340112",
    isFullSize: true,
  },
  {
    ...RHEL_94,
    name: "RHEL-9.4.0-20240415.2",
    tags: ["nightly"],
    createdAt: "2024-04-15T04:02:55.873001",
    // Re-released after 20240419.5 was created: `-released_at` puts it before that one.
    releasedAt: "2024-04-20T09:14:02.000731",
    isFullSize: true,
  },
  {
    ...RHEL_94,
    name: "RHEL-9.4.0-20240419.5",
    tags: ["milestone", "build:RC"],
    createdAt: "2024-04-19T05:12:33.512301",
    isFullSize: true,
  },
  {
    ...RHEL_94,
    name: "RHEL-9.4.0-20240422.0",
    tags: ["nightly"],
    createdAt: "2024-04-22T04:45:18.220934",
    isFullSize: true,
    isNewest: true,
  },
  {
    ...RHEL_94,
    name: "RHEL-9.4.0-20240423.1",
    tags: ["nightly"],
    state: "inactive",
    createdAt: "2024-04-23T05:01:42.657310",
  },
  {
    ...RHEL_94_NOINSTALL,
    name: "RHEL-9.4.0-updates-20240412.1",
    tags: [],
    state: "archived",
    createdAt: "2024-04-12T08:40:51.904410",
  },
  {
    ...RHEL_94_NOINSTALL,
    name: "RHEL-9.4.0-updates-20240418.3",
    tags: ["nightly"],
    createdAt: "2024-04-18T11:30:27.450019",
  },
  {
    ...RHEL_94_NOINSTALL,
    name: "RHEL-9.4.0-updates-20240424.1",
    tags: ["nightly"],
    createdAt: "2024-04-24T10:05:09.120887",
  },
  {
    topic: "RHEL-8.10",
    type: "compose",
    name: "RHEL-8.10.0-20240514.0",
    tags: ["milestone", "build:GA"],
    createdAt: "2024-05-14T07:33:20.611503",
  },
  {
    topic: "RHEL-8.10",
    type: "compose",
    name: "RHEL-8.10.0-20240601.1",
    tags: ["nightly"],
    createdAt: "2024-06-01T03:58:46.070129",
  },
  {
    topic: "RHEL-10.0",
    type: "compose",
    name: "RHEL-10.0-20240603.2",
    tags: ["nightly"],
    createdAt: "2024-06-03T06:12:09.381550",
  },
  {
    topic: "RHEL-9.2",
    type: "compose",
    name: "RHEL-9.2.0-20230425.11",
    tags: ["milestone", "build:GA"],
    createdAt: "2023-04-25T16:40:27.219905",
  },
];

/** Every RHEL compose of the catalog; `topicIds` maps topic names to ids. */
export function rhelComposes(
  seed: string,
  topicIds: ReadonlyMap<string, string>,
  sizing: ComposeSizing,
): SandboxComponent[] {
  return COMPOSES.map((compose) => {
    const topicId = topicIds.get(compose.topic);
    if (topicId === undefined) throw new Error(`no topic ${compose.topic} for ${compose.name}`);
    const releasedAt = compose.releasedAt ?? compose.createdAt;
    const layout = composeLayout({
      seed,
      composeId: compose.name,
      distTag: compose.topic.startsWith("RHEL-8") ? "el8" : "el9",
      fileCount: compose.isFullSize ? sizing.fileCount : sizing.secondaryFileCount,
      dvdIsoBytes: sizing.dvdIsoBytes,
      bootIsoBytes: sizing.bootIsoBytes,
      ...(compose.isNewest && sizing.bigIsos ? { bigIsos: sizing.bigIsos } : {}),
    });
    return buildComponent({
      seed,
      topicId,
      name: compose.name,
      type: compose.type,
      tags: compose.tags,
      state: compose.state ?? "active",
      createdAt: compose.createdAt,
      releasedAt,
      // Same-format ISO strings sort in time order: the later of the two.
      updatedAt: [compose.createdAt, releasedAt].sort()[1] ?? releasedAt,
      files: layout.files,
      symlinks: layout.symlinks,
    });
  });
}
