/**
 * Step "images": copies the container images of the component's images_list.yaml into the
 * registry given (`--registry`), with skopeo, as dci-downloader does. Nothing to do without a
 * registry or an images list.
 */
import { skopeoSync } from "../containers/skopeo.js";
import type { PlannedComponent } from "./plan-files.js";
import type { RunContext, TopicTarget } from "./types.js";

export async function copyImages(
  planned: PlannedComponent,
  topic: TopicTarget,
  context: RunContext,
): Promise<void> {
  const registry = context.settings.registry;
  const imagesList = planned.imagesList;
  if (registry === undefined || imagesList === undefined) return;
  const { component } = planned.target;
  // Loaded here, with yaml, only for components that list images: most do not.
  const { parseImagesList, skopeoSyncYaml, topicRegistryCredentials } = await import(
    "../containers/images.js"
  );
  const credentials = topicRegistryCredentials(topic.topic.data);
  if (credentials === undefined) {
    context.emit({
      type: "warning",
      code: "NO_REGISTRY_CREDENTIALS",
      message: `${component.name} lists container images, but its topic has no registry credentials: images not copied.`,
    });
    return;
  }
  const images = parseImagesList(imagesList);
  await skopeoSync({
    sourceYaml: skopeoSyncYaml(images, credentials),
    destination: registry,
    signal: context.signal,
    onLine: (line) => context.emit({ type: "skopeo", line }),
  });
  context.emit({
    type: "images",
    componentName: component.name,
    registry,
    imageCount: images.length,
  });
}
