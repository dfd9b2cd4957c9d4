/**
 * The OpenShift-4.16 components of the sandbox catalog: non-compose types with a few files each,
 * one with container images, two private ones (one visible through a team grant, one not), and a
 * component whose file names need careful percent-encoding.
 */
import type { SandboxComponent } from "./catalog-types.js";
import { buildComponent, type FileInput, randomFile, textFile } from "./component-builder.js";

export interface OpenShiftContext {
  readonly seed: string;
  readonly topicId: string;
  /** The team that granted Sandbox Lab access: its private component is visible. */
  readonly partnerTeamId: string;
  /** A team that granted nothing: its private component is invisible to Sandbox Lab. */
  readonly privateTeamId: string;
}

/** The component type holding awkward file names (also listed in the topic's types). */
export const FILE_NAMES_TYPE = "file-names";

/** File names a client must encode on the wire and reproduce exactly on disk. */
export const AWKWARD_FILE_NAMES = [
  "a;b.txt",
  "hash#tag.txt",
  "what?.txt",
  "100%41.txt",
  "with space.txt",
  "plus+sign.txt",
  "café-ñ.txt",
  "empty.txt",
  "passt-0^20240624.rpm",
] as const;

const KIB = 1024;

/** Every OpenShift-4.16 component. */
export function openShiftComponents(context: OpenShiftContext): SandboxComponent[] {
  const { seed, topicId } = context;
  const random = (component: string, path: string, sizeBytes: number): FileInput =>
    randomFile(path, `${seed}:${component}:${path}`, sizeBytes);
  const ocp = (version: string, createdAt: string, images?: readonly string[]) =>
    buildComponent({
      seed,
      topicId,
      name: version,
      type: "ocp",
      tags: ["build:ga"],
      createdAt,
      files: [
        textFile("release.txt", `Name: ${version}\nDigest: sha256:${"0".repeat(64)}\n`),
        random(version, `openshift-install-linux-${version}.tar.gz`, 300 * KIB),
        random(version, `openshift-client-linux-${version}.tar.gz`, 200 * KIB),
      ],
      ...(images ? { images } : {}),
    });
  const tests = (type: string, name: string, createdAt: string, teamId: string | null) =>
    buildComponent({
      seed,
      topicId,
      name,
      type,
      createdAt,
      teamId,
      files: [
        textFile("README.md", `# ${name}\n\nTest suite for OpenShift 4.16.\n`),
        textFile("config/suite.yaml", `suite: ${type}\nparallel: 4\n`),
        random(name, `${type}.tar.gz`, 96 * KIB),
      ],
    });
  return [
    ocp("4.16.2", "2024-07-09T12:00:41.310022"),
    ocp("4.16.3", "2024-07-16T12:03:17.880415", [
      "registry.sandbox.example/ocp/ocp-release:4.16.3-x86_64",
      "registry.sandbox.example/ocp/ocp-release:4.16.3-aarch64",
      "registry.sandbox.example/ocp/ose-cli:v4.16",
    ]),
    tests("ose-tests", "ose-tests-4.16.3-20240716", "2024-07-16T13:10:00.220011", null),
    // Newest of its type but private to a team that granted nothing: must never be picked.
    tests(
      "ose-tests",
      "ose-tests-4.16.3-20240720-private",
      "2024-07-20T08:45:12.003117",
      context.privateTeamId,
    ),
    tests("cnf-tests", "cnf-tests-4.16.3-20240717", "2024-07-17T09:20:31.640205", null),
    tests(
      "cnf-tests",
      "cnf-tests-4.16.3-20240718-partner",
      "2024-07-18T10:02:44.518890",
      context.partnerTeamId,
    ),
    fileNamesComponent(context),
  ];
}

function fileNamesComponent(context: OpenShiftContext): SandboxComponent {
  const files = AWKWARD_FILE_NAMES.map((name) =>
    name === "empty.txt" ? textFile(name, "") : textFile(name, `This file is named ${name}\n`),
  );
  return buildComponent({
    seed: context.seed,
    topicId: context.topicId,
    name: "file-names-1",
    type: FILE_NAMES_TYPE,
    createdAt: "2024-07-01T15:31:08.702419",
    files: [
      ...files,
      textFile("dir with space/semi;colon & more.txt", "nested awkward name\n"),
      textFile("dir with space/.hidden", "a dot file\n"),
    ],
    symlinks: [{ path: "dir with space/link to a;b.txt", destination: "../a;b.txt" }],
  });
}
