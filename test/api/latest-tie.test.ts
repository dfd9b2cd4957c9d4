// latestComponent against the real sandbox: when two components share the newest created_at the
// greater id wins whichever of the two the server lists first (a second, longer list shows them
// all); a newest component alone at its instant takes one small call.
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
 * Adds, for a type of its own, an older component then three created at the same newest instant,
 * by ascending or descending id; the sandbox sorts stably, so it lists tied components in the
 * order added. Ascending puts the greatest id third: past the first, two-item list.
 */
function addTiedComponents(type: string, first: "smaller" | "greater") {
  addTestComponent(sandbox, { seed: type, name: `${type}-old`, type, files: [] });
  const build = (name: string): SandboxComponent =>
    buildComponent({ seed: type, topicId, name, type, createdAt: NEWEST, files: [] });
  const tied = [build(`${type}-a`), build(`${type}-b`), build(`${type}-c`)].sort((a, b) =>
    a.id < b.id ? -1 : 1,
  );
  const added = first === "smaller" ? tied : [...tied].reverse();
  for (const component of added) sandbox.addComponent(component);
  return { listed: added.map((component) => component.id), greater: tied[2] };
}

describe("latestComponent when components share the newest created_at", () => {
  it.each(["smaller", "greater"] as const)(
    "picks the greater id when the server lists the %s id first",
    async (first) => {
      const type = `tie-${first}-first`;
      const { listed, greater } = addTiedComponents(type, first);
      const page = await dci.listComponents(topicId, {
        where: `type:${type},state:active`,
        sort: "-created_at",
      });
      expect(page.items.map((component) => component.id)).toEqual([...listed, expect.any(String)]);
      sandbox.requestLog.clear();
      const latest = await dci.latestComponent(topicId, { type });
      expect(latest?.id).toBe(greater?.id);
      const calls = sandbox.requestLog.entries.filter((entry) => entry.server === "api");
      expect(calls.map((call) => call.query)).toEqual([
        expect.stringMatching(/sort=-created_at.*limit=2\b/),
        expect.stringMatching(/sort=-created_at.*limit=20\b/),
      ]);
    },
  );

  it("takes one call listing two when the newest is alone at its instant", async () => {
    const type = "no-tie";
    addTestComponent(sandbox, { seed: type, name: `${type}-old`, type, files: [] });
    const newest = addTestComponent(sandbox, {
      seed: `${type}-new`,
      name: `${type}-new`,
      type,
      createdAt: NEWEST,
      files: [],
    });
    sandbox.requestLog.clear();
    expect((await dci.latestComponent(topicId, { type }))?.id).toBe(newest.id);
    const calls = sandbox.requestLog.entries.filter((entry) => entry.server === "api");
    expect(calls.map((call) => call.query)).toEqual([expect.stringMatching(/limit=2\b/)]);
  });
});
