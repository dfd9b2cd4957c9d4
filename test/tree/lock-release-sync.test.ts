// releaseHeldLocksSync: the forced exit's way to drop the locks this process holds, synchronously.
import { access, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireTopicLock, LOCK_FILE_NAME, releaseHeldLocksSync } from "../../src/tree/lock.js";

let base: string;
const signal = new AbortController().signal;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), "dci-mirror-lock-sync-"));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("releaseHeldLocksSync", () => {
  it("removes every lock this process holds and reports their paths", async () => {
    const first = await acquireTopicLock(join(base, "RHEL-9.4"), { signal });
    const second = await acquireTopicLock(join(base, "RHEL-9.6"), { signal });
    expect(releaseHeldLocksSync().sort()).toEqual([first.path, second.path].sort());
    await expect(access(first.path)).rejects.toThrow();
    await expect(access(second.path)).rejects.toThrow();
    expect(await readdir(join(base, "RHEL-9.4"))).toEqual([]);
  });

  it("leaves a lock alone once it was released, or once another run's text replaced ours", async () => {
    const released = await acquireTopicLock(join(base, "RHEL-9.4"), { signal });
    await released.release();
    const replaced = await acquireTopicLock(join(base, "RHEL-9.6"), { signal });
    const foreignText = JSON.stringify({ pid: 1, host: "elsewhere", startedAt: "now" });
    await writeFile(replaced.path, foreignText);
    expect(releaseHeldLocksSync()).toEqual([]);
    await access(replaced.path);
    expect(join(base, "RHEL-9.6", LOCK_FILE_NAME)).toBe(replaced.path);
  });
});
