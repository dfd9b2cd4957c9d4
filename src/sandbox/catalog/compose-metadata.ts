/**
 * The small text files of a generated compose (`.composeinfo`, `metadata/*.json`, `.treeinfo`,
 * `repomd.xml`), shaped like productmd's so a reader of the mirror sees sensible content.
 */

export const VARIANTS = ["AppStream", "BaseOS", "CRB"] as const;
export const ARCHES = ["x86_64", "aarch64", "ppc64le", "s390x"] as const;

export interface ComposeIdentity {
  readonly id: string;
  readonly productShort: string;
  /** `9.4.0` */
  readonly version: string;
  /** `20240419` */
  readonly date: string;
  readonly respin: string;
}

/** Reads `RHEL-9.4.0-20240419.5` (optionally with a middle part) into its pieces. */
export function parseComposeId(id: string): ComposeIdentity {
  const match = /^([A-Za-z]+)-([\d.]+)-(?:.*-)?(\d{8})\.(\d+)$/.exec(id);
  return {
    id,
    productShort: match?.[1] ?? "RHEL",
    version: match?.[2] ?? "0.0",
    date: match?.[3] ?? "20240101",
    respin: match?.[4] ?? "0",
  };
}

function shortVersion(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}

/** The INI `.composeinfo` at the compose root. */
export function composeInfoIni(compose: ComposeIdentity): string {
  const lines = [
    "[compose]",
    `date = ${compose.date}`,
    `id = ${compose.id}`,
    `respin = ${compose.respin}`,
    "type = production",
    "",
    "[product]",
    "name = Red Hat Enterprise Linux",
    `short = ${compose.productShort}`,
    `version = ${shortVersion(compose.version)}`,
    "",
  ];
  for (const variant of VARIANTS) {
    lines.push(
      `[variant-${variant}]`,
      `arches = ${[...ARCHES].sort().join(",")}`,
      `id = ${variant}`,
      `name = ${variant}`,
      "type = variant",
      `uid = ${variant}`,
      "",
    );
  }
  return lines.join("\n");
}

function productmdHeader(type: string) {
  return { type: `productmd.${type}`, version: "1.2" };
}

/** `metadata/composeinfo.json`. */
export function composeInfoJson(compose: ComposeIdentity): string {
  const variants = Object.fromEntries(
    VARIANTS.map((variant) => [
      variant,
      {
        arches: [...ARCHES].sort(),
        id: variant,
        name: variant,
        type: "variant",
        uid: variant,
        paths: {
          os_tree: Object.fromEntries(ARCHES.map((arch) => [arch, `${variant}/${arch}/os`])),
          debug_tree: Object.fromEntries(
            ARCHES.map((arch) => [arch, `${variant}/${arch}/debug/tree`]),
          ),
          source_tree: Object.fromEntries(ARCHES.map((arch) => [arch, `${variant}/source/tree`])),
        },
      },
    ]),
  );
  const payload = {
    compose: {
      date: compose.date,
      id: compose.id,
      respin: Number(compose.respin),
      type: "production",
    },
    release: {
      name: "Red Hat Enterprise Linux",
      short: compose.productShort,
      version: shortVersion(compose.version),
      type: "ga",
    },
    variants,
  };
  return `${JSON.stringify({ header: productmdHeader("composeinfo"), payload }, null, 2)}\n`;
}

/** `metadata/rpms.json`: the RPM paths of the compose by variant and arch. */
export function rpmsJson(compose: ComposeIdentity, rpmPaths: readonly string[]): string {
  const rpms: Record<string, Record<string, string[]>> = {};
  for (const rpmPath of rpmPaths) {
    const [variant = "", arch = ""] = rpmPath.split("/");
    const byArch = rpms[variant] ?? {};
    rpms[variant] = byArch;
    const paths = byArch[arch] ?? [];
    byArch[arch] = paths;
    paths.push(rpmPath);
  }
  const payload = { compose: { date: compose.date, id: compose.id }, rpms };
  return `${JSON.stringify({ header: productmdHeader("rpms"), payload }, null, 2)}\n`;
}

/** `metadata/images.json`: the images (ISOs, boot images) and their sizes. */
export function imagesJson(
  compose: ComposeIdentity,
  images: readonly { readonly path: string; readonly sizeBytes: number }[],
): string {
  const entries = images.map((image) => ({
    arch: image.path.split("/")[1] ?? "",
    format: image.path.endsWith(".iso") ? "iso" : "img",
    path: image.path,
    size: image.sizeBytes,
    type: image.path.includes("boot") ? "boot" : "dvd",
  }));
  const payload = { compose: { date: compose.date, id: compose.id }, images: entries };
  return `${JSON.stringify({ header: productmdHeader("images"), payload }, null, 2)}\n`;
}

/** `<Variant>/<arch>/os/.treeinfo`. */
export function treeInfo(compose: ComposeIdentity, variant: string, arch: string): string {
  return [
    "[general]",
    `arch = ${arch}`,
    `family = Red Hat Enterprise Linux`,
    `name = Red Hat Enterprise Linux ${shortVersion(compose.version)}`,
    `variant = ${variant}`,
    `version = ${shortVersion(compose.version)}`,
    "",
    "[tree]",
    `arch = ${arch}`,
    "build_timestamp = 1713504753",
    `platforms = ${arch}`,
    `variants = ${variant}`,
    "",
  ].join("\n");
}

/** `repodata/repomd.xml` pointing at its primary file. */
export function repomdXml(primaryName: string, checksum: string, sizeBytes: number): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<repomd xmlns="http://linux.duke.edu/metadata/repo">',
    "  <revision>1713504753</revision>",
    '  <data type="primary">',
    `    <checksum type="sha256">${checksum}</checksum>`,
    `    <location href="repodata/${primaryName}"/>`,
    `    <size>${sizeBytes}</size>`,
    "  </data>",
    "</repomd>",
    "",
  ].join("\n");
}
