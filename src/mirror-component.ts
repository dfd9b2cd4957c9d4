/**
 * Mirrors one component into its folder: files list → validation → filtering → plan → transfers
 * → images list and symlinks → prune (only after a clean run) → verified-files record.
 */
import { join, resolve } from "node:path";
import type { DciClient } from "./api/client.js";
import { skopeoSync } from "./containers/skopeo.js";
import { EXIT_CODES } from "./errors.js";
import type { MirrorEventListener, PlanCounts } from "./events.js";
import { applyFilter } from "./filtering/apply.js";
import { compileFilter } from "./filtering/compile.js";
import type { RetryPolicy } from "./http/backoff.js";
import type {
  Component,
  FilterSpec,
  Outcome,
  RemoteFile,
  RemoteSymlink,
  VerifiedEntry,
} from "./model.js";
import { emptyListRefusal } from "./planning/empty-list.js";
import { componentFolderName } from "./planning/folders.js";
import { type Plan, planMirror } from "./planning/plan.js";
import { validateFilesList } from "./planning/safe-path.js";
import { listPartials, preparePartialDir, removeStalePartials } from "./transfer/partial.js";
import { runTransfers } from "./transfer/run.js";
import { checkFreeSpace, freeBytes } from "./tree/free-space.js";
import { Placer, writeFileAtomic } from "./tree/place.js";
import { pruneEntries, removeEmptyDirectories } from "./tree/prune.js";
import { readRecord, writeRecord } from "./tree/record.js";
import { scanTree, statFile } from "./tree/scan.js";
import { writeSelection } from "./tree/selection.js";
import { spaceNeedOf } from "./tree/space-need.js";
import { placeSymlink } from "./tree/symlinks.js";

export interface ComponentRunOptions {
  readonly client: DciClient;
  /** Copy the component's container images into this registry (`HOST[:PORT]`) with skopeo. */
  readonly registry: string | undefined;
  /** The topic's `data`, for its registry pull credentials. */
  readonly topicData: Readonly<Record<string, unknown>>;
  readonly topicFolder: string;
  readonly filter: FilterSpec;
  readonly rhdl: boolean;
  readonly jobs: number;
  readonly verifyAll: boolean;
  readonly dryRun: boolean;
  readonly stallTimeoutMs: number;
  readonly retryPolicy: RetryPolicy;
  readonly userAgent: string;
  readonly emit: MirrorEventListener;
  readonly signal: AbortSignal;
}

export interface ComponentSummary {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly folder: string;
  readonly plan: PlanCounts;
  readonly outcomes: readonly Outcome[];
  readonly removed: readonly string[];
  readonly links: number;
  readonly durationMs: number;
  /** Free space where the component lands, measured for plans (`--dry-run`, `plan`). */
  readonly freeBytes?: number;
}

const IMAGES_LIST = "images_list.yaml";

function countPlan(plan: Plan, files: readonly RemoteFile[]): PlanCounts {
  const count = (kind: string) => plan.actions.filter((action) => action.kind === kind).length;
  return {
    totalFiles: files.length,
    totalBytes: files.reduce((sum, file) => sum + file.sizeBytes, 0),
    fetchFiles: count("fetch"),
    resumeFiles: count("resume"),
    checkFiles: count("check"),
    skipFiles: count("skip"),
    pruneEntries: count("prune"),
    links: count("link"),
    bytesToFetch: plan.bytesToFetch,
  };
}

/** A component's files list, fetched and checked (safe-path.ts). */
export interface ListedFiles {
  readonly files: readonly RemoteFile[];
  readonly symlinks: readonly RemoteSymlink[];
}

/**
 * Fetches and checks a component's files list: mirror() lists every component of a topic this way
 * before the first transfer, so an unsafe entry in any list stops the run with nothing downloaded.
 * Throws UnsafePathError (exit 6) and the API's errors.
 */
export async function listComponentFiles(
  component: Component,
  options: Pick<ComponentRunOptions, "client" | "topicFolder" | "rhdl" | "signal">,
): Promise<ListedFiles> {
  const folder = join(options.topicFolder, componentFolderName(component.type));
  return validateFilesList(
    await options.client.filesList(component.id, { rhdl: options.rhdl, signal: options.signal }),
    component.name,
    // With the folder's length, a path too long for the system is refused before any transfer.
    { rootPathBytes: Buffer.byteLength(resolve(folder)) },
  );
}

/**
 * Mirrors a component (from its files list, when already listed); per-file failures are in the
 * summary, fatal errors are thrown.
 */
export async function mirrorComponent(
  component: Component,
  options: ComponentRunOptions,
  listedFiles?: ListedFiles,
): Promise<ComponentSummary> {
  const started = performance.now();
  const { client, signal } = options;
  const folder = join(options.topicFolder, componentFolderName(component.type));
  options.emit({
    type: "component",
    topic: "",
    componentId: component.id,
    componentName: component.name,
    componentType: component.type,
    folder,
  });
  const listed = listedFiles ?? (await listComponentFiles(component, options));
  const selected = applyFilter(listed, compileFilter(options.filter, component.type));
  const images = await client.imagesList(component.id, { rhdl: options.rhdl, signal });
  const record = await readRecord(folder, signal);
  const local = await scanTree(folder, signal);
  const plan = planMirror({
    files: selected.files,
    symlinks: selected.symlinks,
    local,
    record,
    partials: await listPartials(folder),
    verifyAll: options.verifyAll,
    keepPaths: images === undefined ? [] : [IMAGES_LIST],
  });
  const emptyList = emptyListRefusal({
    componentName: component.name,
    folder,
    listedFiles: listed.files.length,
    selectedFiles: selected.files.length,
    actions: plan.actions,
  });
  if (emptyList !== undefined) throw emptyList;
  const counts = countPlan(plan, selected.files);
  options.emit({ type: "plan", componentName: component.name, counts });
  const summary = {
    id: component.id,
    name: component.name,
    type: component.type,
    folder,
    plan: counts,
  };
  if (options.dryRun) {
    const free = await freeBytes(folder);
    return {
      ...summary,
      outcomes: [],
      removed: [],
      links: 0,
      durationMs: performance.now() - started,
      freeBytes: free,
    };
  }
  // Only what this run creates counts: files to fetch or resume and the folders they need.
  await checkFreeSpace(spaceNeedOf(plan.actions, local, selected.files), folder);
  await writeSelection(
    folder,
    {
      componentId: component.id,
      componentName: component.name,
      files: selected.files,
      symlinks: selected.symlinks,
    },
    signal,
  );

  const verified = new Map<string, VerifiedEntry>();
  const placer = new Placer(folder, signal);
  await preparePartialDir(folder, signal);
  const result = await runTransfers(plan.actions, {
    componentFolder: folder,
    jobs: options.jobs,
    resolveUrl: (filePath, fileSignal) =>
      client.fileUrl(component.id, filePath, { rhdl: options.rhdl, signal: fileSignal }),
    dispatcher: client.dispatcher,
    stallTimeoutMs: options.stallTimeoutMs,
    retryPolicy: options.retryPolicy,
    random: Math.random,
    userAgent: options.userAgent,
    place: async (partialPath, file, stats) => {
      await placer.place(partialPath, file.path);
      verified.set(file.path, { ...stats, sha256: file.sha256 });
    },
    localPath: (file) => join(folder, file.path),
    onVerified: async (file) => {
      const entry = await statFile(folder, file.path);
      if (entry !== undefined) {
        verified.set(file.path, {
          sizeBytes: entry.sizeBytes,
          mtimeMs: entry.mtimeMs,
          ino: entry.ino,
          sha256: file.sha256,
        });
      }
    },
    emit: options.emit,
    signal,
  });
  await placer.flush();
  const hasFailures =
    result.fatal !== undefined || result.outcomes.some((outcome) => outcome.kind === "failed");
  // A folder that becomes a file goes only once the run is known to be clean (as prune does).
  const outcomes = hasFailures
    ? await failHeldFiles(placer, result.outcomes, verified, options.emit)
    : result.outcomes;
  // The error that stopped the run is the one to report: on a full disk, saving the record fails too.
  await saveRecord(folder, component, plan, record?.files ?? {}, verified, signal).catch(
    (error: unknown) => {
      if (result.fatal === undefined) throw error;
    },
  );
  if (result.fatal !== undefined) throw result.fatal;

  if (images !== undefined) await writeFileAtomic(folder, IMAGES_LIST, Buffer.from(images), signal);
  let links = 0;
  for (const action of plan.actions) {
    if (action.kind !== "link") continue;
    const change = await placeSymlink({
      root: folder,
      relPath: action.link.path,
      target: action.link.target,
      signal,
    });
    if (change !== "unchanged") links++;
  }
  if (images !== undefined && options.registry !== undefined)
    await syncImages(component, images, options.registry, options);
  if (!hasFailures) {
    await placer.placeHeld();
    await placer.flush();
  }
  const removed = hasFailures ? [] : await prune(folder, plan, selected.files, options);
  return {
    ...summary,
    outcomes,
    removed,
    links,
    durationMs: performance.now() - started,
  };
}

/**
 * After a run with failures: the files held back because a folder stands at their place are
 * dropped (the folder stays, with its unlisted contents) and reported as failed with the reason.
 */
async function failHeldFiles(
  placer: Placer,
  outcomes: readonly Outcome[],
  verified: Map<string, VerifiedEntry>,
  emit: MirrorEventListener,
): Promise<Outcome[]> {
  const heldPaths = new Set(await placer.dropHeld());
  for (const path of heldPaths) verified.delete(path);
  return outcomes.map((outcome): Outcome => {
    if (!heldPaths.has(outcome.path) || outcome.kind === "failed") return outcome;
    const message = `${outcome.path} was downloaded and verified, but a folder stands where ${outcome.path} belongs; it is replaced only after a run with no failures. Fix the other failures and run again.`;
    emit({ type: "warning", code: "FOLDER_IN_THE_WAY", message });
    return {
      kind: "failed",
      path: outcome.path,
      code: "FOLDER_IN_THE_WAY",
      message,
      exitCode: EXIT_CODES.localIo,
      bytesTransferred: outcome.bytesTransferred,
    };
  });
}

/** Copies the images of images_list.yaml into the registry, as dci-downloader does with skopeo. */
async function syncImages(
  component: Component,
  imagesList: string,
  registry: string,
  options: ComponentRunOptions,
): Promise<void> {
  // Loaded here, with yaml, only for components that list images: most do not.
  const { parseImagesList, skopeoSyncYaml, topicRegistryCredentials } = await import(
    "./containers/images.js"
  );
  const credentials = topicRegistryCredentials(options.topicData);
  if (credentials === undefined) {
    options.emit({
      type: "warning",
      code: "NO_REGISTRY_CREDENTIALS",
      message: `${component.name} lists container images, but its topic has no registry credentials: images not copied.`,
    });
    return;
  }
  const images = parseImagesList(imagesList);
  await skopeoSync({
    sourceYaml: skopeoSyncYaml(images, credentials),
    destination: registry,
    signal: options.signal,
    onLine: (line) => options.emit({ type: "skopeo", line }),
  });
  options.emit({
    type: "images",
    componentName: component.name,
    registry,
    imageCount: images.length,
  });
}

/** Deletes what the list no longer has: only after every download of the run succeeded. */
async function prune(
  folder: string,
  plan: Plan,
  files: readonly RemoteFile[],
  options: ComponentRunOptions,
): Promise<string[]> {
  const doomed = plan.actions.flatMap((action) => (action.kind === "prune" ? [action.path] : []));
  const removed = await pruneEntries(folder, doomed, options.signal);
  for (const path of removed) options.emit({ type: "prune", path });
  await removeEmptyDirectories(folder, options.signal);
  await removeStalePartials(folder, files);
  return removed;
}

async function saveRecord(
  folder: string,
  component: Component,
  plan: Plan,
  previous: Readonly<Record<string, VerifiedEntry>>,
  verified: ReadonlyMap<string, VerifiedEntry>,
  signal: AbortSignal,
): Promise<void> {
  const files: Record<string, VerifiedEntry> = {};
  for (const action of plan.actions) {
    if (action.kind === "link" || action.kind === "prune") continue;
    const entry =
      action.kind === "skip" ? previous[action.file.path] : verified.get(action.file.path);
    if (entry !== undefined) files[action.file.path] = entry;
  }
  await writeRecord(
    folder,
    {
      schema: "dci-mirror/state/1",
      componentId: component.id,
      componentName: component.name,
      files,
    },
    signal,
  );
}
