/**
 * Step "select": the components a topic request names: the one of `componentId`, or the latest
 * per `--filter` (by default one per component type of the topic). Two components that would
 * land in one folder are refused, as in dci-downloader; a request that selects nothing fails its
 * topic (NOTHING_SELECTED, exit 4).
 */
import { join } from "node:path";
import { UsageError } from "../errors.js";
import type { Component } from "../model.js";
import { componentFolderName } from "../planning/folders.js";
import { checkFolderName, snapshotPath } from "../tree/snapshot-paths.js";
import { INVENTORY_COMPONENTS, noComponentSelected } from "./nothing-selected.js";
import type { ComponentTarget, RunContext, TopicTarget } from "./types.js";

export async function selectComponents(
  target: TopicTarget,
  context: RunContext,
): Promise<ComponentTarget[]> {
  const { client, signal } = context;
  const { request } = target;
  const components =
    request.componentId === undefined
      ? await latestComponents(target, context)
      : [await client.component(request.componentId, signal)];
  refuseFolderClash(target, components);
  return components.map((component) => componentTarget(component, target, context));
}

/**
 * The latest component per filter (by default one filter per type of the topic). Throws
 * NotFoundError NOTHING_SELECTED, listing what the topic has, when a filter given finds none, or
 * when the default finds none at all: before the lock, so nothing is touched.
 */
async function latestComponents(target: TopicTarget, context: RunContext): Promise<Component[]> {
  const { client, signal } = context;
  const { request, topic } = target;
  const latest = await client.latestPerFilter(topic, request.filters, signal);
  const components = latest.filter((component) => component !== undefined);
  // The filters given that found none (none for the default, one filter per type).
  const unmatched = (request.filters ?? []).filter((_, index) => latest[index] === undefined);
  if (unmatched.length > 0 || components.length === 0) {
    const page = await client.listComponents(
      topic.id,
      { where: "state:active", sort: "-created_at", limit: INVENTORY_COMPONENTS, offset: 0 },
      signal,
    );
    const inventory = { topic, listed: page.items, count: page.count };
    throw noComponentSelected(inventory, unmatched);
  }
  return components;
}

/** Where a component's files go: its type folder, or in snapshot mode a snapshot beside it. */
function componentTarget(
  component: Component,
  target: TopicTarget,
  context: RunContext,
): ComponentTarget {
  const typeFolder = componentFolderName(component.type);
  if (context.settings.snapshots === 0)
    return { component, folder: join(target.folder, typeFolder) };
  const name = checkFolderName(component.id, "component id");
  const snapshot = { topicFolder: target.folder, typeFolder, name };
  return { component, folder: snapshotPath(target.folder, typeFolder, name), snapshot };
}

function refuseFolderClash(target: TopicTarget, components: readonly Component[]): void {
  const seen = new Map<string, Component>();
  for (const component of components) {
    const folder = componentFolderName(component.type);
    const other = seen.get(folder);
    if (other !== undefined) {
      throw new UsageError(
        `${other.name} and ${component.name} would both land in ${target.topic.name}/${folder}.`,
        {
          code: "USAGE_FOLDER_CLASH",
          hint: "Give one --filter per component type, or mirror the other one into another DEST.",
        },
      );
    }
    seen.set(folder, component);
  }
}
