// Partials on a real file system: never padded, never written or listed through a symlink, and
// the bytes reported as written are those really on disk (a short write on a full tmpfs).
import { createHash } from "node:crypto";
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { RemoteFile } from "../../src/model.js";
import { listPartials, removeStalePartials } from "../../src/transfer/partial.js";
import {
  finishHeldPartial,
  openPartialWriter,
  PartialChangedError,
} from "../../src/transfer/partial-writer.js";
import { mountTmpfs, TMPFS_UNAVAILABLE, type Tmpfs } from "../helpers/tmpfs.js";

const ignoreWritten = (): void => undefined;

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "dci-mirror-partial-"));
}

function remoteFile(path: string, sha256: string): RemoteFile {
  return { path, sha256, sizeBytes: 2 * 1024 * 1024 };
}

describe("openPartialWriter", () => {
  it("refuses to continue a partial from past its end instead of padding it with zeros", async () => {
    const path = join(await tempDir(), "a.part");
    await writeFile(path, "12345");
    await expect(openPartialWriter(path, 900_000, ignoreWritten)).rejects.toBeInstanceOf(
      PartialChangedError,
    );
    expect(await readFile(path, "utf8")).toBe("12345");
  });

  it("replaces a symlink at the partial's name with a fresh file and leaves its target alone", async () => {
    const folder = await tempDir();
    const target = join(folder, "victim");
    await writeFile(target, "precious");
    const path = join(folder, "a.part");
    await symlink(target, path);
    const writer = await openPartialWriter(path, 0, ignoreWritten);
    await writer.write(Buffer.from("new bytes"));
    await writer.close();
    expect(await readFile(target, "utf8")).toBe("precious");
    expect((await lstat(path)).isFile()).toBe(true);
    expect(await readFile(path, "utf8")).toBe("new bytes");
  });

  it("refuses to resume through a symlink at the partial's name", async () => {
    const folder = await tempDir();
    const target = join(folder, "victim");
    await writeFile(target, "precious bytes");
    const path = join(folder, "a.part");
    await symlink(target, path);
    await expect(openPartialWriter(path, 4, ignoreWritten)).rejects.toMatchObject({
      code: "ELOOP",
    });
    expect(await readFile(target, "utf8")).toBe("precious bytes");
  });
});

describe("finishHeldPartial", () => {
  it("refuses a partial shorter than the full size a 416 would complete, and leaves it as it is", async () => {
    const path = join(await tempDir(), "a.part");
    await writeFile(path, "12345");
    await expect(finishHeldPartial(path, 900_000)).rejects.toBeInstanceOf(PartialChangedError);
    expect(await readFile(path, "utf8")).toBe("12345");
    expect(await finishHeldPartial(path, 5)).toMatchObject({ sizeBytes: 5 });
  });
});

describe.skipIf(TMPFS_UNAVAILABLE !== undefined)(
  `on a full disk (${TMPFS_UNAVAILABLE ?? "tmpfs"})`,
  () => {
    let tmpfs: Tmpfs | undefined;
    afterEach(async () => {
      await tmpfs?.unmount();
      tmpfs = undefined;
    });

    it("reports as written exactly the bytes a short write put on disk, then fails with ENOSPC", async () => {
      tmpfs = await mountTmpfs(256 * 1024);
      const path = join(tmpfs.path, "a.part");
      const written = createHash("sha256");
      let writtenBytes = 0;
      const writer = await openPartialWriter(path, 0, (bytes) => {
        written.update(bytes);
        writtenBytes += bytes.length;
      });
      // One full write batch (1 MiB), so it is written at once, on 256 KiB of disk.
      const chunk = Buffer.alloc(1024 * 1024, 7);
      await expect(writer.write(chunk)).rejects.toMatchObject({ code: "ENOSPC" });
      await writer.close().catch(() => undefined);
      const onDisk = await readFile(path);
      expect(writtenBytes).toBeGreaterThan(0);
      expect(writtenBytes).toBe(onDisk.length);
      expect(written.digest("hex")).toBe(createHash("sha256").update(onDisk).digest("hex"));
    });
  },
);

describe("listing and cleaning partials", () => {
  it("does not list a partial that is a symlink", async () => {
    const component = await tempDir();
    const folder = join(component, ".dci-mirror", "partial");
    await mkdir(folder, { recursive: true });
    const outside = join(await tempDir(), "big");
    await writeFile(outside, "x".repeat(1000));
    await symlink(outside, join(folder, "abc.part"));
    await writeFile(join(folder, "abc.json"), JSON.stringify({ path: "a", sha256: "abc" }));
    expect(await listPartials(component)).toEqual([]);
  });

  it("deletes nothing through a symlinked partial folder, and only the link of a symlinked entry", async () => {
    const outside = await tempDir();
    await writeFile(join(outside, "old.part"), "keep");
    await writeFile(join(outside, "victim"), "keep");
    const linked = await tempDir();
    await mkdir(join(linked, ".dci-mirror"));
    await symlink(outside, join(linked, ".dci-mirror", "partial"));
    expect(await removeStalePartials(linked, [remoteFile("x", "1")])).toBe(0);
    const real = await tempDir();
    const folder = join(real, ".dci-mirror", "partial");
    await mkdir(folder, { recursive: true });
    await symlink(join(outside, "victim"), join(folder, "stale.part"));
    expect(await removeStalePartials(real, [remoteFile("x", "1")])).toBe(1);
    expect(await readdir(folder)).toEqual([]);
    expect((await readdir(outside)).sort()).toEqual(["old.part", "victim"]);
    expect((await stat(join(outside, "victim"))).size).toBe(4);
  });
});
