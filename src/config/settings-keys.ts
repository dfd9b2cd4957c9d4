/**
 * The keys a settings file may hold, level by level. A misspelt key (`arches:` for `archs:`) used
 * to be skipped in silence and the run mirrored the defaults; it is now refused with its file,
 * line and the nearest known key. Keys that dci-downloader skipped because other tools reading the
 * same file use them (dci-rhel-agent's) are still accepted and ignored. Pure.
 */
import { UsageError } from "../errors.js";
import { closestName } from "./closest-name.js";
import type { Fields, Path, Source } from "./settings-fields.js";

export const TOP_LEVEL_KEYS: readonly string[] = [
  ...["download_folder", "local_repo", "registry", "repo_url", "cs_url", "client_id"],
  ...["api_secret", "ca_file", "with_debug", "with_source", "snapshots", "max_delete"],
  ...["topics", "topic", "jobs", "metrics_file", "bwlimit"],
];

export const TOPIC_KEYS: readonly string[] = [
  ...["name", "topic", "archs", "variants", "with_debug", "with_source", "with_iso", "filters"],
  ...["package_filters", "download_everything", "component_id", "tech_preview"],
  ...["download_folder", "include", "exclude"],
];

export const VARIANT_KEYS: readonly string[] = ["name", "with_debug", "with_iso", "with_source"];
export const FILTER_KEYS: readonly string[] = ["type", "tag"];

/**
 * Keys of dci-rhel-agent's settings (which dci-downloader reads too) and of older dci-downloader
 * files, accepted and ignored at the top level and in topics; so is any key starting with `dci_`
 * (the agent's job keys: dci_tags, dci_name, dci_rhel_agent_cert...).
 */
export const IGNORED_KEYS: readonly string[] = [
  ...["version", "components", "registry", "systems", "tests", "local_repo_ip", "jumpbox"],
  ...["domain", "machine_network_cidr", "machine_network_ip", "libvirt_images_dir"],
  ...["beaker_lab", "beaker_xml", "system_inventory", "download_only", "disable_root_login_pw"],
];

const IGNORED_PREFIX = "dci_";

/** The line of `key` inside the mapping at `at`, when the YAML node is found. */
function keyLine(source: Source, at: Path, key: string): number | undefined {
  const { yaml } = source;
  const mapping = source.doc.getIn(at, true);
  if (!yaml.isMap(mapping)) return undefined;
  const pair = mapping.items.find((item) => yaml.isScalar(item.key) && item.key.value === key);
  const offset = yaml.isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
  return offset === undefined ? undefined : source.lines.linePos(offset).line;
}

function unknownKey(source: Source, at: Path, key: string, known: readonly string[]) {
  const line = keyLine(source, at, key);
  const where = `settings file ${source.file}${line === undefined ? "" : `, line ${line}`}`;
  const perTopic = at.length === 0 && TOPIC_KEYS.includes(key);
  const nearest = closestName(key, known);
  const advice = perTopic
    ? `; it is a per-topic key: put it under each entry of topics`
    : nearest === undefined
      ? ""
      : `; did you mean ${JSON.stringify(nearest)}?`;
  return new UsageError(`${where}: unknown key ${JSON.stringify(key)}${advice}`, {
    code: "CONFIG_UNKNOWN_KEY",
    hint: `Keys known there: ${known.join(", ")}. Keys of dci-rhel-agent (systems, beaker_lab, dci_*, …) are accepted and ignored. See the README's "Settings files" section.`,
  });
}

/**
 * Throws UsageError CONFIG_UNKNOWN_KEY for the first key of `fields` (the mapping at `at`) that is
 * neither in `known` nor, when `othersIgnored`, one of the ignored keys of other tools.
 */
export function refuseUnknownKeys(
  source: Source,
  at: Path,
  fields: Fields,
  known: readonly string[],
  options: { readonly othersIgnored: boolean },
): void {
  const isIgnored = (key: string) =>
    options.othersIgnored && (IGNORED_KEYS.includes(key) || key.startsWith(IGNORED_PREFIX));
  const unknown = Object.keys(fields).find((key) => !known.includes(key) && !isIgnored(key));
  if (unknown !== undefined) throw unknownKey(source, at, unknown, known);
}
