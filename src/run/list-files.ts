/**
 * Step "list": a component's files list, fetched and checked. The run lists every component of a
 * topic this way before its first transfer, so an unsafe entry in any list stops the topic with
 * nothing downloaded. Throws UnsafePathError (exit 6) and the API's errors.
 */
import { resolve } from "node:path";
import { validateFilesList } from "../planning/safe-path.js";
import type { ComponentTarget, ListedFiles, RunContext, TopicTarget } from "./types.js";

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
