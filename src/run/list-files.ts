/**
 * Step "list": a component's files list, fetched and checked. The run lists every component of a
 * topic this way before its first transfer, so an unsafe entry in any list stops the topic with
 * nothing downloaded. Throws UnsafePathError (exit 6) and the API's errors.
 */
import { resolve } from "node:path";
import { validateFilesList } from "../planning/safe-path.js";
import type {
  ComponentTarget,
  ListedComponent,
  ListedFiles,
  RunContext,
  TopicTarget,
} from "./types.js";

/**
 * The files list, with the images list asked at the same time: both are round trips to the
 * gateway and the store, and the plan needs both. A failure of the images list is the plan's
 * to report, as the component's.
 */
export async function listComponent(
  target: ComponentTarget,
  topic: TopicTarget,
  context: RunContext,
): Promise<ListedComponent> {
  const imagesList = context.client.imagesList(target.component.id, {
    rhdl: topic.request.rhdl,
    signal: context.signal,
  });
  // Awaited by the plan; if the topic stops before, its failure goes nowhere.
  imagesList.catch(() => undefined);
  const listed = await listFiles(target, topic, context);
  return { ...listed, imagesList };
}

export async function listFiles(
  target: ComponentTarget,
  topic: TopicTarget,
  context: RunContext,
): Promise<ListedFiles> {
  const { component } = target;
  const list = await context.client.filesList(component.id, {
    rhdl: topic.request.rhdl,
    signal: context.signal,
  });
  // With the folder's length, a path too long for the system is refused before any transfer.
  return validateFilesList(list, component.name, {
    rootPathBytes: Buffer.byteLength(resolve(target.folder)),
  });
}
