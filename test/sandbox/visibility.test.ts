import { describe, expect, it } from "vitest";
import {
  canAccessComponent,
  canSeeComponent,
  canSeeTopic,
  findViewer,
  visibleComponents,
  visibleTopics,
} from "../../src/sandbox/api/visibility.js";
import type { SandboxTeam } from "../../src/sandbox/catalog/catalog-types.js";
import { IDS, tinyCatalog } from "./fixtures/tiny-catalog.js";

const catalog = tinyCatalog();

function team(id: string): SandboxTeam {
  const found = catalog.teams.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no team ${id}`);
  return found;
}

function topic(id: string) {
  const found = catalog.topics.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no topic ${id}`);
  return found;
}

function component(id: string) {
  const found = catalog.components.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no component ${id}`);
  return found;
}

describe("findViewer", () => {
  it.each([
    ["an active remoteci", "remoteci", IDS.remoteciAcme, true],
    [
      "an inactive remoteci (inactive identities still authenticate)",
      "remoteci",
      IDS.remoteciAcmeInactive,
      true,
    ],
    ["a feeder", "feeder", IDS.feederPartner, true],
    ["an id in upper case", "remoteci", IDS.remoteciAcme.toUpperCase(), true],
  ])("finds %s", (_case, clientType, id, isFound) => {
    expect(findViewer(catalog, clientType, id) !== undefined).toBe(isFound);
  });

  it.each([
    ["an archived remoteci", "remoteci", IDS.remoteciAcmeArchived],
    ["a remoteci asked for as a feeder", "feeder", IDS.remoteciAcme],
    ["an unknown id", "remoteci", "00000000-0000-4000-8000-000000000000"],
  ])("treats %s as unknown", (_case, clientType, id) => {
    expect(findViewer(catalog, clientType, id)).toBeUndefined();
  });

  it("returns the identity's team, so the server can refuse inactive teams", () => {
    expect(findViewer(catalog, "remoteci", IDS.remoteciSleepy)?.team.state).toBe("inactive");
  });
});

describe("topic visibility", () => {
  it.each([
    ["an export-controlled topic of its product", IDS.teamAcme, IDS.topicRhel94, true],
    ["an inactive topic (listed and fetchable)", IDS.teamAcme, IDS.topicRhel92, true],
    ["a pre-release topic without pre-release access", IDS.teamAcme, IDS.topicRhel10Beta, false],
    ["a pre-release topic with pre-release access", IDS.teamPartner, IDS.topicRhel10Beta, true],
    [
      "an archived topic, even with access to everything",
      IDS.teamPartner,
      IDS.topicRhel95Archived,
      false,
    ],
    ["a topic of a product the team is not associated with", IDS.teamAcme, IDS.topicOcp416, false],
  ])("decides %s", (_case, teamId, topicId, isVisible) => {
    expect(canSeeTopic(team(teamId), topic(topicId))).toBe(isVisible);
  });

  it("lists the visible topics only", () => {
    expect(visibleTopics(catalog, team(IDS.teamAcme)).map((found) => found.name)).toEqual([
      "RHEL-9.4",
      "RHEL-9.2",
    ]);
    expect(visibleTopics(catalog, team(IDS.teamStranger)).map((found) => found.name)).toEqual([
      "OCP-4.16",
    ]);
  });
});

describe("component visibility", () => {
  it.each([
    ["a public component", IDS.teamAcme, IDS.composeNightly, true],
    ["an inactive public component", IDS.teamAcme, IDS.composeNoinstall, true],
    ["a component of a team that granted access", IDS.teamAcme, IDS.partnerPrivate, true],
    ["its own team's component", IDS.teamPartner, IDS.partnerPrivate, true],
    ["another team's private component", IDS.teamAcme, IDS.strangerPrivate, false],
    ["an archived component", IDS.teamAcme, IDS.archivedCompose, false],
  ])("decides %s", (_case, teamId, componentId, isVisible) => {
    expect(canSeeComponent(team(teamId), component(componentId))).toBe(isVisible);
  });

  it("also requires the component's topic to be visible for direct access", () => {
    const beta = component(IDS.betaCompose);
    expect(canSeeComponent(team(IDS.teamAcme), beta)).toBe(true);
    expect(canAccessComponent(catalog, team(IDS.teamAcme), beta)).toBe(false);
    expect(canAccessComponent(catalog, team(IDS.teamPartner), beta)).toBe(true);
  });

  it("lists a topic's visible components, archived and private ones left out", () => {
    const names = visibleComponents(catalog, team(IDS.teamAcme), IDS.topicRhel94).map(
      (found) => found.name,
    );
    expect(names).toEqual([
      "RHEL-9.4.0-20240420.1",
      "RHEL-9.4.0-20240419.5",
      "RHEL-9.4.0-20240419.5-noinstall",
      "partner-tool-1.0",
      "RHEL-9.4.0-20240422.1",
    ]);
  });
});
