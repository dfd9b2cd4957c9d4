/** The topic endpoints: one page or every page of the visible topics, a topic by name or by id. */
import { UsageError } from "../errors.js";
import type { ListPage, Topic } from "../model.js";
import { encodeUnreserved } from "../signing/canonical.js";
import { type ApiContext, getBody, type ListParams, listUrl } from "./context.js";
import { readTopic, readTopicList } from "./endpoints.js";
import { safeUrl, topicNotFound } from "./http-errors.js";
import { pages } from "./pages.js";

/** One page of the topics these credentials can see. */
export async function listTopics(
  api: ApiContext,
  params: ListParams = {},
  signal?: AbortSignal,
): Promise<ListPage<Topic>> {
  const url = listUrl(api, "/topics", params);
  return readTopicList(await getBody(api, url, { what: "topic list" }, signal), safeUrl(url));
}

/** Iterates over every page of the topic list. */
export function topicPages(
  api: ApiContext,
  params: Omit<ListParams, "offset"> = {},
  signal?: AbortSignal,
): AsyncGenerator<ListPage<Topic>> {
  return pages((offset, limit) => listTopics(api, { ...params, offset, limit }, signal), {
    listing: "topic list",
    pageSize: params.limit,
  });
}

/**
 * The active topic of that name (a trailing `*` means "contains", as on the server; the newest
 * match wins). Throws NotFoundError when no visible topic matches.
 */
export async function topicByName(
  api: ApiContext,
  name: string,
  signal?: AbortSignal,
): Promise<Topic> {
  if (name.includes(",") || name.trim() === "") {
    throw new UsageError(`Invalid topic name "${name}".`, {
      code: "USAGE_TOPIC_NAME",
      hint: "A topic name is non-empty and has no comma, e.g. RHEL-9.4.",
    });
  }
  const page = await listTopics(api, { where: `name:${name},state:active` }, signal);
  const [topic] = page.items;
  if (topic === undefined) {
    throw topicNotFound(name);
  }
  return topic;
}

/** A topic by id. */
export async function topic(
  api: ApiContext,
  topicId: string,
  signal?: AbortSignal,
): Promise<Topic> {
  const url = api.url(`/topics/${encodeUnreserved(topicId)}`);
  return readTopic(await getBody(api, url, { what: "topic", topicId }, signal), safeUrl(url));
}
