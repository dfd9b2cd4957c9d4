/**
 * The file tree of a generated RHEL compose: root metadata, `<Variant>/<arch>/{os,debug/tree,iso}`,
 * `<Variant>/source/tree`, repodata, boot images and symlinks, with as many packages as it takes to
 * reach a requested file count. Only sizes and keys are decided here; bytes are produced lazily.
 */
import { deriveHex, deriveInt } from "./catalog-ids.js";
import type { FileInput, SymlinkInput } from "./component-builder.js";
import { randomFile, textFile } from "./component-builder.js";
import {
  ARCHES,
  type ComposeIdentity,
  composeInfoIni,
  composeInfoJson,
  imagesJson,
  parseComposeId,
  repomdXml,
  rpmsJson,
  treeInfo,
  VARIANTS,
} from "./compose-metadata.js";
import { packageAt, rpmFileName } from "./compose-packages.js";

export interface ComposeLayoutOptions {
  readonly seed: string;
  /** `RHEL-9.4.0-20240419.5` */
  readonly composeId: string;
  /** `el9`, `el8`: the dist tag in package releases. */
  readonly distTag: string;
  /** The number of files to aim for; never fewer than the fixed skeleton (about 90). */
  readonly fileCount: number;
  readonly dvdIsoBytes: number;
  readonly bootIsoBytes: number;
  /** Replaces the x86_64 DVD with `count` DVD ISOs of `sizeBytes` each (benchmarks). */
  readonly bigIsos?: { readonly count: number; readonly sizeBytes: number };
}

export interface ComposeLayout {
  readonly files: readonly FileInput[];
  readonly symlinks: readonly SymlinkInput[];
}

const ROOT_FILE_COUNT = 5;
const KIB = 1024;

/** Lays out a whole compose. */
export function composeLayout(options: ComposeLayoutOptions): ComposeLayout {
  const compose = parseComposeId(options.composeId);
  const random = (path: string, minimumBytes: number, maximumBytes: number): FileInput => {
    const key = `${options.seed}:${options.composeId}:${path}`;
    return randomFile(path, key, deriveInt(options.seed, key, minimumBytes, maximumBytes));
  };
  const skeleton: FileInput[] = [];
  const images: FileInput[] = [];
  const symlinks: SymlinkInput[] = [];
  for (const variant of VARIANTS) {
    for (const arch of ARCHES) {
      skeleton.push(textFile(`${variant}/${arch}/os/.treeinfo`, treeInfo(compose, variant, arch)));
      skeleton.push(...repodata(options, `${variant}/${arch}/os`));
      skeleton.push(...repodata(options, `${variant}/${arch}/debug/tree`));
    }
    skeleton.push(...repodata(options, `${variant}/source/tree`));
  }
  for (const arch of ARCHES) {
    const bootIso = bootIsoName(compose, arch);
    const imagesDir = `BaseOS/${arch}/os/images`;
    images.push(...isoFiles(options, compose, arch));
    images.push(random(`${imagesDir}/install.img`, 128 * KIB, 256 * KIB));
    images.push(random(`${imagesDir}/pxeboot/vmlinuz`, 32 * KIB, 64 * KIB));
    images.push(random(`${imagesDir}/pxeboot/initrd.img`, 64 * KIB, 128 * KIB));
    symlinks.push({ path: `BaseOS/${arch}/iso/boot.iso`, destination: bootIso });
    symlinks.push({ path: `${imagesDir}/boot.iso`, destination: `../../iso/${bootIso}` });
  }
  // A directory symlink, as in trees that keep `isolinux` next to `images/`.
  symlinks.push({ path: "BaseOS/x86_64/os/isolinux", destination: "images/pxeboot" });
  const packageBudget = options.fileCount - ROOT_FILE_COUNT - skeleton.length - images.length;
  const packages = packageFiles(options.distTag, packageBudget).map((path) =>
    random(path, 1 * KIB, 100_000),
  );
  const root = rootFiles(compose, packages, images);
  return { files: [...root, ...skeleton, ...images, ...packages], symlinks };
}

function rootFiles(
  compose: ComposeIdentity,
  packages: readonly FileInput[],
  images: readonly FileInput[],
): FileInput[] {
  const imageSizes = images.map((image) => ({
    path: image.path,
    sizeBytes: image.content.kind === "random" ? image.content.sizeBytes : 0,
  }));
  return [
    textFile("COMPOSE_ID", `${compose.id}\n`),
    textFile(".composeinfo", composeInfoIni(compose)),
    textFile("metadata/composeinfo.json", composeInfoJson(compose)),
    textFile(
      "metadata/rpms.json",
      rpmsJson(
        compose,
        packages.map((file) => file.path),
      ),
    ),
    textFile("metadata/images.json", imagesJson(compose, imageSizes)),
  ];
}

function repodata(options: ComposeLayoutOptions, treePath: string): FileInput[] {
  const key = `${options.seed}:${options.composeId}:${treePath}/repodata`;
  const checksum = deriveHex(options.seed, key, 64);
  const primaryName = `${checksum}-primary.xml.gz`;
  const primaryBytes = deriveInt(options.seed, key, 2 * KIB, 20 * KIB);
  return [
    textFile(`${treePath}/repodata/repomd.xml`, repomdXml(primaryName, checksum, primaryBytes)),
    randomFile(`${treePath}/repodata/${primaryName}`, key, primaryBytes),
  ];
}

function bootIsoName(compose: ComposeIdentity, arch: string): string {
  return `${compose.id}-${arch}-boot.iso`;
}

function isoFiles(
  options: ComposeLayoutOptions,
  compose: ComposeIdentity,
  arch: string,
): FileInput[] {
  const isoDir = `BaseOS/${arch}/iso`;
  const keyOf = (name: string) => `${options.seed}:${options.composeId}:${isoDir}/${name}`;
  const boot = bootIsoName(compose, arch);
  const dvdCount = arch === "x86_64" && options.bigIsos ? options.bigIsos.count : 1;
  const dvdBytes =
    arch === "x86_64" && options.bigIsos ? options.bigIsos.sizeBytes : options.dvdIsoBytes;
  const dvds = Array.from({ length: dvdCount }, (_, index) => {
    const name = `${compose.id}-${arch}-dvd${index + 1}.iso`;
    return randomFile(`${isoDir}/${name}`, keyOf(name), dvdBytes);
  });
  return [...dvds, randomFile(`${isoDir}/${boot}`, keyOf(boot), options.bootIsoBytes)];
}

/** Package paths (binary per arch, source, debuginfo per arch) until `budget` files are listed. */
function packageFiles(distTag: string, budget: number): string[] {
  const paths: string[] = [];
  for (let index = 0; paths.length < budget; index++) {
    const spec = packageAt(index, distTag);
    const variant = spec.variant;
    const candidates = [
      ...ARCHES.map((arch) => `${variant}/${arch}/os/Packages/${rpmFileName(spec, arch)}`),
      `${variant}/source/tree/Packages/${rpmFileName(spec, "src")}`,
      ...ARCHES.map(
        (arch) => `${variant}/${arch}/debug/tree/Packages/${rpmFileName(spec, arch, "-debuginfo")}`,
      ),
    ];
    paths.push(...candidates.slice(0, budget - paths.length));
  }
  return paths;
}
