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
      selectedFiles: 0,
      actions: [prune("a.rpm", "file"), prune("b.rpm", "file"), prune("latest", "symlink")],
    });
    expect(error?.exitCode).toBe(5);
    expect(error?.code).toBe("FILES_LIST_EMPTY");
    expect(error?.message).toBe(
      "The files list of component RHEL-9.4.0-20240419.5 is empty but /srv/mirror/RHEL-9.4/compose holds 2 files; nothing was deleted.",
    );
    expect(error?.hint).toContain("remove /srv/mirror/RHEL-9.4/compose by hand");
  });

  it("refuses filters that keep nothing over a folder that holds files, naming the filters", () => {
    const error = emptyListRefusal({
      componentName: "RHEL-9.4.0-20240419.5",
      folder: "/srv/mirror/RHEL-9.4/compose",
      listedFiles: 600,
      selectedFiles: 0,
      actions: [prune("a.rpm", "file")],
    });
    expect(error?.exitCode).toBe(5);
    expect(error?.code).toBe("FILES_LIST_FILTERED_EMPTY");
    expect(error?.message).toBe(
      "The filters keep none of the 600 files of component RHEL-9.4.0-20240419.5, but /srv/mirror/RHEL-9.4/compose holds 1 file; nothing was deleted.",
    );
    expect(error?.hint).toContain("--arch");
  });

  it.each([
    {
      label: "a list with files",
      listedFiles: 3,
      selectedFiles: 1,
      actions: [prune("a.rpm", "file")],
    },
    { label: "an empty list over an empty folder", listedFiles: 0, selectedFiles: 0, actions: [] },
    {
      label: "an empty list over a folder of links only",
      listedFiles: 0,
      selectedFiles: 0,
      actions: [prune("latest", "symlink")],
    },
  ])("lets $label through", ({ listedFiles, selectedFiles, actions }) => {
    const check = { componentName: "c", folder: "/f", listedFiles, selectedFiles, actions };
    expect(emptyListRefusal(check)).toBe(undefined);
  });
});
