/**
 * The sandbox with someone else's object store: a component written to disk, laid out exactly as
 * the files gateway's object keys (`<component id>/<file path>`), so any static web server (nginx
 * in `npm run bench`) can stand in for the built-in store. Static servers ignore the presigned
 * query string; signatures and fault rules of the store stage then simply do not apply.
 */
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import pLimit from "p-limit";
import type { SandboxCatalog, SandboxComponent, SandboxFile } from "../catalog/catalog-types.js";
import { contentSize, readContent } from "../catalog/content.js";
import type { ObjectStore } from "./object-store.js";
import { imagesListYaml } from "./objects.js";

/** One file as written, with the sha256 of the bytes that went to disk. */
export interface CorpusFile {
  /** Relative to the component root, `/`-separated, as in the files list. */
  readonly path: string;
  readonly sizeBytes: number;
  readonly sha256: string;
}

export interface Corpus {
  readonly componentId: string;
  /** `<dir>/<component id>`: the component's root on disk. */
  readonly root: string;
  /** Every file of the component, in catalog order (the files list and images list excluded). */
  readonly files: readonly CorpusFile[];
  readonly totalBytes: number;
}

const FILES_LIST = "dci_files_list.json";
const IMAGES_LIST = "images_list.yaml";
// Enough to keep the disk busy while the keystream of the next files is made; more only adds seeks.
const WRITE_CONCURRENCY = 8;

/** An object store the sandbox does not run: presigned URLs point at `origin`; throws TypeError on a non-HTTP or non-bare origin. */
export function externalObjectStore(origin: string): ObjectStore {
  let url: URL;
  try {
    url = new URL(origin);
  } catch (error) {
    throw new TypeError(`externalStoreOrigin ${JSON.stringify(origin)} is not a URL`, {
      cause: error,
    });
  }
  // Presigned URLs are built as `${origin}/${key}`: a path, query or fragment would corrupt them.
  const isBare = url.pathname === "/" && url.search === "" && url.hash === "";
  if ((url.protocol !== "http:" && url.protocol !== "https:") || !isBare) {
    throw new TypeError(
      `externalStoreOrigin must be a bare http(s) origin such as http://127.0.0.1:8080, not ${JSON.stringify(origin)}`,
    );
  }
  return { origin: url.origin, close: async () => undefined };
}

function fullPathOf(file: Pick<SandboxFile, "path" | "name">): string {
  return file.path === "" ? file.name : `${file.path}/${file.name}`;
}

/** The on-disk path of a key under `root`; throws RangeError when the key would leave it. */
function targetOf(root: string, filePath: string): string {
  const target = resolve(root, ...filePath.split("/"));
  const inside = relative(root, target);
  if (inside === "" || inside.startsWith(`..${sep}`) || inside === "..") {
    throw new RangeError(`file path ${JSON.stringify(filePath)} would land outside ${root}`);
  }
  return target;
}

/** The same text as `filesListJson`, from hashes taken while writing (hashing twice doubles the cost of GiB files). */
function filesListText(
  component: SandboxComponent,
  written: readonly { readonly file: SandboxFile; readonly corpusFile: CorpusFile }[],
): string {
  if (component.rawFilesList !== undefined) return component.rawFilesList;
  return JSON.stringify({
    directories: component.directories.map(({ name, path }) => ({ name, path })),
    files: written.map(({ file, corpusFile }) => ({
      name: file.name,
      path: file.path,
      size: corpusFile.sizeBytes,
      sha256: corpusFile.sha256,
    })),
    symlinks: component.symlinks.map(({ name, path, destination }) => ({
      name,
      path,
      destination,
    })),
  });
}

async function writeOne(
  file: SandboxFile,
  target: string,
  signal: AbortSignal,
): Promise<CorpusFile> {
  const sizeBytes = contentSize(file.content);
  const hash = createHash("sha256");
  // Streamed chunk by chunk: a GiB ISO never sits in memory.
  await pipeline(
    readContent(file.content, 0, sizeBytes - 1),
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        hash.update(chunk);
        yield chunk;
      }
    },
    createWriteStream(target),
    { signal },
  );
  return { path: fullPathOf(file), sizeBytes, sha256: hash.digest("hex") };
}

/**
 * Writes every file of component `componentId` under `<dir>/<componentId>/<path>`, then its
 * `dci_files_list.json` (and `images_list.yaml` when it has images). Throws RangeError for an
 * unknown component or a path that would leave the folder, and the abort reason when `signal` fires.
 */
export async function writeCorpus(
  catalog: SandboxCatalog,
  componentId: string,
  dir: string,
  signal: AbortSignal,
): Promise<Corpus> {
  const component = catalog.components.find((candidate) => candidate.id === componentId);
  if (component === undefined) throw new RangeError(`the catalog has no component ${componentId}`);
  const root = resolve(dir, componentId);
  // Every path is checked before the first byte is written: a bad key leaves no half corpus.
  const planned = component.files.map((file) => ({
    file,
    target: targetOf(root, fullPathOf(file)),
  }));
  await mkdir(root, { recursive: true });
  // One mkdir per folder, parents first, instead of a recursive mkdir per file.
  const folders = new Set(planned.map(({ target }) => dirname(target)));
  for (const folder of [...folders].sort()) await mkdir(folder, { recursive: true });
  const limit = pLimit(WRITE_CONCURRENCY);
  const written = await Promise.all(
    planned.map(({ file, target }) =>
      limit(async () => ({ file, corpusFile: await writeOne(file, target, signal) })),
    ),
  );
  await writeFile(join(root, FILES_LIST), filesListText(component, written), { signal });
  if (component.images !== undefined) {
    await writeFile(join(root, IMAGES_LIST), imagesListYaml(component.images), { signal });
  }
  const files = written.map(({ corpusFile }) => corpusFile);
  const totalBytes = files.reduce((sum, file) => sum + file.sizeBytes, 0);
  return { componentId, root, files, totalBytes };
}
