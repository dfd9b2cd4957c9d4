/**
 * The sandbox's jobs as records, and the in-memory store that keeps them while the API server runs:
 * every request's context carries the store, and the job handlers add, read and delete jobs in it.
 */
export interface SandboxJob {
  readonly id: string;
  readonly etag: string;
  readonly topicId: string;
  readonly componentIds: readonly string[];
  readonly teamId: string;
  readonly remoteciId: string;
  readonly name: string | null;
  readonly comment: string | null;
  readonly createdAt: string;
}

/** The jobs created through the API, keyed by id. */
export class JobStore {
  readonly #jobs = new Map<string, SandboxJob>();

  /** A read-only view for tests and the sandbox's owner. */
  get view(): ReadonlyMap<string, SandboxJob> {
    return this.#jobs;
  }

  add(job: SandboxJob): void {
    this.#jobs.set(job.id, job);
  }

  delete(id: string): void {
    this.#jobs.delete(id);
  }

  /** Jobs of a team that used a component, for `GET /components/{id}`. */
  ofTeamWithComponent(teamId: string, componentId: string): SandboxJob[] {
    return [...this.#jobs.values()].filter(
      (job) => job.teamId === teamId && job.componentIds.includes(componentId),
    );
  }
}
