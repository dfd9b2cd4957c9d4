/**
 * Container images of a component (its `images_list.yaml`) turned into the YAML
 * source file of `skopeo sync`. Pure. Fixes two traps of dci-downloader: digest references are
 * kept, and several tags of one image all stay (the reference kept only the last one).
 */
import { parse, stringify } from "yaml";
import { UsageError } from "../errors.js";

export interface ImageReference {
  readonly registry: string;
  readonly repository: string;
  /** A tag (`17.1_20240415.1`) or a digest (`sha256:…`). */
  readonly reference: string;
}

export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

const DIGEST = /^(?<name>.+)@(?<digest>sha256:[0-9a-f]{64})$/;
const TAGGED = /^(?<name>.+):(?<tag>[\w][\w.-]{0,127})$/;

/** Splits `registry/repository:tag` or `registry/repository@sha256:…`; undefined when unusable. */
export function parseImageReference(text: string): ImageReference | undefined {
  const trimmed = text.trim();
  const match = DIGEST.exec(trimmed) ?? TAGGED.exec(trimmed);
  const name = match?.groups?.["name"];
  const reference = match?.groups?.["digest"] ?? match?.groups?.["tag"];
  if (name === undefined || reference === undefined) return undefined;
  const slash = name.indexOf("/");
  if (slash <= 0 || slash === name.length - 1) return undefined;
  return { registry: name.slice(0, slash), repository: name.slice(slash + 1), reference };
}

/** The references of an images list; throws UsageError naming the first unusable line. */
export function parseImagesList(text: string): ImageReference[] {
  const parsed: unknown = parse(text);
  if (parsed === null || parsed === undefined) return [];
  if (!Array.isArray(parsed)) {
    throw new UsageError("images_list.yaml is not a YAML list of image references.", {
      code: "IMAGES_LIST_SHAPE",
      hint: "Report it to your Red Hat contact; the files of the component were mirrored.",
    });
  }
  return parsed.map((entry) => {
    const reference = typeof entry === "string" ? parseImageReference(entry) : undefined;
    if (reference === undefined) {
      throw new UsageError(
        `images_list.yaml holds an unusable image reference: ${JSON.stringify(entry)}.`,
        {
          code: "IMAGES_LIST_SHAPE",
          hint: "Each entry must be registry/repository:tag or registry/repository@sha256:digest.",
        },
      );
    }
    return reference;
  });
}

/** Loopback registries are plain HTTP by convention (Docker treats 127.0.0.0/8 as insecure too). */
function isLoopback(registry: string): boolean {
  const host = registry.replace(/:\d+$/, "");
  return host === "localhost" || /^127\.\d+\.\d+\.\d+$/.test(host) || host === "[::1]";
}

/**
 * The `skopeo sync --src yaml` document: per source registry its credentials and, per repository,
 * every tag and digest asked for (deduplicated, order kept).
 */
export function skopeoSyncYaml(
  images: readonly ImageReference[],
  credentials: RegistryCredentials | undefined,
): string {
  const registries: Record<
    string,
    { credentials?: RegistryCredentials; "tls-verify"?: boolean; images: Record<string, string[]> }
  > = {};
  for (const image of images) {
    const entry = registries[image.registry] ?? {
      ...(credentials === undefined ? {} : { credentials }),
      ...(isLoopback(image.registry) ? { "tls-verify": false } : {}),
      images: {},
    };
    const references = entry.images[image.repository] ?? [];
    if (!references.includes(image.reference)) references.push(image.reference);
    entry.images[image.repository] = references;
    registries[image.registry] = entry;
  }
  return stringify(registries);
}

/** `data.registry.login`/`password` of a DCI topic record, when it has them. */
export function topicRegistryCredentials(
  data: Readonly<Record<string, unknown>>,
): RegistryCredentials | undefined {
  const registry = data["registry"];
  if (typeof registry !== "object" || registry === null) return undefined;
  const username = Reflect.get(registry, "login");
  const password = Reflect.get(registry, "password");
  return typeof username === "string" && typeof password === "string"
    ? { username, password }
    : undefined;
}
