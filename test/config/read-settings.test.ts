import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  readSettingsFiles,
  readSettingsTexts,
  settingsReadError,
} from "../../src/config/read-settings.js";
import { EXIT_CODES } from "../../src/errors.js";

let root = "";

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "dci-mirror-settings-"));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("readSettingsFiles", () => {
  it("reads every file as text, in the order given", async () => {
    const first = join(root, "first.yml");
    const second = join(root, "second.yml");
    await writeFile(first, "topics: [{name: RHEL-9.4}]\n");
    await writeFile(second, "download_folder: /srv/dci\n");
    expect(await readSettingsTexts([second, first])).toEqual([
      { path: second, text: "download_folder: /srv/dci\n" },
      { path: first, text: "topics: [{name: RHEL-9.4}]\n" },
    ]);
  });

  it("parses every file, in the order given, keeping its path", async () => {
    const first = join(root, "first.yml");
    const second = join(root, "second.yml");
    await writeFile(first, "topics: [{name: RHEL-9.4}]\n");
    await writeFile(second, "download_folder: /srv/dci\n");
    expect(await readSettingsFiles([second, first])).toMatchObject([
      { path: second, settings: { downloadFolder: "/srv/dci" } },
      { path: first, settings: { topics: [{ name: "RHEL-9.4" }] } },
    ]);
  });

  it("refuses a YAML error naming the file, line and column", async () => {
    const path = join(root, "bad.yml");
    await writeFile(path, "topics: [\n");
    await expect(readSettingsFiles([path])).rejects.toMatchObject({
      code: "CONFIG_YAML",
      exitCode: EXIT_CODES.usage,
      message: expect.stringMatching(new RegExp(`^${path}:2:1: invalid YAML`)),
    });
  });

  it("reads nothing when no --settings was given", async () => {
    expect(await readSettingsFiles([])).toEqual([]);
  });

  it.each([
    ["a missing file", "missing.yml", "does not exist"],
    ["a path through a file", "s.yml/inner.yml", "does not exist"],
    ["a directory", ".", "is a directory"],
  ])("refuses %s as a usage error naming the path", async (_label, name, what) => {
    await writeFile(join(root, "s.yml"), "topics: []\n");
    const path = join(root, name);
    await expect(readSettingsFiles([path])).rejects.toMatchObject({
      name: "UsageError",
      code: "CONFIG_SETTINGS_MISSING",
      exitCode: EXIT_CODES.usage,
      message: `The settings file ${path} ${what}.`,
    });
  });

  it.each(["EACCES", "EIO"])(
    "keeps exit code 7 for a settings file that exists but cannot be read (%s)",
    (errno) => {
      const cause = Object.assign(new Error(`${errno}: refused`), { code: errno });
      expect(settingsReadError("/etc/dci/s.yml", cause)).toMatchObject({
        name: "LocalIOError",
        code: "CONFIG_SETTINGS_UNREADABLE",
        exitCode: EXIT_CODES.localIo,
        message: "Cannot read the settings file /etc/dci/s.yml.",
        cause,
      });
    },
  );

  it("lets an abort through as an abort, not as an unreadable file", async () => {
    const path = join(root, "s.yml");
    await writeFile(path, "topics: []\n");
    await expect(readSettingsFiles([path], AbortSignal.abort())).rejects.toMatchObject({
      name: "AbortError",
    });
  });
});
