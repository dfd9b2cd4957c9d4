/**
 * Sandbox records in the JSON shapes of the DCI API: snake_case fields,
 * timestamps without zone, every field the real server prints. Pure.
 */
import { createHash } from "node:crypto";
import type {
  SandboxCatalog,
  SandboxComponent,
  SandboxIdentity,
  SandboxProduct,
  SandboxTeam,
  SandboxTopic,
} from "../catalog/catalog-types.js";

export type ProductJson = {
  readonly id: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly etag: string;
  readonly name: string;
  readonly label: string;
  readonly description: string;
  readonly state: "active";
};

export type TopicBaseJson = {
  readonly id: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly etag: string;
  readonly name: string;
  readonly component_types: readonly string[];
  readonly component_types_optional: readonly string[];
  readonly product_id: string;
  readonly next_topic_id: string | null;
  readonly export_control: boolean;
  readonly state: string;
  readonly data: Readonly<Record<string, unknown>>;
};

export type TopicJson = TopicBaseJson & {
  readonly product: ProductJson | null;
  readonly next_topic: TopicBaseJson | null;
};

export type ComponentJson = {
  readonly id: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly released_at: string;
  readonly etag: string;
  readonly name: string;
  readonly type: string;
  readonly canonical_project_name: string;
  readonly display_name: string;
  readonly version: string;
  readonly uid: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly title: null;
  readonly message: null;
  readonly url: string;
  readonly topic_id: string;
  readonly team_id: string | null;
  readonly state: string;
  readonly tags: readonly string[];
};

export type IdentityJson = {
  readonly id: string;
  readonly etag: null;
  readonly name: null;
  readonly fullname: null;
  readonly email: null;
  readonly timezone: null;
  readonly teams: Readonly<
    Record<
      string,
      {
        readonly team_name: string;
        readonly state: string;
        readonly has_pre_release_access: boolean;
      }
    >
  >;
};

/** Products carry no etag in the catalog; a hash of the id keeps it stable across restarts. */
function productEtag(product: SandboxProduct): string {
  return createHash("md5").update(`product:${product.id}`).digest("hex");
}

/** A product as nested in a topic. */
export function serializeProduct(product: SandboxProduct): ProductJson {
  return {
    id: product.id,
    created_at: product.createdAt,
    updated_at: product.createdAt,
    etag: productEtag(product),
    name: product.name,
    label: product.label,
    description: product.description,
    state: "active",
  };
}

function serializeTopicBase(topic: SandboxTopic): TopicBaseJson {
  return {
    id: topic.id,
    created_at: topic.createdAt,
    updated_at: topic.updatedAt,
    etag: topic.etag,
    name: topic.name,
    component_types: topic.componentTypes,
    component_types_optional: [],
    product_id: topic.productId,
    next_topic_id: topic.nextTopicId,
    export_control: topic.exportControl,
    state: topic.state,
    data: topic.data,
  };
}

/** A topic with its `product` and `next_topic` (the successor's own fields, or null). */
export function serializeTopic(topic: SandboxTopic, catalog: SandboxCatalog): TopicJson {
  const product = catalog.products.find((candidate) => candidate.id === topic.productId);
  const nextTopic = catalog.topics.find((candidate) => candidate.id === topic.nextTopicId);
  return {
    ...serializeTopicBase(topic),
    product: product === undefined ? null : serializeProduct(product),
    next_topic: nextTopic === undefined ? null : serializeTopicBase(nextTopic),
  };
}

/** A component as listed by `/topics/{id}/components` (without `files` and `jobs`). */
export function serializeComponent(component: SandboxComponent): ComponentJson {
  return {
    id: component.id,
    created_at: component.createdAt,
    updated_at: component.updatedAt,
    released_at: component.releasedAt,
    etag: component.etag,
    name: component.name,
    type: component.type,
    canonical_project_name: component.name,
    display_name: component.displayName,
    version: component.version,
    uid: "",
    data: {},
    title: null,
    message: null,
    url: component.url,
    topic_id: component.topicId,
    team_id: component.teamId,
    state: component.state,
    tags: component.tags,
  };
}

/** `GET /identity` for a remoteci or feeder: user-only fields are null, teams keyed by id. */
export function serializeIdentity(identity: SandboxIdentity, team: SandboxTeam): IdentityJson {
  return {
    id: identity.id,
    etag: null,
    name: null,
    fullname: null,
    email: null,
    timezone: null,
    teams: {
      [team.id]: {
        team_name: team.name,
        state: team.state,
        has_pre_release_access: team.hasPreReleaseAccess,
      },
    },
  };
}

/** An instant as the API prints it: UTC ISO 8601 without zone, microseconds only when non-zero. */
export function formatApiTimestamp(epochMs: number): string {
  const iso = new Date(epochMs).toISOString().replace(/Z$/, "");
  return iso.endsWith(".000") ? iso.slice(0, -4) : `${iso}000`;
}
