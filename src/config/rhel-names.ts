/**
 * The variant and arch names dci-downloader lets a RHEL topic ask for, checked before any network
 * call so that a typo fails in a second instead of after a long download. Pure.
 */
import { UsageError } from "../errors.js";

export interface AllowedNames {
  /** Variants, `metadata` included (it names the compose's metadata folder). */
  readonly variants: readonly string[];
  readonly arches: readonly string[];
}

const RHEL_8_AND_9: AllowedNames = {
  variants: [
    "AppStream",
    "BaseOS",
    "CRB",
    "HighAvailability",
    "NFV",
    "RT",
    "ResilientStorage",
    "SAP",
    "SAPHANA",
    "metadata",
  ],
  arches: ["x86_64", "aarch64", "ppc64le", "s390x"],
};

/** Prefix → names, as dci-downloader lists them; order is the order printed in messages. */
const ALLOWED_BY_PREFIX: ReadonlyArray<readonly [string, AllowedNames]> = [
  [
    "RHEL-7",
    {
      variants: [
        "Client",
        "Client-optional",
        "ComputeNode",
        "ComputeNode-optional",
        "Server",
        "Server-optional",
        "Server-NFV",
        "Server-RT",
        "Server-SAP",
        "Server-SAPHANA",
        "Workstation",
        "Workstation-optional",
        "metadata",
      ],
      arches: ["x86_64", "ppc64", "ppc64le", "s390x"],
    },
  ],
  ["RHEL-8", RHEL_8_AND_9],
  ["RHEL-9", RHEL_8_AND_9],
];

/**
 * The names allowed for a topic, or undefined when the topic is not validated: the match is a
 * case-sensitive prefix test on the name as typed, as in dci-downloader, so RHEL-10, OpenShift...
 * pass through.
 */
export function allowedNames(topicName: string): AllowedNames | undefined {
  return ALLOWED_BY_PREFIX.find(([prefix]) => topicName.startsWith(prefix))?.[1];
}

function rejectUnknown(
  topicName: string,
  what: "Variants" | "Arches",
  given: readonly string[],
  allowed: readonly string[],
): void {
  const bad = [...new Set(given.filter((name) => !allowed.includes(name)))];
  if (bad.length === 0) return;
  const flag = what === "Variants" ? "--variant / variants" : "--arch / archs";
  throw new UsageError(
    `${what} ${bad.join(", ")} for the ${topicName} topic are not valid; allowed: ${allowed.join(", ")}`,
    {
      code: what === "Variants" ? "USAGE_VARIANT" : "USAGE_ARCH",
      hint: `Names are case-sensitive; fix ${flag} (in the settings file or on the command line).`,
    },
  );
}

/**
 * Checks a RHEL topic's arches and variant names against dci-downloader's lists (other topics are
 * not checked); throws UsageError USAGE_VARIANT or USAGE_ARCH listing the bad names and the
 * allowed ones.
 */
export function validateTopicNames(
  topicName: string,
  arches: readonly string[],
  variantNames: readonly string[],
): void {
  const allowed = allowedNames(topicName);
  if (allowed === undefined) return;
  // Variants first, as the reference reports them.
  rejectUnknown(topicName, "Variants", variantNames, allowed.variants);
  rejectUnknown(topicName, "Arches", arches, allowed.arches);
}
