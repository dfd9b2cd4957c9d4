/**
 * One `--settings` YAML file → normalised, type-checked settings, in dci-downloader's format (the
 * README's "Settings files" section). Pure: text and the YAML parser in, settings out; the keys are
 * read in config/settings-fields.ts, the file (and the parser) loaded by config/read-settings.ts,
 * the files merged by config/resolve.ts.
 */
import type { ScalarTag } from "yaml";
import { UsageError } from "../errors.js";
import {
  byteRate,
  describeValue,
  flag,
  HINT,
  isFields,
  type Source,
  text,
  topics,
  where,
  wholeNumber,
} from "./settings-fields.js";
import { refuseUnknownKeys, TOP_LEVEL_KEYS, TOPIC_KEYS } from "./settings-keys.js";
import type { FileSettings, SettingsFile, YamlParser } from "./settings-types.js";

// Only null, booleans and strings resolve: no key wants a number, and a tag such as `4.10` or an
// id such as `0777` must stay as written instead of becoming 4.1 or 511. Booleans are PyYAML's
// (the reference reads with safe_load, YAML 1.1): `with_debug: yes` is true, but `y`/`n` stay text
// (yaml's 1.1 schema would make them booleans). `<<` merge keys still work.
const KEPT_TAGS = ["map", "seq", "str", "null", "merge"];
const pyYamlBoolean = (value: boolean, test: RegExp): ScalarTag => ({
  tag: "tag:yaml.org,2002:bool",
  default: true,
  identify: (candidate) => candidate === value,
  test,
  resolve: () => value,
});
const BOOLEANS = [
  pyYamlBoolean(true, /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/),
  pyYamlBoolean(false, /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/),
];

function parseYaml(file: SettingsFile, yaml: YamlParser): Source & { readonly root: unknown } {
  const { LineCounter, parseDocument } = yaml;
  const lines = new LineCounter();
  const doc = parseDocument(file.text, {
    version: "1.1",
    lineCounter: lines,
    prettyErrors: false,
    customTags: (tags) => [
      ...BOOLEANS,
      ...tags.filter((tag) =>
        KEPT_TAGS.includes(
          typeof tag === "string" ? tag : tag.tag.replace("tag:yaml.org,2002:", ""),
        ),
      ),
    ],
  });
  const [error] = doc.errors;
  if (error !== undefined) {
    // yaml's own advice (parseAllDocuments) is for programmers, not for users.
    const reason =
      error.code === "MULTIPLE_DOCS"
        ? "a settings file holds one YAML document; give each `---` part its own --settings"
        : error.message;
    throw yamlError(file.path, lines.linePos(error.pos[0]), reason, error);
  }
  try {
    return { yaml, file: file.path, doc, lines, root: doc.toJS({ maxAliasCount: 100 }) };
  } catch (cause) {
    // Only alias abuse (a "billion laughs" file) fails here; its message says so.
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw yamlError(file.path, { line: 1, col: 1 }, reason, cause);
  }
}

type LinePos = { line: number; col: number };

function yamlError(path: string, { line, col }: LinePos, reason: string, cause: unknown) {
  return new UsageError(`${path}:${line}:${col}: invalid YAML: ${reason}`, {
    code: "CONFIG_YAML",
    hint: "Fix the YAML syntax at that position (indentation with spaces, `key: value`).",
    cause,
  });
}

/**
 * Parses and checks one settings file: unknown keys (but other tools' keys, settings-keys.ts) and
 * known keys of the wrong type are refused. Throws UsageError CONFIG_YAML (with
 * file:line:column), CONFIG_EMPTY_SETTINGS, CONFIG_NOT_MAPPING, CONFIG_UNKNOWN_KEY or CONFIG_TYPE.
 */
export function parseSettingsFile(file: SettingsFile, yaml: YamlParser): FileSettings {
  const source = parseYaml(file, yaml);
  const { root } = source;
  if (root === null || root === undefined) {
    // FIX: the reference crashes on an empty file.
    throw new UsageError(
      `The settings file ${file.path} is empty: it should hold a YAML mapping with download_folder and topics.`,
      {
        code: "CONFIG_EMPTY_SETTINGS",
        hint: "For example:\n  download_folder: /var/www/html\n  topics:\n    - name: RHEL-9.4",
      },
    );
  }
  if (!isFields(root)) {
    throw new UsageError(
      `${where(source, [])}: the settings file must be a YAML mapping (key: value), not ${describeValue(root)}.`,
      { code: "CONFIG_NOT_MAPPING", hint: HINT },
    );
  }
  // `topic: NAME` makes the whole file one topic: its keys sit beside the top-level ones.
  const isOneTopic = root["topic"] !== undefined && root["topic"] !== null;
  const known = isOneTopic ? [...TOP_LEVEL_KEYS, ...TOPIC_KEYS] : TOP_LEVEL_KEYS;
  refuseUnknownKeys(source, [], root, known, { othersIgnored: true });
  return {
    // `local_repo` is the older name and wins in the same file, as in the reference.
    downloadFolder:
      text(source, [], root, "local_repo") ?? text(source, [], root, "download_folder"),
    registry: text(source, [], root, "registry"),
    repoUrl: text(source, [], root, "repo_url"),
    csUrl: text(source, [], root, "cs_url"),
    clientId: text(source, [], root, "client_id"),
    apiSecret: text(source, [], root, "api_secret"),
    caFile: text(source, [], root, "ca_file"),
    withDebug: flag(source, [], root, "with_debug"),
    withSource: flag(source, [], root, "with_source"),
    snapshots: wholeNumber(source, [], root, "snapshots"),
    maxDelete: text(source, [], root, "max_delete"),
    metricsFile: text(source, [], root, "metrics_file"),
    bwlimit: byteRate(source, [], root, "bwlimit"),
    topics: topics(source, root),
  };
}
