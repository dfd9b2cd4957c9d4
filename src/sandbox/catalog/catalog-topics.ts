/**
 * The topics of the sandbox catalog: RHEL-8.10, RHEL-9.2 (archived), RHEL-9.4, RHEL-10.0 (not
 * export-controlled, so hidden from teams without pre-release access) and OpenShift-4.16.
 */
import { deriveEtag, deriveSecret, deriveUuid } from "./catalog-ids.js";
import { FILE_NAMES_TYPE } from "./catalog-openshift.js";
import type { SandboxTopic } from "./catalog-types.js";

/** Every topic of the catalog, for the given product ids. */
export function catalogTopics(
  seed: string,
  productIds: { readonly rhelId: string; readonly openShiftId: string },
): SandboxTopic[] {
  return [...rhelTopics(seed, productIds.rhelId), openShiftTopic(seed, productIds.openShiftId)];
}

interface TopicRow {
  readonly name: string;
  readonly componentTypes: readonly string[];
  readonly exportControl: boolean;
  readonly state?: SandboxTopic["state"];
  readonly data?: Readonly<Record<string, unknown>>;
  readonly nextTopicName?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

function rhelTopics(seed: string, productId: string): SandboxTopic[] {
  const registry = { login: "sandbox-pull", password: deriveSecret(seed, "registry").slice(0, 24) };
  const rows: TopicRow[] = [
    {
      name: "RHEL-8.10",
      componentTypes: ["compose"],
      exportControl: true,
      createdAt: "2024-02-12T08:30:14.125008",
      updatedAt: "2024-06-01T04:02:10.300412",
    },
    {
      name: "RHEL-9.2",
      componentTypes: ["compose"],
      exportControl: true,
      state: "archived",
      nextTopicName: "RHEL-9.4",
      createdAt: "2023-03-20T10:00:05.500000",
      updatedAt: "2024-03-28T09:20:00.100000",
    },
    {
      name: "RHEL-9.4",
      componentTypes: ["compose", "compose-noinstall"],
      exportControl: true,
      data: { registry },
      createdAt: "2024-03-28T09:12:44.512301",
      updatedAt: "2024-06-03T14:02:10.004512",
    },
    {
      // Not export-controlled: only teams with pre-release access see it; Sandbox Lab has none.
      name: "RHEL-10.0",
      componentTypes: ["compose"],
      exportControl: false,
      createdAt: "2024-05-20T11:45:30.870062",
      updatedAt: "2024-06-03T06:15:00.010203",
    },
  ];
  return rows.map((row) => topic(seed, productId, row));
}

function openShiftTopic(seed: string, productId: string): SandboxTopic {
  return topic(seed, productId, {
    name: "OpenShift-4.16",
    componentTypes: ["ocp", "ose-tests", "cnf-tests", FILE_NAMES_TYPE],
    exportControl: true,
    createdAt: "2024-05-02T13:25:52.441870",
    updatedAt: "2024-07-20T08:50:03.118204",
  });
}

function topic(seed: string, productId: string, row: TopicRow): SandboxTopic {
  const label = `topic:${row.name}`;
  return {
    id: deriveUuid(seed, label),
    name: row.name,
    productId,
    componentTypes: row.componentTypes,
    exportControl: row.exportControl,
    state: row.state ?? "active",
    data: row.data ?? {},
    nextTopicId: row.nextTopicName ? deriveUuid(seed, `topic:${row.nextTopicName}`) : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    etag: deriveEtag(seed, label),
  };
}
