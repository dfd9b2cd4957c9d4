/**
 * The component endpoints: one page or every page of a topic's components, a component by id, and
 * the latest component per filter, picked on the client from the server's newest candidates.
 */
import type { Component, ComponentFilter, ListPage, Topic } from "../model.js";
import { encodeUnreserved } from "../signing/canonical.js";
import { type ApiContext, getBody, type ListParams, listUrl } from "./context.js";
import { readComponent, readComponentList } from "./endpoints.js";
import { safeUrl } from "./http-errors.js";
import { pickLatest, timestampKey } from "./latest.js";
import { pages } from "./pages.js";

/**
 * Candidates fetched, newest `created_at` first, when the two newest share their instant: the pick
 * is right whenever fewer than this many components share it.
 */
export const LATEST_CANDIDATES = 20;

/** One page of a topic's components (default order: newest `released_at` first). */
export async function listComponents(
  api: ApiContext,
  topicId: string,
  params: ListParams = {},
  signal?: AbortSignal,
): Promise<ListPage<Component>> {
  const url = listUrl(api, `/topics/${encodeUnreserved(topicId)}/components`, params);
  const body = await getBody(api, url, { what: "component list" }, signal);
  return readComponentList(body, safeUrl(url));
}

/** Iterates over every page of a topic's components. */
export function componentPages(
  api: ApiContext,
  topicId: string,
  params: Omit<ListParams, "offset"> = {},
  signal?: AbortSignal,
): AsyncGenerator<ListPage<Component>> {
  return pages(
    (offset, limit) => listComponents(api, topicId, { ...params, offset, limit }, signal),
    { listing: `component list of topic ${topicId}`, pageSize: params.limit },
  );
}

/** A component by id. */
export async function component(
  api: ApiContext,
  componentId: string,
  signal?: AbortSignal,
): Promise<Component> {
  const url = api.url(`/components/${encodeUnreserved(componentId)}`);
  const body = await getBody(api, url, { what: "component", componentId }, signal);
  return readComponent(body, safeUrl(url));
}

/**
 * The latest active component of a type (and tag), as dci-downloader means "latest": newest
 * `created_at`, ties broken by the greater id (pickLatest), picked on the client. One call lists
 * the two newest; only when they share their instant does a second list LATEST_CANDIDATES of them,
 * so that the tie-break sees every component of that instant. Undefined when there is none.
 */
export async function latestComponent(
  api: ApiContext,
  topicId: string,
  filter: ComponentFilter,
  signal?: AbortSignal,
): Promise<Component | undefined> {
  const clauses = [`type:${filter.type.toLowerCase()}`, "state:active"];
  if (filter.tag !== undefined && filter.tag !== "") clauses.push(`tags:${filter.tag}`);
  const where = clauses.join(",");
  const newest = (limit: number) =>
    listComponents(api, topicId, { sort: "-created_at", limit, offset: 0, where }, signal);
  const { items } = await newest(2);
  const [first, second] = items;
  // The usual case, a newest component alone at its instant: one small answer settles it.
  if (first === undefined || second === undefined || !sameInstant(first, second))
    return pickLatest(items, filter);
  return pickLatest((await newest(LATEST_CANDIDATES)).items, filter);
}

function sameInstant(left: Component, right: Component): boolean {
  return timestampKey(left.createdAt) === timestampKey(right.createdAt);
}

/**
 * The latest component of each filter, in the filters' order (`undefined`: the filter found none);
 * by default one filter per component type of the topic. The lookups are asked together: far from
 * DCI each is a round trip, and the client's cap on API requests bounds them.
 */
export function latestPerFilter(
  api: ApiContext,
  topic: Topic,
  filters: readonly ComponentFilter[] = topic.componentTypes.map((type) => ({ type })),
  signal?: AbortSignal,
): Promise<(Component | undefined)[]> {
  return Promise.all(filters.map((filter) => latestComponent(api, topic.id, filter, signal)));
}

/** The latest component per filter, those that found one; filters as in `latestPerFilter`. */
export async function latestComponents(
  api: ApiContext,
  topic: Topic,
  filters?: readonly ComponentFilter[],
  signal?: AbortSignal,
): Promise<Component[]> {
  const latest = await latestPerFilter(api, topic, filters, signal);
  return latest.filter((component) => component !== undefined);
}
