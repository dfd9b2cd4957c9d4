// What each scenario mirrors: the dci-mirror flags, and the same choice as a test on paths (for the
// peers' URL lists and the expected totals). The two must agree; the bench counts what landed on
// disk after every run and reports any difference.

const ISO = /^BaseOS\/[^/]+\/iso\//;

export const SCOPES = {
  many: {
    flags: ["--exclude", "BaseOS/*/iso/**"],
    keep: (path) => !ISO.test(path),
  },
  big: {
    flags: ["--include", "BaseOS/x86_64/iso/*-dvd*.iso"],
    keep: (path) => /^BaseOS\/x86_64\/iso\/[^/]*-dvd[^/]*\.iso$/.test(path),
  },
  // What `--arch x86_64` users mirror: root files, metadata and every variant's x86_64 trees.
  x86_64: {
    flags: [
      "--include",
      "*",
      "--include",
      "metadata/**",
      "--include",
      "*/x86_64/**",
      "--exclude",
      "BaseOS/*/iso/**",
    ],
    keep: (path) =>
      !ISO.test(path) &&
      (!path.includes("/") || path.startsWith("metadata/") || /^[^/]+\/x86_64\//.test(path)),
  },
  // The WAN scenario: a few hundred small files (CRB's x86_64 packages, 357 in the large catalog),
  // enough for the round trips to dominate, few enough for a run of seconds at 100 ms.
  wan: {
    flags: ["--include", "CRB/x86_64/os/Packages/**"],
    keep: (path) => path.startsWith("CRB/x86_64/os/Packages/"),
  },
};
