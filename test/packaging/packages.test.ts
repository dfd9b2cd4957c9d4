// The two ways dci-mirror reaches an air-gapped lab host, built as a release would build them:
// the offline npm tarball (installed with the registry unreachable) and the RPM (unpacked with
// rpm2cpio | cpio, its file list and modes checked, its /usr/bin/dci-mirror run as the systemd
// unit runs it, and its units checked by systemd-analyze). Real npm, rpmbuild, cpio, systemd.
import {
  cp,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { VERSION } from "../../src/version.js";
import { cleanEnv, sandboxEnv } from "../helpers/run-cli.js";
import { offlineNpmEnv, REPO_ROOT, runTool } from "../helpers/run-tool.js";

// biome-ignore lint/suspicious/noTemplateCurlyInString: systemd's variable syntax, not a template.
const CREDENTIALS_DIRECTORY = "${CREDENTIALS_DIRECTORY}";

let sandbox: Sandbox;
let work: string;
let tarball: string;

beforeAll(async () => {
  sandbox = await startSandbox({ size: "tiny" });
  work = await mkdtemp(join(tmpdir(), "dci-mirror-packages-"));
  const packed = await runTool("sh", ["scripts/pack-offline.sh", join(work, "npm")], {
    env: offlineNpmEnv(join(work, "pack-cache")),
  });
  expect(packed.exitCode, packed.stderr).toBe(0);
  tarball = packed.stdout.trim();
}, 120_000);
afterAll(async () => {
  await sandbox.close();
});

describe("the offline npm tarball", () => {
  it("bundles the production dependencies and the man page, and no development tool", async () => {
    const listing = await runTool("tar", ["tzf", tarball]);
    const paths = listing.stdout.split("\n");
    expect(tarball).toBe(join(work, "npm", `dci-mirror-${VERSION}.tgz`));
    for (const path of ["bin/dci-mirror.js", "dist/cli/main.js", "dist/dci-mirror.1"])
      expect(paths).toContain(`package/${path}`);
    for (const dependency of ["yargs", "undici", "yaml", "p-limit", "minimatch", "cli-progress"])
      expect(paths).toContain(`package/node_modules/${dependency}/package.json`);
    for (const tool of ["typescript", "vitest", "@biomejs/biome"])
      expect(paths).not.toContain(`package/node_modules/${tool}/package.json`);
  });

  it("installs into an empty prefix with the registry unreachable, and runs the quick start", async () => {
    const prefix = join(work, "prefix");
    const installed = await runTool("npm", ["install", "--global", "--prefix", prefix, tarball], {
      env: offlineNpmEnv(join(work, "empty-cache")),
    });
    expect(installed.exitCode, installed.stderr).toBe(0);
    expect(await readdir(join(prefix, "share/man/man1"))).toEqual(["dci-mirror.1"]);
    const home = join(work, "quick-start");
    await mkdir(home);
    const bin = join(prefix, "bin/dci-mirror");
    const first = await runTool(bin, ["RHEL-9.4", "./mirror", "--sandbox", "--json"], {
      cwd: home,
      env: cleanEnv(),
    });
    expect(first.exitCode, first.stderr).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary.totals.downloaded).toBeGreaterThan(0);
    expect(summary.totals.downloaded).toBe(summary.totals.files);
    expect((await lstat(join(home, "mirror/RHEL-9.4/compose/COMPOSE_ID"))).isFile()).toBe(true);
    const again = await runTool(bin, ["RHEL-9.4", "./mirror", "--sandbox", "--json"], {
      cwd: home,
      env: cleanEnv(),
    });
    expect(JSON.parse(again.stdout).totals.downloaded).toBe(0);
  });
});

/** [mode, user, group, flags, link target, path] of every file the RPM holds. */
async function rpmFiles(rpm: string): Promise<Map<string, readonly string[]>> {
  const format =
    "[%{FILEMODES:perms} %{FILEUSERNAME} %{FILEGROUPNAME} %{FILEFLAGS:fflags} %{FILELINKTOS} %{FILENAMES}\\n]";
  const query = await runTool("rpm", ["-qp", "--qf", format, rpm]);
  expect(query.exitCode, query.stderr).toBe(0);
  const files = new Map<string, readonly string[]>();
  for (const line of query.stdout.trim().split("\n")) {
    const fields = line.split(" ");
    // An empty flag or link target leaves two spaces: keep the columns in place.
    files.set(fields.at(-1) ?? "", fields.slice(0, -1));
  }
  return files;
}

describe("the RPM", () => {
  let rpm: string;
  let root: string;

  beforeAll(async () => {
    const built = await runTool("sh", ["scripts/build-rpm.sh", tarball, join(work, "rpm-build")]);
    expect(built.exitCode, built.stderr).toBe(0);
    rpm = built.stdout.trim();
    root = join(work, "root");
    await mkdir(root);
    const unpacked = await runTool("sh", ["-c", 'rpm2cpio "$1" | cpio -idm --quiet', "sh", rpm], {
      cwd: root,
    });
    expect(unpacked.exitCode, unpacked.stderr).toBe(0);
  }, 120_000);

  it("is noarch, requires nodejs 20.19 or newer with RHEL's epoch, and lists its files with their modes", async () => {
    expect(rpm).toMatch(
      new RegExp(`/dci-mirror-${VERSION.replaceAll(".", "\\.")}-1[^/]*\\.noarch\\.rpm$`),
    );
    const requires = await runTool("rpm", ["-qpR", rpm]);
    expect(requires.stdout.split("\n")).toContain("nodejs >= 1:20.19");
    expect(requires.stdout).not.toMatch(/^npm\(|node_modules/m);
    const files = await rpmFiles(rpm);
    const expected: Record<string, string> = {
      "/usr/bin/dci-mirror": "lrwxrwxrwx root root  ../lib/dci-mirror/bin/dci-mirror.js",
      "/usr/lib/dci-mirror/bin/dci-mirror.js": "-rwxr-xr-x root root  ",
      "/usr/lib/dci-mirror/dist/cli/main.js": "-rw-r--r-- root root  ",
      "/usr/lib/dci-mirror/node_modules/yargs/package.json": "-rw-r--r-- root root  ",
      "/usr/share/man/man1/dci-mirror.1": "-rw-r--r-- root root d ",
      "/usr/share/bash-completion/completions/dci-mirror": "-rw-r--r-- root root  ",
      "/usr/lib/systemd/system/dci-mirror@.service": "-rw-r--r-- root root  ",
      "/usr/lib/systemd/system/dci-mirror@.timer": "-rw-r--r-- root root  ",
      "/usr/lib/sysusers.d/dci-mirror.conf": "-rw-r--r-- root root  ",
      "/usr/share/doc/dci-mirror/README.md": "-rw-r--r-- root root d ",
      "/etc/dci-mirror": "drwxr-x--- root dci-mirror  ",
      "/etc/dci-mirror/settings.example.yml": "-rw-r----- root dci-mirror cn ",
      "/var/lib/dci-mirror": "drwxr-xr-x dci-mirror dci-mirror  ",
    };
    for (const [path, description] of Object.entries(expected))
      expect(files.get(path)?.join(" "), path).toBe(description);
    const outside = [...files.keys()].filter(
      (path) =>
        !/^\/(usr\/lib\/dci-mirror|usr\/share\/doc\/dci-mirror)(\/|$)/.test(path) &&
        !(path in expected),
    );
    expect(outside).toEqual([]);
    const writable = [...files].filter(([, [mode]]) => mode?.[8] === "w" && !mode.startsWith("l"));
    expect(writable).toEqual([]);
  });

  it("ships the man page and a bash completion made from the command definitions", async () => {
    const manPage = await readFile(join(root, "usr/share/man/man1/dci-mirror.1"), "utf8");
    expect(manPage).toBe(await readFile(join(REPO_ROOT, "dist/dci-mirror.1"), "utf8"));
    const completion = await readFile(
      join(root, "usr/share/bash-completion/completions/dci-mirror"),
      "utf8",
    );
    expect(completion).toContain("dci-mirror --get-yargs-completions");
    expect(completion).toContain(
      "complete -o bashdefault -o default -F _dci-mirror_yargs_completions dci-mirror",
    );
  });

  it("mirrors a compose with its /usr/bin/dci-mirror, run as its unit's ExecStart runs it", async () => {
    expect(await readlink(join(root, "usr/bin/dci-mirror"))).toBe(
      "../lib/dci-mirror/bin/dci-mirror.js",
    );
    const unit = await readFile(join(root, "usr/lib/systemd/system/dci-mirror@.service"), "utf8");
    const execStart = /^ExecStart=(.*)$/m.exec(unit)?.[1] ?? "";
    expect(execStart).toContain(
      `--rc ${CREDENTIALS_DIRECTORY}/dcirc.sh --settings /etc/dci-mirror/%i.yml`,
    );
    // What systemd would hand the run: the credential copy, the instance's settings file (here
    // the shipped example), and a destination of the test's instead of /var/lib/dci-mirror.
    const credentials = join(work, "credentials");
    await mkdir(credentials);
    const env = sandboxEnv(sandbox);
    await writeFile(
      join(credentials, "dcirc.sh"),
      `DCI_CLIENT_ID='${env["DCI_CLIENT_ID"]}'\nDCI_API_SECRET='${env["DCI_API_SECRET"]}'\nDCI_CS_URL='${env["DCI_CS_URL"]}'\nexport DCI_CLIENT_ID\nexport DCI_API_SECRET\nexport DCI_CS_URL\n`,
      { mode: 0o600 },
    );
    const [program = "", ...args] = execStart
      .replace(CREDENTIALS_DIRECTORY, credentials)
      .replace("/etc/dci-mirror/%i.yml", join(root, "etc/dci-mirror/settings.example.yml"))
      .split(" ");
    expect(program).toBe("/usr/bin/dci-mirror");
    const dest = join(work, "rpm-mirror");
    const run = await runTool(join(root, program), [...args, "--local-repo", dest, "--json"], {
      env: cleanEnv(),
    });
    expect(run.exitCode, run.stderr).toBe(0);
    const [component] = JSON.parse(run.stdout).topics[0].components;
    expect(component.type).toBe("compose");
    expect(component.failed).toBe(0);
    expect(component.downloaded).toBeGreaterThan(0);
    expect((await lstat(join(dest, "RHEL-9.4/compose/COMPOSE_ID"))).isFile()).toBe(true);
  });

  it("has systemd units that systemd-analyze verify accepts without a warning", async () => {
    const unitDir = join(root, "usr/lib/systemd/system");
    // The targets the units hang on (network-online, timers, sysinit...) come from this host.
    for (const name of await readdir("/usr/lib/systemd/system"))
      if (name.endsWith(".target"))
        await cp(join("/usr/lib/systemd/system", name), join(unitDir, name));
    const units = ["dci-mirror@.service", "dci-mirror@.timer"].map((name) => join(unitDir, name));
    const verified = await runTool("systemd-analyze", [
      "verify",
      "--man=no",
      `--root=${root}`,
      ...units,
    ]);
    expect(verified.stderr).toBe("");
    expect(verified.exitCode).toBe(0);
    // The same check on a unit with a typo is not silent: the test above can fail.
    const broken = join(unitDir, "dci-mirror-broken@.service");
    await writeFile(broken, (await readFile(units[0] ?? "", "utf8")).replace("Nice=", "Nicety="));
    const refused = await runTool("systemd-analyze", [
      "verify",
      "--man=no",
      `--root=${root}`,
      broken,
    ]);
    expect(refused.stderr).toContain("Unknown key 'Nicety'");
  });
});
