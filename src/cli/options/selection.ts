/**
 * What sync and plan mirror: TOPIC, DEST and every dci-downloader selection flag with its
 * meaning, plus ours. No yargs default here: "not given" must stay distinguishable from the default
 * so a settings file's topic keeps its own values (config/resolve.ts applies the defaults).
 */
import type { Argv } from "yargs";

const list = (describe: string) => ({ type: "string" as const, array: true as const, describe });

/** Declares TOPIC, DEST and the selection flags on a command builder. */
export function selectionOptions<T>(command: Argv<T>) {
  return command
    .positional("topic", {
      type: "string",
      describe: "topic name, e.g. RHEL-9.4 (or topics from --settings)",
    })
    .positional("dest", {
      type: "string",
      describe: "destination root (or --local-repo, $DCI_LOCAL_REPO)",
    })
    .option("settings", list("YAML settings file (repeatable; later files win)"))
    .option("filter", list("TYPE[:TAG]: the latest component of that type (and tag); repeatable"))
    .option("component-id", {
      type: "string",
      describe: "mirror this component instead of the latest ones",
    })
    .option("arch", list("arch to keep (repeatable); default x86_64"))
    .option("variant", list("variant to keep (repeatable); default every variant"))
    .option("debug", { type: "boolean", describe: "keep debug/ trees" })
    .option("src", { type: "boolean", describe: "keep source/tree" })
    .option("iso", { type: "boolean", describe: "keep iso/ images (with or without --variant)" })
    .option("all", { type: "boolean", describe: "no compose filtering at all" })
    .option("package-filter", list("keep only packages whose path contains this (repeatable)"))
    .option("include", list("keep only paths matching this glob (repeatable)"))
    .option("exclude", list("drop paths matching this glob (repeatable)"))
    .option("local-repo", { type: "string", describe: "destination root when DEST is not given" })
    .option("dci-repo-url", {
      type: "string",
      describe: "legacy repo URL (accepted for compatibility; unused)",
    })
    .option("registry", {
      type: "string",
      describe: "container registry HOST[:PORT] for images_list.yaml (needs skopeo)",
    })
    .option("tech-preview", list("rhdl: fetch files through the RHDL (v2) gateway"))
    .option("explain", {
      type: "string",
      describe: "say which rule keeps or drops PATH, and stop",
    });
}
