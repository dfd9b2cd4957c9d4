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
  // The WAN scenario: the x86_64 packages of every variant (2,213 small files in the large
  // catalog): enough for the transfers to outweigh dci-mirror's start (a few API round trips and
  // a 20,000-entry files list), few enough for runs of seconds.
  wan: {
    flags: ["--include", "*/x86_64/os/Packages/**"],
    keep: (path) => /^[^/]+\/x86_64\/os\/Packages\//.test(path),
  },
};
