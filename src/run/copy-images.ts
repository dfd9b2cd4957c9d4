/**
 * Step "images": copies the container images of the component's images_list.yaml into the
 * registry given (`--registry`), with skopeo, as dci-downloader does. Nothing to do without a
 * registry or an images list. A copy that was asked for and did not happen (no registry
 * credentials on the topic, or skopeo failing) is returned as the component's failure (exit 10):
 * its files are mirrored all the same, and the run goes on.
 */
import { skopeoSync } from "../containers/skopeo.js";
import { ImagesNotCopiedError } from "../errors.js";
import { classify } from "../failures.js";
import type { PlannedComponent } from "./plan-files.js";
import type { RunContext, TopicTarget } from "./types.js";

/** Copies the images; returns ImagesNotCopiedError when they were not copied, else undefined. */
export async function copyImages(
  planned: PlannedComponent,
  topic: TopicTarget,
  context: RunContext,
): Promise<ImagesNotCopiedError | undefined> {
  const registry = context.settings.registry;
  const imagesList = planned.imagesList;
  if (registry === undefined || imagesList === undefined) return undefined;
  const { component } = planned.target;
  // Loaded here, with yaml, only for components that list images: most do not.
  const { parseImagesList, skopeoSyncYaml, topicRegistryCredentials } = await import(
    "../containers/images.js"
  );
  const credentials = topicRegistryCredentials(topic.topic.data);
  if (credentials === undefined) {
    return new ImagesNotCopiedError(
      `${component.name} lists container images, but topic ${topic.topic.name} has no registry credentials: its images were not copied to ${registry}.`,
      {
        code: "IMAGES_NOT_COPIED",
        hint: "The files were mirrored. Ask your Red Hat contact for registry access on this topic, or leave out --registry.",
      },
    );
  }
  const images = parseImagesList(imagesList);
  try {
    await skopeoSync({
      sourceYaml: skopeoSyncYaml(images, credentials),
      destination: registry,
      signal: context.signal,
      onLine: (line) => context.emit({ type: "skopeo", line }),
    });
  } catch (error) {
    if (context.signal.aborted || classify(error).scope === "run") throw error;
    const reason = error instanceof Error ? error.message : String(error);
    return new ImagesNotCopiedError(
      `The container images of ${component.name} were not copied to ${registry}: ${reason}`,
      {
        code: "IMAGES_NOT_COPIED",
        hint: "The files were mirrored. Check that the registry is reachable and accepts pushes without credentials; run with --verbose for skopeo's output.",
        cause: error,
      },
    );
  }
  context.emit({
    type: "images",
    componentName: component.name,
    registry,
    imageCount: images.length,
  });
  return undefined;
}
