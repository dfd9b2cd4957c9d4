/**
 * Step "resolve": a topic request becomes the topic as DCI has it and its local folder. Nothing is
 * created yet; a pseudo file system as destination is refused before any network call.
 */
import { join } from "node:path";
import type { TopicRequest } from "../config/run-settings.js";
import { topicFolderName } from "../planning/folders.js";
import { refusePseudoFileSystem } from "../tree/pseudo-fs.js";
import type { RunContext, TopicTarget } from "./types.js";

export async function resolveTopic(
  request: TopicRequest,
  context: RunContext,
): Promise<TopicTarget> {
  // Before anything is created, or even asked: /proc as DEST would make mkdir loop for ever.
  await refusePseudoFileSystem(request.dest);
  const topic = await context.client.topicByName(request.name, context.signal);
  const folder = join(request.dest, topicFolderName(topic.name));
  context.emit({ type: "topic", topic: topic.name, folder });
  return { request, topic, folder };
}
