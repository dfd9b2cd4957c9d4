/**
 * The object store's view of a catalog: object keys (`<component id>/<file path>` and
 * `rhdl/<display name>/files/<file path>`) mapped to lazily opened objects, including each
 * component's generated `dci_files_list.json` and `images_list.yaml`.
 */
import { createHash } from "node:crypto";
import type {
  ContentSpec,
  SandboxCatalog,
  SandboxComponent,
  SandboxFile,
  SandboxObject,
} from "../catalog/catalog-types.js";
import { contentSha256, contentSize, readContent } from "../catalog/content.js";

/** An object together with where it sits, so fault rules can match it. */
export interface LocatedObject extends SandboxObject {
  readonly componentId: string;
  /**
   * Path relative to the component root; the RHDL `rhdl_files_list.json` reports itself as
   * `dci_files_list.json`, as the files gateway does, so one fault rule hits both stages.
   */
  readonly filePath: string;
}

/**
 * Like the contract's `ObjectResolver`, but asynchronous: the files list needs the sha256 of every
 * file of its component, which is computed (streamed) on first request and then cached.
 */
export type AsyncObjectResolver = (objectKey: string) => Promise<LocatedObject | undefined>;

const FILES_LIST = "dci_files_list.json";
const RHDL_FILES_LIST = "rhdl_files_list.json";
const IMAGES_LIST = "images_list.yaml";

/** Resolves object keys against the catalog as it was when the resolver was created. */
export function createObjectResolver(catalog: SandboxCatalog): AsyncObjectResolver {
  const byId = new Map(catalog.components.map((component) => [component.id, component]));
  const byDisplayName = new Map<string, SandboxComponent>();
  for (const component of catalog.components) {
    if (!byDisplayName.has(component.displayName)) {
      byDisplayName.set(component.displayName, component);
    }
  }
  const filesLists = new WeakMap<SandboxComponent, Promise<string>>();
  const filesListOf = (component: SandboxComponent): Promise<string> => {
    const known = filesLists.get(component);
    if (known !== undefined) return known;
    const built = filesListJson(component);
    filesLists.set(component, built);
    // Do not cache a failure; the caller still sees it through `built`.
    void built.catch(() => filesLists.delete(component));
    return built;
  };
  return async (objectKey) => {
    const located = locate(objectKey, byId, byDisplayName);
    if (!located) return undefined;
    const { component, filePath, listName } = located;
    const lastModified = new Date(`${component.updatedAt}Z`);
    if (filePath === listName) {
      const text = await filesListOf(component);
      const place = { componentId: component.id, filePath: FILES_LIST, lastModified };
      return { ...place, ...objectOf({ kind: "text", text }) };
    }
    const content = plainContent(component, filePath);
    return content && { componentId: component.id, filePath, lastModified, ...objectOf(content) };
  };
}

const fileIndexes = new WeakMap<SandboxComponent, ReadonlyMap<string, SandboxFile>>();

/** A file of the component, or its `images_list.yaml`; undefined when there is none. */
function plainContent(component: SandboxComponent, filePath: string): ContentSpec | undefined {
  if (filePath === IMAGES_LIST && component.images) {
    return { kind: "text", text: imagesListYaml(component.images) };
  }
  let index = fileIndexes.get(component);
  if (!index) {
    index = new Map(component.files.map((file) => [joinPath(file.path, file.name), file]));
    fileIndexes.set(component, index);
  }
  return index.get(filePath)?.content;
}

/** The `dci_files_list.json` text of a component (`rawFilesList` verbatim when set). */
export async function filesListJson(component: SandboxComponent): Promise<string> {
  if (component.rawFilesList !== undefined) return component.rawFilesList;
  const files = [];
  // One file at a time: hashing is CPU-bound, parallel streams would only interleave.
  for (const file of component.files) {
    const sha256 = await contentSha256(file.content);
    files.push({ name: file.name, path: file.path, size: contentSize(file.content), sha256 });
  }
  return JSON.stringify({
    directories: component.directories.map(({ name, path }) => ({ name, path })),
    files,
    symlinks: component.symlinks.map(({ name, path, destination }) => ({
      name,
      path,
      destination,
    })),
  });
}

/** The `images_list.yaml` text: a YAML sequence of image references. */
export function imagesListYaml(images: readonly string[]): string {
  return `---\n${images.map((image) => `- ${image}\n`).join("")}`;
}

/** A quoted strong ETag derived from what determines the bytes (not from the bytes themselves). */
export function contentEtag(spec: ContentSpec): string {
  const hash = createHash("sha256");
  if (spec.kind === "random") hash.update(`random\0${spec.key}\0${spec.sizeBytes}`);
  else if (spec.kind === "text") hash.update("text\0").update(spec.text, "utf8");
  else hash.update("bytes\0").update(spec.bytes);
  return `"${hash.digest("hex").slice(0, 32)}"`;
}

function objectOf(spec: ContentSpec) {
  return {
    sizeBytes: contentSize(spec),
    etag: contentEtag(spec),
    read: (start: number, endInclusive: number) => readContent(spec, start, endInclusive),
  };
}

function joinPath(path: string, name: string): string {
  return path === "" ? name : `${path}/${name}`;
}

function locate(
  objectKey: string,
  byId: ReadonlyMap<string, SandboxComponent>,
  byDisplayName: ReadonlyMap<string, SandboxComponent>,
) {
  if (objectKey.startsWith("rhdl/")) {
    const rest = objectKey.slice("rhdl/".length);
    const marker = rest.indexOf("/files/");
    if (marker < 0) return undefined;
    const component = byDisplayName.get(rest.slice(0, marker));
    const filePath = rest.slice(marker + "/files/".length);
    return component ? { component, filePath, listName: RHDL_FILES_LIST } : undefined;
  }
  const slash = objectKey.indexOf("/");
  const component = slash < 0 ? undefined : byId.get(objectKey.slice(0, slash));
  const filePath = objectKey.slice(slash + 1);
  return component ? { component, filePath, listName: FILES_LIST } : undefined;
}
