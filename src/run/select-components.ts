/**
 * Step "select": the components a topic request names: the one of `componentId`, or the latest
 * per `--filter` (by default one per component type of the topic). Two components that would
 * land in one folder are refused, as in dci-downloader.
 */
import { join } from "node:path";
import { UsageError } from "../errors.js";
import type { Component } from "../model.js";
import { componentFolderName } from "../planning/folders.js";
import { checkFolderName, snapshotPath } from "../tree/snapshot-paths.js";
import type { ComponentTarget, RunContext, TopicTarget } from "./types.js";

export async function selectComponents(
  target: TopicTarget,
  context: RunContext,
): Promise<ComponentTarget[]> {
  const { client, signal } = context;
  const { request, topic } = target;
  const components =
    request.componentId === undefined
      ? await client.latestComponents(topic, request.filters, signal)
      : [await client.component(request.componentId, signal)];
  refuseFolderClash(target, components);
  if (components.length === 0) {
    context.emit({
      type: "warning",
      code: "NOTHING_TO_MIRROR",
      message: `Topic ${topic.name} has no active component to mirror.`,
    });
  }
  return components.map((component) => componentTarget(component, target, context));
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
