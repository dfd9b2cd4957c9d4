import { describe, expect, it } from "vitest";
import { UnsafePathError } from "../../src/errors.js";
import { componentFolderName, topicFolderName } from "../../src/planning/folders.js";

describe("topicFolderName", () => {
  it.each([
    ["RHEL-9.4", "RHEL-9.4"],
    ["  RHEL-9.4  ", "RHEL-9.4"],
    ["OSP 17.1", "OSP_17.1"],
    ["a  b", "a__b"],
    ["Mixed Case", "Mixed_Case"],
    ["RHEL-9.4 #nightly?", "RHEL-9.4_#nightly?"],
    ["café", "café"],
    ["...", "..."],
    [".hidden", ".hidden"],
    ["back\\slash", "back\\slash"],
  ])("turns %j into %j", (name, folder) => {
    expect(topicFolderName(name)).toBe(folder);
  });

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    [".", "'.'"],
    ["..", "'..'"],
    [" .. ", "'..'"],
    ["../etc", "'/'"],
    ["a/b", "'/'"],
    ["/", "'/'"],
    ["a\u0000b", "NUL"],
    ["a\u001bb", "U+001B"],
    ["a\u0085b", "U+0085"],
    ["\ud800", "surrogate"],
    [".dci-mirror", ".dci-mirror"],
    [".DCI-MIRROR-x", ".dci-mirror"],
  ])("refuses %j as unsafe (%s)", (name, reasonPart) => {
    const attempt = () => topicFolderName(name);
    expect(attempt).toThrow(UnsafePathError);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ code: "UNSAFE_PATH", exitCode: 6, entry: name });
      expect(error instanceof UnsafePathError && error.reason).toContain(reasonPart);
      expect(error instanceof UnsafePathError && error.message).toContain(JSON.stringify(name));
      expect(error instanceof UnsafePathError && error.hint).toContain("topic name");
    }
  });
});

describe("componentFolderName", () => {
  it.each([
    ["compose", "compose"],
    ["Compose", "compose"],
    [" Compose-NoInstall ", "compose-noinstall"],
    ["puddle osp", "puddle_osp"],
    ["OCP Images", "ocp_images"],
  ])("turns %j into %j", (type, folder) => {
    expect(componentFolderName(type)).toBe(folder);
  });

  it.each([[""], [".."], ["a/b"], ["x\ny"], [".dci-mirror"], [".lock"], [".LOCK"]])(
    "refuses %j as unsafe",
    (type) => {
      expect(() => componentFolderName(type)).toThrow(UnsafePathError);
      expect(() => componentFolderName(type)).toThrow(/component type/);
    },
  );
});
