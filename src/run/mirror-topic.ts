/**
 * One topic, step by step: resolve → select → lock (not for a plan) → list every component's files
 * → mirror each component → unlock. A component whose failure reaches only that component
 * (failures.ts) is reported and the next one goes on; anything wider is thrown.
 */
import { join } from "node:path";
import type { TopicRequest } from "../config/run-settings.js";
import { classify } from "../failures.js";
import { acquireTopicLock, LOCK_FILE_NAME } from "../tree/lock.js";
import { listFiles } from "./list-files.js";
import { mirrorComponent } from "./mirror-component.js";
import { resolveTopic } from "./resolve-topic.js";
import { selectComponents } from "./select-components.js";
import { componentSummary, failureOf, NO_PLAN } from "./summarize.js";
import type {
  ComponentSummary,
  ComponentTarget,
  RunContext,
  TopicSummary,
  TopicTarget,
} from "./types.js";

export async function mirrorTopic(
  request: TopicRequest,
  context: RunContext,
): Promise<TopicSummary> {
  const target = await resolveTopic(request, context);
  const components = await selectComponents(target, context);
  const lock = await lockTopic(target, context);
  try {
    // Every list is fetched and checked first: an unsafe entry in any of them stops the topic
    // before its first transfer, not after the components listed before it were downloaded.
    const lists = [];
    for (const component of components) lists.push(await listFiles(component, target, context));
    const summaries: ComponentSummary[] = [];
    for (const [index, component] of components.entries()) {
      const listed = lists[index] ?? { files: [], symlinks: [] };
      summaries.push(
        await mirrorOrReport(component, () => mirrorComponent(component, listed, target, context)),
      );
    }
    return { name: target.topic.name, folder: target.folder, components: summaries };
  } finally {
    await lock?.release();
  }
}

/** A plan reads and changes nothing, so it takes no lock. */
async function lockTopic(target: TopicTarget, context: RunContext) {
  if (context.settings.dryRun) return undefined;
  const { folder } = target;
  const timeoutMs = context.settings.lockTimeoutMs;
  return acquireTopicLock(folder, {
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    signal: context.signal,
    onWait: (owner) =>
      context.emit({ type: "lock-wait", lockPath: join(folder, LOCK_FILE_NAME), owner }),
  });
}

async function mirrorOrReport(
  target: ComponentTarget,
  run: () => Promise<ComponentSummary>,
): Promise<ComponentSummary> {
  const started = performance.now();
  try {
    return await run();
  } catch (error) {
    if (classify(error).scope !== "component") throw error;
    return componentSummary(target, NO_PLAN, started, { error: failureOf(error) });
  }
}
