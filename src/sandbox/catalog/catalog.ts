/**
 * The sandbox's generated catalog: teams, identities, products, topics and components, fully
 * determined by a seed (no clock, no randomness), so every run and every test sees the same world.
 */
import { deriveSecret, deriveUuid } from "./catalog-ids.js";
import { openShiftComponents } from "./catalog-openshift.js";
import { type ComposeSizing, rhelComposes } from "./catalog-rhel.js";
import { catalogTopics } from "./catalog-topics.js";
import type {
  SandboxCatalog,
  SandboxIdentity,
  SandboxProduct,
  SandboxTeam,
} from "./catalog-types.js";

export type CatalogSize = "tiny" | "small" | "medium" | "large";

export interface CatalogOptions {
  /** Default `"dci-mirror"`. */
  readonly seed?: string;
  /** Default `"small"`: about 600 files per compose. */
  readonly size?: CatalogSize;
  /** Overrides the file count that `size` implies. */
  readonly filesPerCompose?: number;
  /** Size of each big ISO put into the newest compose (with `bigFileCount`). */
  readonly bigFileBytes?: number;
  readonly bigFileCount?: number;
}

const FILES_PER_COMPOSE: Readonly<Record<CatalogSize, number>> = {
  tiny: 150,
  small: 600,
  medium: 5_000,
  large: 20_000,
};
const SANDBOX_LAB = "Sandbox Lab";
const KIB = 1024;

/** Generates the whole catalog from a seed; throws RangeError on a negative count or size. */
export function generateCatalog(options: CatalogOptions = {}): SandboxCatalog {
  const seed = options.seed ?? "dci-mirror";
  const products = [
    product(seed, "RHEL", "Red Hat Enterprise Linux", "2019-01-10T10:00:03.218334"),
    product(
      seed,
      "OpenShift",
      "Red Hat OpenShift Container Platform",
      "2019-03-04T15:20:11.004512",
    ),
  ] as const;
  const [rhel, openShift] = products;
  const teamId = (name: string) => deriveUuid(seed, `team:${name}`);
  const teams = [
    team(seed, SANDBOX_LAB, "active", [rhel.id, openShift.id], [teamId("Partner Team")]),
    team(seed, "Inactive Team", "inactive", [rhel.id], []),
    team(seed, "Partner Team", "active", [openShift.id], []),
    team(seed, "Private Team", "active", [openShift.id], []),
  ];
  const identities = [
    identity(seed, "remoteci", "sandbox-lab-remoteci", teamId(SANDBOX_LAB)),
    identity(seed, "feeder", "sandbox-lab-feeder", teamId(SANDBOX_LAB)),
    identity(seed, "remoteci", "inactive-team-remoteci", teamId("Inactive Team")),
    { ...identity(seed, "remoteci", "retired-remoteci", teamId(SANDBOX_LAB)), state: "archived" },
  ] satisfies SandboxIdentity[];
  const topics = catalogTopics(seed, { rhelId: rhel.id, openShiftId: openShift.id });
  const topicIds = new Map(topics.map((topic) => [topic.name, topic.id]));
  const openShiftTopicId = topicIds.get("OpenShift-4.16") ?? "";
  const components = [
    ...rhelComposes(seed, topicIds, composeSizing(options)),
    ...openShiftComponents({
      seed,
      topicId: openShiftTopicId,
      partnerTeamId: teamId("Partner Team"),
      privateTeamId: teamId("Private Team"),
    }),
  ];
  return { seed, identities, teams, products, topics, components };
}

/** The credentials `dci-mirror sandbox` prints: the Sandbox Lab remoteci; throws if it is missing. */
export function sandboxCredentials(catalog: SandboxCatalog): {
  readonly clientId: string;
  readonly apiSecret: string;
} {
  const lab = catalog.teams.find((candidate) => candidate.name === SANDBOX_LAB);
  const remoteci = catalog.identities.find(
    (candidate) =>
      candidate.clientType === "remoteci" &&
      candidate.teamId === lab?.id &&
      candidate.state === "active",
  );
  if (!remoteci) throw new Error(`the catalog has no active ${SANDBOX_LAB} remoteci`);
  return { clientId: `remoteci/${remoteci.id}`, apiSecret: remoteci.secret };
}

function composeSizing(options: CatalogOptions): ComposeSizing {
  const size = options.size ?? "small";
  const fileCount = options.filesPerCompose ?? FILES_PER_COMPOSE[size];
  const bigFileCount = options.bigFileCount ?? 0;
  const bigFileBytes = options.bigFileBytes ?? 0;
  if (fileCount < 0 || bigFileCount < 0 || bigFileBytes < 0) {
    throw new RangeError("filesPerCompose, bigFileCount and bigFileBytes must not be negative");
  }
  const isTiny = size === "tiny";
  return {
    fileCount,
    secondaryFileCount: Math.min(fileCount, FILES_PER_COMPOSE.tiny),
    dvdIsoBytes: isTiny ? 256 * KIB : 2048 * KIB,
    bootIsoBytes: isTiny ? 128 * KIB : 1024 * KIB,
    ...(bigFileCount > 0 ? { bigIsos: { count: bigFileCount, sizeBytes: bigFileBytes } } : {}),
  };
}

function product(seed: string, name: string, description: string, createdAt: string) {
  return {
    id: deriveUuid(seed, `product:${name}`),
    name,
    label: name,
    description,
    createdAt,
  } satisfies SandboxProduct;
}

function team(
  seed: string,
  name: string,
  state: SandboxTeam["state"],
  productIds: readonly string[],
  grantedByTeamIds: readonly string[],
): SandboxTeam {
  const id = deriveUuid(seed, `team:${name}`);
  return { id, name, state, hasPreReleaseAccess: false, productIds, grantedByTeamIds };
}

function identity(
  seed: string,
  clientType: SandboxIdentity["clientType"],
  name: string,
  teamId: string,
): SandboxIdentity {
  const label = `identity:${clientType}:${name}`;
  const id = deriveUuid(seed, label);
  return { clientType, id, name, secret: deriveSecret(seed, label), teamId, state: "active" };
}
