// latestComponent against the real sandbox when two components share the newest created_at: the
// greater id wins whichever of the two the server lists first, and it takes one API call.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DciClient } from "../../src/api/client.js";
import type { SandboxComponent } from "../../src/sandbox/catalog/catalog-types.js";
import { buildComponent } from "../../src/sandbox/catalog/component-builder.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { addTestComponent, TEST_TOPIC } from "../helpers/sandbox-component.js";

const NEWEST = "2024-06-01T08:00:00.250000";

let sandbox: Sandbox;
let dci: DciClient;
let topicId: string;

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
  dci = new DciClient({ csUrl: sandbox.csUrl, ...sandbox.credentials });
  topicId = (await dci.topicByName(TEST_TOPIC)).id;
});
afterAll(async () => {
  await dci.close();
  await sandbox.close();
});

/**
 * Adds, for a type of its own, an older component then two created at the same newest instant, in
 * the given order; the sandbox sorts stably, so it lists tied components in the order added.
 */
function addTiedPair(type: string, first: "smaller" | "greater") {
  addTestComponent(sandbox, { seed: type, name: `${type}-old`, type, files: [] });
  const build = (name: string): SandboxComponent =>
    buildComponent({ seed: type, topicId, name, type, createdAt: NEWEST, files: [] });
  const one = build(`${type}-a`);
  const two = build(`${type}-b`);
  const [smaller, greater] = one.id < two.id ? [one, two] : [two, one];
  const added = first === "smaller" ? [smaller, greater] : [greater, smaller];
  for (const component of added) sandbox.addComponent(component);
  return { listed: added.map((component) => component.id), greater };
}

describe("latestComponent when two components share the newest created_at", () => {
  it.each(["smaller", "greater"] as const)(
    "picks the greater id when the server lists the %s id first, in one call",
    async (first) => {
      const type = `tie-${first}-first`;
      const { listed, greater } = addTiedPair(type, first);
      const page = await dci.listComponents(topicId, {
        where: `type:${type},state:active`,
        sort: "-created_at",
      });
      expect(page.items.map((component) => component.id)).toEqual([...listed, expect.any(String)]);
      sandbox.requestLog.clear();
      const latest = await dci.latestComponent(topicId, { type });
      expect(latest?.id).toBe(greater.id);
      const calls = sandbox.requestLog.entries.filter((entry) => entry.server === "api");
      expect(calls).toHaveLength(1);
      expect(calls[0]?.query).toContain("sort=-created_at");
    },
  );
});
