import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LockedError } from "../../src/errors.js";
import { acquireTopicLock, LOCK_FILE_NAME, type LockOwner } from "../../src/tree/lock.js";

let topicFolder: string;
let lockPath: string;
const signal = new AbortController().signal;

beforeEach(async () => {
  const base = await mkdtemp(join(tmpdir(), "dci-mirror-lock-"));
  // A folder that does not exist yet: acquiring creates it.
  topicFolder = join(base, "RHEL-9.4");
  lockPath = join(topicFolder, LOCK_FILE_NAME);
});

afterEach(async () => {
  await rm(join(topicFolder, ".."), { recursive: true, force: true });
});

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await once(child, "exit");
  if (child.pid === undefined) throw new Error("the child process got no pid");
  return child.pid;
}

async function writeForeignLock(owner: LockOwner): Promise<void> {
  await mkdir(topicFolder, { recursive: true });
  await writeFile(lockPath, JSON.stringify(owner));
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

describe("acquireTopicLock", () => {
  it("creates the topic folder and a lock naming this pid and host, leaving no temp file", async () => {
    const lock = await acquireTopicLock(topicFolder, { signal, timeoutMs: 0 });
    expect(lock.path).toBe(lockPath);
    expect(JSON.parse(await readFile(lockPath, "utf8"))).toMatchObject({
      pid: process.pid,
      host: hostname(),
    });
    expect(await readdir(topicFolder)).toEqual([LOCK_FILE_NAME]);
    await lock.release();
    expect(await readdir(topicFolder)).toEqual([]);
  });

  it("makes a second acquirer wait until the first releases", async () => {
    const first = await acquireTopicLock(topicFolder, { signal });
    const waiting = deferred<LockOwner>();
    let isSecondHeld = false;
    const second = acquireTopicLock(topicFolder, {
      signal,
      pollMs: 5,
      onWait: waiting.resolve,
    }).then((lock) => {
      isSecondHeld = true;
      return lock;
    });
    const owner = await waiting.promise;
    expect(owner).toMatchObject({ pid: process.pid, host: hostname() });
    expect(isSecondHeld).toBe(false);
    await first.release();
    const lock = await second;
    expect(isSecondHeld).toBe(true);
    await lock.release();
  });

  it("fails at once with a LockedError naming the pid and host when the timeout is 0", async () => {
    await writeForeignLock({ pid: 4242, host: "host-a", startedAt: "2026-01-02T03:04:05.000Z" });
    const attempt = acquireTopicLock(topicFolder, { signal, timeoutMs: 0 });
    await expect(attempt).rejects.toBeInstanceOf(LockedError);
    await expect(attempt).rejects.toMatchObject({
      code: "LOCKED",
      exitCode: 8,
      message: `Another run (pid 4242 on host-a, since 2026-01-02T03:04:05.000Z) holds ${lockPath}.`,
      hint: expect.stringContaining(`remove ${lockPath} only if that process is gone`),
    });
    expect(await readdir(topicFolder)).toEqual([LOCK_FILE_NAME]);
  });

  it("gives up when the timeout passes, after telling the caller once whom it waits for", async () => {
    await writeForeignLock({ pid: 4242, host: "host-a", startedAt: "2026-01-02T03:04:05.000Z" });
    let clockMs = 0;
    const owners: LockOwner[] = [];
    const attempt = acquireTopicLock(topicFolder, {
      signal,
      timeoutMs: 1_000,
      pollMs: 1,
      now: () => (clockMs += 100),
      onWait: (owner) => owners.push(owner),
    });
    await expect(attempt).rejects.toBeInstanceOf(LockedError);
    expect(owners).toEqual([{ pid: 4242, host: "host-a", startedAt: "2026-01-02T03:04:05.000Z" }]);
  });

  it("takes over a stale lock left on this host by a process that is gone", async () => {
    const pid = await deadPid();
    await writeForeignLock({ pid, host: hostname(), startedAt: "2026-01-02T03:04:05.000Z" });
    const lock = await acquireTopicLock(topicFolder, { signal, timeoutMs: 0 });
    expect(JSON.parse(await readFile(lockPath, "utf8"))).toMatchObject({ pid: process.pid });
    expect(await readdir(topicFolder)).toEqual([LOCK_FILE_NAME]);
    await lock.release();
  });

  it("never takes over a lock of another host, even when the pid is unknown here", async () => {
    const pid = await deadPid();
    const owner = { pid, host: `not-${hostname()}`, startedAt: "2026-01-02T03:04:05.000Z" };
    await writeForeignLock(owner);
    await expect(acquireTopicLock(topicFolder, { signal, timeoutMs: 0 })).rejects.toBeInstanceOf(
      LockedError,
    );
    expect(JSON.parse(await readFile(lockPath, "utf8"))).toEqual(owner);
  });

  it("treats a garbled lock as stale only once it is more than a minute old", async () => {
    await writeForeignLock({ pid: 1, host: "x", startedAt: "" });
    await writeFile(lockPath, "{ half a lock");
    await expect(acquireTopicLock(topicFolder, { signal, timeoutMs: 0 })).rejects.toMatchObject({
      code: "LOCKED",
      message: expect.stringContaining("An unreadable lock file"),
    });
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await utimes(lockPath, twoMinutesAgo, twoMinutesAgo);
    const lock = await acquireTopicLock(topicFolder, { signal, timeoutMs: 0 });
    await lock.release();
  });

  it("stops waiting with the signal's reason when aborted", async () => {
    const first = await acquireTopicLock(topicFolder, { signal });
    const controller = new AbortController();
    const reason = new Error("interrupted by the test");
    const attempt = acquireTopicLock(topicFolder, {
      signal: controller.signal,
      pollMs: 60_000,
      onWait: () => controller.abort(reason),
    });
    await expect(attempt).rejects.toBe(reason);
    expect(await readdir(topicFolder)).toEqual([LOCK_FILE_NAME]);
    await first.release();
  });

  it("lets racing acquirers hold the lock one at a time", async () => {
    let holderCount = 0;
    let maxHolderCount = 0;
    const runs = Array.from({ length: 5 }, async () => {
      const lock = await acquireTopicLock(topicFolder, { signal, pollMs: 1 });
      holderCount++;
      maxHolderCount = Math.max(maxHolderCount, holderCount);
      // Hold across a turn of the event loop, so the others really try while it is held.
      await new Promise((resolve) => setImmediate(resolve));
      holderCount--;
      await lock.release();
    });
    await Promise.all(runs);
    expect(maxHolderCount).toBe(1);
    expect(await readdir(topicFolder)).toEqual([]);
  });
});

describe("TopicLock.release", () => {
  it("is idempotent", async () => {
    const lock = await acquireTopicLock(topicFolder, { signal });
    await lock.release();
    await lock.release();
    expect(await readdir(topicFolder)).toEqual([]);
  });

  it("leaves alone a lock that someone else holds now", async () => {
    const lock = await acquireTopicLock(topicFolder, { signal });
    const theirs = JSON.stringify({ pid: 4242, host: "host-a", startedAt: "later" });
    await writeFile(lockPath, theirs);
    await lock.release();
    expect(await readFile(lockPath, "utf8")).toBe(theirs);
  });
});
