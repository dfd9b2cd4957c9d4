/**
 * The read endpoints of the sandbox API, as the DCI API answers them: identity, topics, a topic,
 * its components, a component. Each follows the server's order: lookup (404), permission (401),
 * then list-parameter validation (400).
 */

import type { SandboxComponent, SandboxTopic } from "../catalog/catalog-types.js";
import { applyListQuery, parseListQuery } from "../query/list-query.js";
import { COMPONENT_LIST_SCHEMA, TOPIC_LIST_SCHEMA } from "../query/list-schemas.js";
import type { ListRow, ListSchema } from "../query/list-types.js";
import type { ApiContext } from "./api-context.js";
import { type ApiResponse, errorResponse, jsonResponse } from "./api-response.js";
import { serializeJob } from "./jobs.js";
import { serializeComponent, serializeIdentity, serializeTopic } from "./serialize.js";
import { canAccessComponent, canSeeTopic, visibleComponents, visibleTopics } from "./visibility.js";

const NOT_AUTHORIZED = "Operation not authorized.";

/** `GET /identity`: the caller and its team; the identity has no etag, so the header reads None. */
export function getIdentity(context: ApiContext): ApiResponse {
  const { identity, team } = context.viewer;
  return jsonResponse(200, { identity: serializeIdentity(identity, team) }, { ETag: "None" });
}

function listResponse(
  key: string,
  rows: readonly ListRow[],
  context: ApiContext,
  schema: ListSchema,
): ApiResponse {
  const parsed = parseListQuery(context.request.rawQuery, schema);
  if (!parsed.ok)
    return errorResponse(parsed.error.status, parsed.error.message, parsed.error.payload);
  const page = applyListQuery(rows, parsed.query, schema);
  return jsonResponse(200, { [key]: page.rows, _meta: { count: page.count } });
}

/** `GET /topics`: the visible topics; an invisible topic is simply absent. */
export function listTopics(context: ApiContext): ApiResponse {
  const { catalog, viewer } = context;
  const rows = visibleTopics(catalog, viewer.team).map((topic) => serializeTopic(topic, catalog));
  return listResponse("topics", rows, context, TOPIC_LIST_SCHEMA);
}

function findTopic(context: ApiContext, topicId: string): SandboxTopic | ApiResponse {
  const topic = context.catalog.topics.find(
    (candidate) => candidate.id.toLowerCase() === topicId && candidate.state !== "archived",
  );
  if (topic === undefined) return errorResponse(404, "topic not found");
  if (!canSeeTopic(context.viewer.team, topic)) return errorResponse(401, NOT_AUTHORIZED);
  return topic;
}

/** `GET /topics/{id}`: one topic with its `ETag`. */
export function getTopic(context: ApiContext, topicId: string): ApiResponse {
  const topic = findTopic(context, topicId);
  if ("kind" in topic) return topic;
  const body = { topic: serializeTopic(topic, context.catalog) };
  return jsonResponse(200, body, { ETag: topic.etag });
}

/** `GET /topics/{id}/components`: the topic is checked before the list parameters. */
export function listTopicComponents(context: ApiContext, topicId: string): ApiResponse {
  const topic = findTopic(context, topicId);
  if ("kind" in topic) return topic;
  const components = visibleComponents(context.catalog, context.viewer.team, topic.id);
  return listResponse(
    "components",
    components.map(serializeComponent),
    context,
    COMPONENT_LIST_SCHEMA,
  );
}

/** Finds a component the caller may use: 404 when unknown or archived, 401 when not visible. */
export function findComponent(
  context: ApiContext,
  componentId: string,
): SandboxComponent | ApiResponse {
  const component = context.catalog.components.find(
    (candidate) => candidate.id.toLowerCase() === componentId && candidate.state !== "archived",
  );
  if (component === undefined) return errorResponse(404, "component not found");
  if (!canAccessComponent(context.catalog, context.viewer.team, component)) {
    return errorResponse(401, NOT_AUTHORIZED);
  }
  return component;
}

/** `GET /components/{id}`: the component with `files` (legacy, always empty) and the team's `jobs`. */
export function getComponent(context: ApiContext, componentId: string): ApiResponse {
  const component = findComponent(context, componentId);
  if ("kind" in component) return component;
  const jobs = context.jobs
    .ofTeamWithComponent(context.viewer.team.id, component.id)
    .map((job) => serializeJob(job));
  const body = { component: { ...serializeComponent(component), files: [], jobs } };
  return jsonResponse(200, body, { ETag: component.etag });
}
