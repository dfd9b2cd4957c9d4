// The programs the benchmark drives: nginx as the object store, and the peers dci-mirror is
// measured against. Missing ones are installed from Debian's packages, only when missing.
import { execFileSync, spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";

/** Program → Debian package that provides it. */
const NEEDED = [
  { program: "nginx", pkg: "nginx", paths: ["/usr/sbin/nginx"] },
  { program: "aria2c", pkg: "aria2", paths: ["/usr/bin/aria2c"] },
  { program: "wget2", pkg: "wget2", paths: ["/usr/bin/wget2"] },
  { program: "curl", pkg: "curl", paths: ["/usr/bin/curl"] },
  // GNU time's -v gives max RSS and user/sys CPU of exactly one child.
  { program: "time", pkg: "time", paths: ["/usr/bin/time"], absoluteOnly: true },
];

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    // Not there, or not executable: either way, not usable.
    return false;
  }
}

/** The absolute path of `program` on PATH or in its usual places, or undefined. */
function locate({ program, paths, absoluteOnly }) {
  const dirs = absoluteOnly ? [] : (process.env.PATH ?? "").split(":").filter(Boolean);
  const candidates = [...dirs.map((dir) => `${dir}/${program}`), ...paths];
  return candidates.find(isExecutable);
}

/** Installs what is missing (apt-get, as root) and returns the absolute path of each program. */
export function ensureTools() {
  const missing = NEEDED.filter((tool) => locate(tool) === undefined);
  if (missing.length > 0) {
    const packages = missing.map((tool) => tool.pkg);
    console.log(`Installing missing Debian packages: ${packages.join(" ")}`);
    if (process.getuid?.() !== 0) {
      throw new Error(
        `run as root, or install them first: apt-get install -y ${packages.join(" ")}`,
      );
    }
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["update"], { stdio: "inherit", env });
    execFileSync("apt-get", ["install", "-y", ...packages], {
      stdio: "inherit",
      env,
    });
  }
  const found = {};
  for (const tool of NEEDED) {
    const path = locate(tool);
    if (path === undefined) throw new Error(`${tool.program} is still missing after apt-get`);
    found[tool.program] = path;
  }
  return found;
}

function firstLine(command, args) {
  const result = spawnSync(command, args, { encoding: "utf8" });
  return `${result.stdout ?? ""}${result.stderr ?? ""}`.split("\n").find((line) => line.trim());
}

/** One-line version strings of every tool, for the report. */
export function toolVersions(paths) {
  return {
    nginx: (firstLine(paths.nginx, ["-v"]) ?? "").replace(/^nginx version: /, ""),
    curl: (firstLine(paths.curl, ["--version"]) ?? "").split(" ").slice(0, 2).join(" "),
    aria2: (firstLine(paths.aria2c, ["--version"]) ?? "").replace(/ version/, ""),
    wget2: (firstLine(paths.wget2, ["--version"]) ?? "").split(" - ")[0] ?? "",
  };
}
