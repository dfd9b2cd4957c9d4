// DciClient's job calls against servers that answer as the real dci-control-server does: the
// creation body has no `components` (they are attached after), and DELETE with a stale or quoted
// If-Match is 404 `job not found` (never 409). The sandbox plays the server for the normal paths;
// a small node:http server on 127.0.0.1 plays one that attached other components than asked.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DciClient } from "../../src/api/client.js";
import {
  ApiShapeError,
  ConflictError,
  EXIT_CODES,
  isMirrorError,
  NotFoundError,
} from "../../src/errors.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
});
afterAll(async () => {
  await sandbox.close();
});

function sandboxClient(): DciClient {
  return new DciClient({ csUrl: sandbox.csUrl, ...sandbox.credentials });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

async function newJob(dci: DciClient) {
  const topic = await dci.topicByName("RHEL-9.4");
  const latest = await dci.latestComponents(topic);
  const componentIds = latest.map((component) => component.id);
  const job = await dci.createJob({ topicId: topic.id, componentIds, comment: "test" });
  return { topic, componentIds, job };
}

describe("DciClient jobs against the sandbox", () => {
  it("returns the component ids it asked for, confirmed by GET /jobs/{id}, when the creation body has none", async () => {
    const dci = sandboxClient();
    sandbox.requestLog.clear();
    const { componentIds, job } = await newJob(dci);
    expect(componentIds.length).toBeGreaterThan(1);
    expect(job.componentIds).toEqual(componentIds);
    expect(job.etag).toMatch(/^[0-9a-f]{32}$/);
    const calls = sandbox.requestLog.entries.map((entry) => `${entry.method} ${entry.path}`);
    expect(calls).toContain(`GET /api/v1/jobs/${job.id}`);
    await dci.deleteJob(job);
    await dci.close();
  });

  it("deletes a job with its current etag, and the job is gone", async () => {
    const dci = sandboxClient();
    const { job } = await newJob(dci);
    await dci.deleteJob(job);
    const gone = await failure(dci.job(job.id));
    expect(gone).toBeInstanceOf(NotFoundError);
    await dci.close();
  });

  it("sends a quoted etag unquoted in If-Match, as the real server needs", async () => {
    const dci = sandboxClient();
    const { job } = await newJob(dci);
    await dci.deleteJob({ id: job.id, etag: `"${job.etag}"` });
    expect(await failure(dci.job(job.id))).toBeInstanceOf(NotFoundError);
    await dci.close();
  });

  it("reports a stale etag as a conflict (exit 2), not as a missing job, and keeps the job", async () => {
    const dci = sandboxClient();
    const { job } = await newJob(dci);
    const stale = await failure(dci.deleteJob({ id: job.id, etag: "0".repeat(32) }));
    expect(stale).toBeInstanceOf(ConflictError);
    expect(isMirrorError(stale) && stale.code).toBe("JOB_ETAG_STALE");
    expect(isMirrorError(stale) && stale.exitCode).toBe(EXIT_CODES.usage);
    expect(isMirrorError(stale) && stale.message).toContain(job.id);
    expect(isMirrorError(stale) && stale.hint).toMatch(
      /changed since it was read; re-read it and retry with its current etag/,
    );
    expect((await dci.job(job.id)).etag).toBe(job.etag);
    await dci.deleteJob(job);
    await dci.close();
  });

  it("reports the deletion of a job that no longer exists as not found (exit 4)", async () => {
    const dci = sandboxClient();
    const { job } = await newJob(dci);
    await dci.deleteJob(job);
    const missing = await failure(dci.deleteJob(job));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(isMirrorError(missing) && missing.code).toBe("JOB_NOT_FOUND");
    expect(isMirrorError(missing) && missing.message).toContain(job.id);
    expect(isMirrorError(missing) && missing.exitCode).toBe(EXIT_CODES.notFound);
    await dci.close();
  });
});

const JOB_ID = "6f1f0c9a-4f1e-4a3e-9a7e-0d1b2c3d4e5f";
const TOPIC_ID = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
const ASKED = "11111111-1111-4111-8111-111111111111";
const OTHER = "22222222-2222-4222-8222-222222222222";

/** A server that creates job JOB_ID and answers GET /jobs/{id} with the given `components`. */
async function startJobServer(components: unknown): Promise<{ url: string; server: Server }> {
  const job = {
    id: JOB_ID,
    etag: "a".repeat(32),
    topic_id: TOPIC_ID,
    state: "active",
    created_at: "2025-01-07T08:15:00",
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on("end", () => {
      const isCreate = request.method === "POST" && request.url === "/api/v1/jobs";
      const body = isCreate || components === undefined ? { job } : { job: { ...job, components } };
      response.writeHead(isCreate ? 201 : 200, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, server };
}

describe("DciClient.createJob against a server that attached other components", () => {
  it.each([
    [
      "other components than asked",
      [{ id: OTHER }],
      /not attached: 11111111.*not asked for: 22222222/,
    ],
    ["no components at all", [], /not attached: 11111111/],
    ["no components key even on GET", undefined, /components/],
  ])("refuses to report success when the job shows %s", async (_case, components, text) => {
    const { url, server } = await startJobServer(components);
    const dci = new DciClient({
      csUrl: url,
      clientId: `remoteci/${ASKED}`,
      apiSecret: "s".repeat(64),
    });
    try {
      const error = await failure(dci.createJob({ topicId: TOPIC_ID, componentIds: [ASKED] }));
      expect(error).toBeInstanceOf(ApiShapeError);
      expect(isMirrorError(error) && error.message).toMatch(text);
      expect(isMirrorError(error) && error.message).toContain(JOB_ID);
    } finally {
      await dci.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("DciClient.deleteJob against an older server that answers a stale etag with 409", () => {
  it("reports the 409 as the same stale-etag conflict, with the job's current etag", async () => {
    const current = "b".repeat(32);
    const server = createServer((request: IncomingMessage, response: ServerResponse) => {
      request.resume();
      request.on("end", () => {
        const isDelete = request.method === "DELETE";
        const body = isDelete
          ? { status_code: 409, message: `Conflict on job '${JOB_ID}' or etag not matched.` }
          : {
              job: {
                id: JOB_ID,
                etag: current,
                topic_id: TOPIC_ID,
                state: "active",
                created_at: "2025-01-07T08:15:00",
                components: [],
              },
            };
        response.writeHead(isDelete ? 409 : 200, { "content-type": "application/json" });
        response.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    const dci = new DciClient({
      csUrl: `http://127.0.0.1:${port}`,
      clientId: `remoteci/${ASKED}`,
      apiSecret: "s".repeat(64),
    });
    try {
      const error = await failure(dci.deleteJob({ id: JOB_ID, etag: "a".repeat(32) }));
      expect(error).toBeInstanceOf(ConflictError);
      expect(isMirrorError(error) && error.code).toBe("JOB_ETAG_STALE");
      expect(isMirrorError(error) && error.message).toContain(current);
    } finally {
      await dci.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
