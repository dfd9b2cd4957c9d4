import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isStale, readHolder } from "../../src/tree/lock-holder.js";

let folder: string;
let lockPath: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "dci-mirror-lock-holder-"));
  lockPath = join(folder, ".dci-mirror.lock");
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe("readHolder", () => {
  it("says the lock is gone when there is no file", async () => {
    expect(await readHolder(lockPath)).toEqual({ kind: "gone" });
  });

  it("reads the owner and keeps the exact text for later comparison", async () => {
    const text = `${JSON.stringify({ pid: 7, host: "h", startedAt: "t", token: "x" })}\n`;
    await writeFile(lockPath, text);
    expect(await readHolder(lockPath)).toEqual({
      kind: "owner",
      owner: { pid: 7, host: "h", startedAt: "t" },
      text,
    });
  });

  it.each([
    ["empty", ""],
    ["not JSON", "pid=7"],
    ["a zero pid", JSON.stringify({ pid: 0, host: "h", startedAt: "t" })],
    ["no host", JSON.stringify({ pid: 7, startedAt: "t" })],
  ])("calls a lock with %s content garbled", async (_label, text) => {
    await writeFile(lockPath, text);
    expect(await readHolder(lockPath)).toMatchObject({ kind: "garbled", text });
  });
});

describe("isStale", () => {
  const owner = (host: string, pid: number) => ({
    kind: "owner" as const,
    owner: { pid, host, startedAt: "t" },
    text: "",
  });

  it("keeps a live process's lock on this host", () => {
    expect(isStale(owner(hostname(), process.pid), 0)).toBe(false);
  });

  it("never judges a lock of another host", () => {
    expect(isStale(owner(`not-${hostname()}`, 2 ** 30), 0)).toBe(false);
  });

  it("calls a garbled lock stale only after a minute", () => {
    const garbled = { kind: "garbled" as const, text: "", modifiedMs: 1_000 };
    expect(isStale(garbled, 61_000)).toBe(false);
    expect(isStale(garbled, 61_001)).toBe(true);
  });
});
