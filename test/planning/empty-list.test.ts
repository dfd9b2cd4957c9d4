import { describe, expect, it } from "vitest";
import type { Action } from "../../src/model.js";
import { emptyListRefusal } from "../../src/planning/empty-list.js";

const prune = (path: string, entryKind: "file" | "symlink" | "directory"): Action => ({
  kind: "prune",
  path,
  entryKind,
});

describe("emptyListRefusal", () => {
  it("refuses an empty list over a folder that holds files, saying nothing was deleted and what to do", () => {
    const error = emptyListRefusal({
      componentName: "RHEL-9.4.0-20240419.5",
      folder: "/srv/mirror/RHEL-9.4/compose",
      listedFiles: 0,
      actions: [prune("a.rpm", "file"), prune("b.rpm", "file"), prune("latest", "symlink")],
    });
    expect(error?.exitCode).toBe(5);
    expect(error?.code).toBe("FILES_LIST_EMPTY");
    expect(error?.message).toBe(
      "The files list of component RHEL-9.4.0-20240419.5 is empty but /srv/mirror/RHEL-9.4/compose holds 2 files; nothing was deleted.",
    );
    expect(error?.hint).toContain("remove /srv/mirror/RHEL-9.4/compose by hand");
  });

  it.each([
    { label: "a list with files", listedFiles: 3, actions: [prune("a.rpm", "file")] },
    { label: "an empty list over an empty folder", listedFiles: 0, actions: [] },
    {
      label: "an empty list over a folder of links only",
      listedFiles: 0,
      actions: [prune("latest", "symlink")],
    },
  ])("lets $label through", ({ listedFiles, actions }) => {
    expect(emptyListRefusal({ componentName: "c", folder: "/f", listedFiles, actions })).toBe(
      undefined,
    );
  });
});
