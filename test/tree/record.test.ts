import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { VerifiedRecord } from "../../src/model.js";
import { readRecord, writeRecord } from "../../src/tree/record.js";

let root: string;
const signal = new AbortController().signal;
const SHA = "a".repeat(64);

const record: VerifiedRecord = {
  schema: "dci-mirror/state/1",
  componentId: "7f6b0d8e-1111-2222-3333-444455556666",
  componentName: "RHEL-9.4.0-20240415.1",
  files: {
    "BaseOS/x86_64/os/Packages/a.rpm": {
      sizeBytes: 4,
      mtimeMs: 1712345678901.25,
      ino: 42,
      sha256: SHA,
    },
    COMPOSE_ID: { sizeBytes: 21, mtimeMs: 1712345678000, ino: 43, sha256: "b".repeat(64) },
  },
};

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "dci-mirror-record-"));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function writeRaw(text: string): Promise<void> {
  await mkdir(join(root, ".dci-mirror"), { recursive: true });
  await writeFile(join(root, ".dci-mirror/state.json"), text);
}

describe("writeRecord and readRecord", () => {
  it("round-trips a record through .dci-mirror/state.json", async () => {
    await writeRecord(root, record, signal);
    expect(await readRecord(root, signal)).toEqual(record);
  });

  it("replaces the previous record and leaves no temp file, nor touches partial/", async () => {
    await mkdir(join(root, ".dci-mirror/partial"), { recursive: true });
    await writeFile(join(root, ".dci-mirror/partial/x.part"), "half");
    await writeRecord(root, record, signal);
    const next: VerifiedRecord = { ...record, files: {} };
    await writeRecord(root, next, signal);
    expect(await readRecord(root, signal)).toEqual(next);
    expect((await readdir(join(root, ".dci-mirror"))).sort()).toEqual(["partial", "state.json"]);
    expect(await readFile(join(root, ".dci-mirror/partial/x.part"), "utf8")).toBe("half");
  });

  it("reads no record from a folder that has none", async () => {
    expect(await readRecord(join(root, "missing"), signal)).toBeUndefined();
  });

  it.each([
    ["torn JSON", '{"schema":"dci-mirror/state/1","files":{'],
    ["another schema", JSON.stringify({ ...record, schema: "dci-mirror/state/2" })],
    ["a list instead of an object", "[]"],
    ["files as a list", JSON.stringify({ ...record, files: [] })],
    [
      "an entry with a bad sha256",
      JSON.stringify({
        ...record,
        files: { a: { sizeBytes: 1, mtimeMs: 1, ino: 1, sha256: "xyz" } },
      }),
    ],
    [
      "an entry with a negative size",
      JSON.stringify({
        ...record,
        files: { a: { sizeBytes: -1, mtimeMs: 1, ino: 1, sha256: SHA } },
      }),
    ],
  ])("ignores a record holding %s", async (_label, text) => {
    await writeRaw(text);
    expect(await readRecord(root, signal)).toBeUndefined();
  });

  it("ignores a directory standing where the record should be", async () => {
    await mkdir(join(root, ".dci-mirror/state.json"), { recursive: true });
    expect(await readRecord(root, signal)).toBeUndefined();
  });
});
