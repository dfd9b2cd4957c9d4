// One extra component in a sandbox's RHEL-9.4 topic, the way most e2e tests set up the files
// they need: old enough (2020) that it is never "the latest" of a type the catalog already has.
import type { SandboxComponent } from "../../src/sandbox/catalog/catalog-types.js";
import {
  buildComponent,
  type ComponentInput,
} from "../../src/sandbox/catalog/component-builder.js";
import type { Sandbox } from "../../src/sandbox/server.js";

export const TEST_TOPIC = "RHEL-9.4";

/** Builds the component in TEST_TOPIC, adds it to the sandbox and returns it. */
export function addTestComponent(
  sandbox: Sandbox,
  input: Omit<ComponentInput, "topicId" | "createdAt"> & { readonly createdAt?: string },
): SandboxComponent {
  const topicId = sandbox.catalog.topics.find((topic) => topic.name === TEST_TOPIC)?.id ?? "";
  const component = buildComponent({ createdAt: "2020-01-01T00:00:00", ...input, topicId });
  sandbox.addComponent(component);
  return component;
}
