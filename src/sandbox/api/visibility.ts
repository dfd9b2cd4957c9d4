/**
 * Who may see what in the sandbox, by the DCI server's rules for a remoteci or feeder: topics of
 * the team's products (only export-controlled ones without pre-release access), components that
 * are public, the team's own, or granted by their owner team. Archived records are never visible.
 * Pure.
 */
import type {
  SandboxCatalog,
  SandboxComponent,
  SandboxIdentity,
  SandboxTeam,
  SandboxTopic,
} from "../catalog/catalog-types.js";

/** An authenticated caller: the identity and its team. */
export interface Viewer {
  readonly identity: SandboxIdentity;
  readonly team: SandboxTeam;
}

/**
 * Finds a caller by credential type and id; undefined when unknown, archived, or without a team
 * (the server treats archived identities as if they did not exist).
 */
export function findViewer(
  catalog: SandboxCatalog,
  clientType: string,
  clientId: string,
): Viewer | undefined {
  const wantedId = clientId.toLowerCase();
  const identity = catalog.identities.find(
    (candidate) =>
      candidate.clientType === clientType &&
      candidate.id.toLowerCase() === wantedId &&
      candidate.state !== "archived",
  );
  const team = catalog.teams.find((candidate) => candidate.id === identity?.teamId);
  return identity === undefined || team === undefined ? undefined : { identity, team };
}

/** True when the team may see the topic (existence is the caller's concern: archived is false). */
export function canSeeTopic(team: SandboxTeam, topic: SandboxTopic): boolean {
  if (topic.state === "archived") return false;
  if (!team.productIds.includes(topic.productId)) return false;
  return team.hasPreReleaseAccess || topic.exportControl;
}

/** The topics a team sees in `GET /topics`, in catalog order. */
export function visibleTopics(catalog: SandboxCatalog, team: SandboxTeam): SandboxTopic[] {
  return catalog.topics.filter((topic) => canSeeTopic(team, topic));
}

/**
 * True when the team may see the component itself: public (`team_id` null), its own, or owned by a
 * team that granted it access. The topic check is separate (`canAccessComponent`).
 */
export function canSeeComponent(team: SandboxTeam, component: SandboxComponent): boolean {
  if (component.state === "archived") return false;
  if (component.teamId === null || component.teamId === team.id) return true;
  return team.grantedByTeamIds.includes(component.teamId);
}

/** True when the team may fetch the component directly: its topic and the component are visible. */
export function canAccessComponent(
  catalog: SandboxCatalog,
  team: SandboxTeam,
  component: SandboxComponent,
): boolean {
  const topic = catalog.topics.find((candidate) => candidate.id === component.topicId);
  return topic !== undefined && canSeeTopic(team, topic) && canSeeComponent(team, component);
}

/** The components of a topic a team sees in `GET /topics/{id}/components`, in catalog order. */
export function visibleComponents(
  catalog: SandboxCatalog,
  team: SandboxTeam,
  topicId: string,
): SandboxComponent[] {
  return catalog.components.filter(
    (component) => component.topicId === topicId && canSeeComponent(team, component),
  );
}
