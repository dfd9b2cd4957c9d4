import { describe, expect, it } from "vitest";
import * as yaml from "yaml";
import type { CliSettings } from "../../src/config/cli-settings.js";
import type { DcircFile } from "../../src/config/connection.js";
import { resolveRunSettings } from "../../src/config/resolve.js";
import type { RunSettings, TopicRequest } from "../../src/config/run-settings.js";
import { parseSettingsFile } from "../../src/config/settings-file.js";
import { EXIT_CODES, isMirrorError } from "../../src/errors.js";
import { DEFAULT_FILTER_SPEC } from "../../src/filtering/compile.js";
import { DEFAULT_RETRY_POLICY } from "../../src/http/backoff.js";
import type { ComponentFilter, FilterSpec } from "../../src/model.js";

interface Case {
  /** `sandbox: true` unless the case says otherwise: topics need no credentials. */
  readonly cli?: CliSettings;
  readonly env?: Readonly<Record<string, string>>;
  /** Settings file texts, given as a.yml, b.yml... in order. */
  readonly files?: readonly string[];
  readonly dcirc?: DcircFile;
}

function resolve({ cli = {}, env = {}, files = [], dcirc }: Case): RunSettings {
  return resolveRunSettings({
    cli: { sandbox: true, ...cli },
    env,
    files: files.map((text, index) => {
      const path = `${"abcdef"[index] ?? "z"}.yml`;
      return { path, settings: parseSettingsFile({ path, text }, yaml) };
    }),
    dcirc,
  });
}

function only(config: RunSettings, name: string): TopicRequest {
  const topic = config.topics.find((candidate) => candidate.name === name);
  if (topic === undefined) throw new Error(`no topic ${name} in ${JSON.stringify(config)}`);
  return topic;
}

const DEFAULT_SPEC: FilterSpec = DEFAULT_FILTER_SPEC;

/** The topic fields a row checks; `filters: undefined` means the key must be absent. */
interface Expected {
  readonly dest?: string;
  readonly filters?: readonly ComponentFilter[] | undefined;
  readonly componentId?: string;
  readonly rhdl?: boolean;
  readonly spec?: Partial<FilterSpec>;
}

const CLI_RHEL9 = { topic: "RHEL-9.4", dest: "/x" } as const;
const ID_ENV = "remoteci/95c436b7-3944-419a-aa34-8e49c6680e15";
const ID_FILE = "remoteci/0d5b3c2e-6f1a-4b8e-9c7d-2a4e6f8b0c1d";
const ID_RC = "feeder/7e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b";
const DCI_ENV = { DCI_CS_URL: "https://env", DCI_CLIENT_ID: ID_ENV, DCI_API_SECRET: "s" } as const;
const FILE_RHEL9 =
  "download_folder: /f\ntopics:\n  - name: RHEL-9.4\n    archs: [aarch64]\n    variants: [BaseOS]\n";

describe("resolveRunSettings", () => {
  it("gives dci-downloader's defaults for TOPIC DEST alone", () => {
    expect(resolve({ cli: CLI_RHEL9 })).toEqual({
      topics: [{ name: "RHEL-9.4", dest: "/x", filter: DEFAULT_SPEC, rhdl: false }],
      jobs: 32,
      prefetch: true,
      verify: false,
      dryRun: false,
      lockTimeoutMs: undefined,
      stallTimeoutMs: 60_000,
      retry: DEFAULT_RETRY_POLICY,
      registry: undefined,
      prune: true,
      maxDelete: undefined,
      snapshots: 0,
      bwlimitBytesPerSecond: 0,
      explain: undefined,
      repoUrl: "https://repo.distributed-ci.io",
      connection: { sandbox: true, source: "--sandbox", apiTimeoutMs: 30_000, apiJobs: 96 },
    });
  });

  // Each row: the behaviour, the input, and the topic fields (or config fields) it must produce.
  it.each<[string, Case, string, Expected]>([
    [
      "two files both with topics: the later list wins whole (shallow merge)",
      {
        files: [
          "download_folder: /a\ntopics: [{name: A, archs: [s390x]}]\n",
          "topics: [{name: B}]\n",
        ],
      },
      "B",
      { dest: "/a", spec: { arches: ["x86_64"] } },
    ],
    [
      "local_repo wins over download_folder in the same file",
      { files: ["download_folder: /a\nlocal_repo: /b\ntopics: [{name: X}]\n"] },
      "X",
      { dest: "/b" },
    ],
    [
      "a later file's download_folder wins over an earlier file's local_repo",
      { files: ["local_repo: /a\ntopics: [{name: X}]\n", "download_folder: /b\n"] },
      "X",
      { dest: "/b" },
    ],
    [
      "topic: at the top level makes the whole file one topic",
      { files: ["topic: RHEL-8.10\nlocal_repo: /r\narchs: [ppc64le]\nwith_debug: true\n"] },
      "RHEL-8.10",
      { dest: "/r", spec: { arches: ["ppc64le"], withDebug: true } },
    ],
    [
      "jobs: wins over topic:",
      { files: ["topic: RHEL-8.10\njobs: [{topic: RHEL-9.2, systems: [s1]}]\nlocal_repo: /r\n"] },
      "RHEL-9.2",
      { dest: "/r" },
    ],
    [
      "string variants take the topic's with_debug and no ISO",
      { files: ["download_folder: /f\ntopics: [{name: X, with_debug: true, variants: [A]}]\n"] },
      "X",
      { spec: { withDebug: true, variants: [{ name: "A", withDebug: true, withIso: false }] } },
    ],
    [
      "FIX: a variant object without with_debug or with_iso takes the topic's with_debug and false",
      {
        files: [
          "download_folder: /f\ntopics: [{name: X, with_debug: true, variants: [{name: A}]}]\n",
        ],
      },
      "X",
      { spec: { withDebug: true, variants: [{ name: "A", withDebug: true, withIso: false }] } },
    ],
    [
      "a variant object keeps its own with_debug and with_iso",
      {
        files: [
          "download_folder: /f\ntopics: [{name: X, variants: [{name: A, with_debug: false, with_iso: true}]}]\n",
        ],
        cli: { debug: true },
      },
      "X",
      { spec: { withDebug: true, variants: [{ name: "A", withDebug: false, withIso: true }] } },
    ],
    [
      "FIX: the CLI topic keeps the file's archs and variants when --arch and --variant are not given",
      { cli: CLI_RHEL9, files: [FILE_RHEL9] },
      "RHEL-9.4",
      {
        dest: "/x",
        spec: {
          arches: ["aarch64"],
          variants: [{ name: "BaseOS", withDebug: false, withIso: false }],
        },
      },
    ],
    [
      "--arch and --variant given replace the file topic's lists key by key",
      { cli: { ...CLI_RHEL9, arch: ["s390x"], variant: ["AppStream"] }, files: [FILE_RHEL9] },
      "RHEL-9.4",
      {
        spec: {
          arches: ["s390x"],
          variants: [{ name: "AppStream", withDebug: false, withIso: false }],
        },
      },
    ],
    [
      "--debug forces with_debug on every topic, string variants included",
      {
        cli: { debug: true },
        files: [FILE_RHEL9.replace("name: RHEL-9.4", "name: RHEL-9.4\n    with_debug: false")],
      },
      "RHEL-9.4",
      {
        spec: {
          arches: ["aarch64"],
          withDebug: true,
          variants: [{ name: "BaseOS", withDebug: true, withIso: false }],
        },
      },
    ],
    [
      "--src forces with_source on every topic",
      {
        cli: { src: true },
        files: ["download_folder: /f\ntopics: [{name: X, with_source: false}]\n"],
      },
      "X",
      { spec: { withSource: true } },
    ],
    [
      "--iso gives ISOs to every topic and to --variant names",
      { cli: { ...CLI_RHEL9, iso: true, variant: ["BaseOS"] } },
      "RHEL-9.4",
      { spec: { withIso: true, variants: [{ name: "BaseOS", withDebug: false, withIso: true }] } },
    ],
    [
      "FIX: --iso without --variant keeps the ISOs of every variant",
      { cli: { ...CLI_RHEL9, iso: true } },
      "RHEL-9.4",
      { spec: { withIso: true, variants: [] } },
    ],
    [
      "with_iso at topic level is --iso for that topic only",
      { files: ["download_folder: /f\ntopics: [{name: X, with_iso: true}, {name: Z}]\n"] },
      "Z",
      { spec: { withIso: false } },
    ],
    [
      "FIX: top-level with_debug and with_source are defaults for topics without their own",
      {
        files: [
          "download_folder: /f\nwith_debug: true\nwith_source: true\ntopics: [{name: X}, {name: Y, with_debug: false}]\n",
        ],
      },
      "Y",
      { spec: { withDebug: false, withSource: true } },
    ],
    [
      "FIX: a topic's own download_folder wins over the top-level one",
      { files: ["download_folder: /top\ntopics: [{name: X, download_folder: /own}]\n"] },
      "X",
      { dest: "/own" },
    ],
    [
      "DCI_LOCAL_REPO beats the file's download_folder",
      {
        env: { DCI_LOCAL_REPO: "/env" },
        files: ["download_folder: /f\ntopics: [{name: X, download_folder: /t}]\n"],
      },
      "X",
      { dest: "/env" },
    ],
    [
      "--local-repo beats DCI_LOCAL_REPO",
      { cli: { topic: "X", localRepo: "/lr" }, env: { DCI_LOCAL_REPO: "/env" } },
      "X",
      { dest: "/lr" },
    ],
    [
      "DEST beats --local-repo, DCI_LOCAL_REPO and every file folder",
      {
        cli: { topic: "X", dest: "/d", localRepo: "/lr" },
        env: { DCI_LOCAL_REPO: "/env" },
        files: ["download_folder: /f\ntopics: [{name: Y, download_folder: /t}]\n"],
      },
      "Y",
      { dest: "/d" },
    ],
    [
      "a blank DCI_LOCAL_REPO counts as unset",
      { cli: { topic: "X" }, env: { DCI_LOCAL_REPO: " " }, files: ["download_folder: /f\n"] },
      "X",
      { dest: "/f" },
    ],
    [
      "arches and variants are deduplicated keeping their order",
      {
        cli: {
          ...CLI_RHEL9,
          arch: ["s390x", "x86_64", "s390x"],
          variant: ["CRB", "BaseOS", "CRB"],
        },
      },
      "RHEL-9.4",
      {
        spec: {
          arches: ["s390x", "x86_64"],
          variants: [
            { name: "CRB", withDebug: false, withIso: false },
            { name: "BaseOS", withDebug: false, withIso: false },
          ],
        },
      },
    ],
    [
      "an empty archs list means every arch",
      { files: ["download_folder: /f\ntopics: [{name: X, archs: []}]\n"] },
      "X",
      { spec: { arches: [] } },
    ],
    [
      "file filters, download_everything, package_filters, tech_preview and component_id are read",
      {
        files: [
          "download_folder: /f\ntopics:\n  - name: X\n    filters: [{type: Compose, tag: Nightly}]\n    download_everything: true\n    package_filters: [kernel, kernel]\n    tech_preview: [rhdl]\n    component_id: c1\n    include: ['*.rpm']\n",
        ],
      },
      "X",
      {
        filters: [{ type: "compose", tag: "Nightly" }],
        componentId: "c1",
        rhdl: true,
        spec: { all: true, packages: ["kernel"], include: ["*.rpm"] },
      },
    ],
    [
      "CLI flags beat the file topic's keys",
      {
        cli: {
          topic: "X",
          filter: ["rpm:Beta"],
          all: false,
          packageFilter: ["glibc"],
          techPreview: [],
          componentId: "c2",
          exclude: ["*.iso"],
        },
        files: [
          "download_folder: /f\ntopics: [{name: X, filters: [{type: compose}], download_everything: true, package_filters: [kernel], tech_preview: [rhdl], component_id: c1}]\n",
        ],
      },
      "X",
      {
        filters: [{ type: "rpm", tag: "Beta" }],
        componentId: "c2",
        rhdl: false,
        spec: { all: false, packages: ["glibc"], exclude: ["*.iso"] },
      },
    ],
    [
      "an empty filters list means one filter per component type",
      { files: ["download_folder: /f\ntopics: [{name: X, filters: []}]\n"] },
      "X",
      { filters: undefined },
    ],
  ])("%s", (_label, input, name, expected) => {
    const topic = only(resolve(input), name);
    const { spec, ...fields } = expected;
    const { filters, ...others } = fields;
    expect(topic).toMatchObject(others);
    if ("filters" in fields) {
      expect(topic.filters).toEqual(filters);
      expect("filters" in topic).toBe(filters !== undefined);
    }
    expect(topic.filter).toEqual({ ...DEFAULT_SPEC, ...spec });
  });

  it("adds a CLI topic with a new name to the file's topics, sorted by name", () => {
    const config = resolve({
      cli: { topic: "B-new", dest: "/x" },
      files: ["topics: [{name: C}, {name: A}]\n"],
    });
    expect(config.topics.map((topic) => topic.name)).toEqual(["A", "B-new", "C"]);
  });

  it.each<[string, Case, object]>([
    [
      "repo_url loses its trailing slashes",
      { cli: CLI_RHEL9, files: ["repo_url: https://r.example//\n"] },
      { repoUrl: "https://r.example" },
    ],
    [
      "DCI_REPO_URL beats repo_url, --dci-repo-url beats both",
      {
        cli: { ...CLI_RHEL9, dciRepoUrl: "https://cli/" },
        env: { DCI_REPO_URL: "https://env" },
        files: ["repo_url: https://file\n"],
      },
      { repoUrl: "https://cli" },
    ],
    [
      "env beats file for the registry",
      { cli: CLI_RHEL9, env: { DCI_REGISTRY: "env:5000" }, files: ["registry: file:5000\n"] },
      { registry: "env:5000" },
    ],
    [
      "--registry beats DCI_REGISTRY",
      { cli: { ...CLI_RHEL9, registry: "cli:5000" }, env: { DCI_REGISTRY: "env:5000" } },
      { registry: "cli:5000" },
    ],
    [
      "credentials: file < environment < --rc file < --dci-cs-url",
      {
        cli: { ...CLI_RHEL9, sandbox: false, dciCsUrl: "https://cli/" },
        env: { DCI_CS_URL: "https://env", DCI_CLIENT_ID: ID_ENV, DCI_API_SECRET: "env-secret" },
        files: [`cs_url: https://file\nclient_id: ${ID_FILE}\napi_secret: file-secret\n`],
        dcirc: { path: "rc.sh", variables: { DCI_API_SECRET: "rc-secret" } },
      },
      {
        connection: {
          sandbox: false,
          csUrl: "https://cli",
          clientId: ID_ENV,
          apiSecret: "rc-secret",
          clientIdSource: "DCI_CLIENT_ID (environment)",
          source: "--rc rc.sh",
        },
      },
    ],
    [
      "credentials come from the environment over the file",
      {
        cli: { ...CLI_RHEL9, sandbox: false },
        env: { DCI_CS_URL: "https://env", DCI_API_SECRET: "env-secret" },
        files: [`cs_url: https://file\nclient_id: ${ID_FILE}\napi_secret: file-secret\n`],
      },
      {
        connection: {
          sandbox: false,
          csUrl: "https://env",
          clientId: ID_FILE,
          apiSecret: "env-secret",
          source: "environment",
        },
      },
    ],
    [
      "a blank environment variable counts as unset",
      {
        cli: { ...CLI_RHEL9, sandbox: false },
        env: { ...DCI_ENV, DCI_CS_URL: " " },
        files: ["cs_url: https://file/\n"],
      },
      { connection: { sandbox: false, csUrl: "https://file" } },
    ],
    [
      "the client id names the environment as its source when DCI_CLIENT_ID is set",
      {
        cli: { ...CLI_RHEL9, sandbox: false },
        env: DCI_ENV,
        files: [`client_id: ${ID_FILE}\n`],
      },
      { connection: { clientId: ID_ENV, clientIdSource: "DCI_CLIENT_ID (environment)" } },
    ],
    [
      "the client id names the last settings file that sets it as its source",
      {
        cli: { ...CLI_RHEL9, sandbox: false },
        env: { DCI_CS_URL: "https://env", DCI_API_SECRET: "s" },
        files: [`client_id: ${ID_ENV}\n`, `client_id: ${ID_FILE}\n`, "registry: r:5000\n"],
      },
      { connection: { clientId: ID_FILE, clientIdSource: "client_id in b.yml" } },
    ],
    [
      "the client id names the --rc file it came from, over the environment",
      {
        cli: { ...CLI_RHEL9, sandbox: false },
        env: DCI_ENV,
        dcirc: { path: "rc.sh", variables: { DCI_CLIENT_ID: ID_RC } },
      },
      { connection: { clientId: ID_RC, clientIdSource: "DCI_CLIENT_ID in rc.sh" } },
    ],
    [
      "proxies come from the environment, lower-case names first",
      {
        cli: { ...CLI_RHEL9, sandbox: false },
        env: {
          ...DCI_ENV,
          https_proxy: "http://lower:3128",
          HTTPS_PROXY: "http://upper:3128",
          NO_PROXY: "localhost",
        },
      },
      {
        connection: {
          proxy: { httpProxy: undefined, httpsProxy: "http://lower:3128", noProxy: "localhost" },
        },
      },
    ],
    [
      "CA files: --ca-file, then the last settings file's ca_file, then NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE, SSL_CERT_FILE; each path once",
      {
        cli: { ...CLI_RHEL9, sandbox: false, caFile: "/cli.pem" },
        env: {
          ...DCI_ENV,
          NODE_EXTRA_CA_CERTS: "/node.pem",
          REQUESTS_CA_BUNDLE: "/cli.pem",
          SSL_CERT_FILE: " ",
        },
        files: ["ca_file: /a.pem\n", "ca_file: /b.pem\n"],
      },
      {
        connection: {
          caFiles: [
            { path: "/cli.pem", source: "--ca-file" },
            { path: "/b.pem", source: "ca_file in b.yml" },
            { path: "/node.pem", source: "NODE_EXTRA_CA_CERTS" },
          ],
        },
      },
    ],
    [
      "no CA file named: none (Node's own store alone)",
      { cli: { ...CLI_RHEL9, sandbox: false }, env: DCI_ENV },
      { connection: { caFiles: [] } },
    ],
    [
      "--sandbox ignores every credential source",
      { cli: CLI_RHEL9, env: { DCI_CLIENT_ID: "not an id" } },
      { connection: { sandbox: true, source: "--sandbox", apiTimeoutMs: 30_000 } },
    ],
    [
      "the run flags as given, timeouts in ms, API answers waiting min(stall timeout, 30 s)",
      {
        cli: {
          ...CLI_RHEL9,
          jobs: 4,
          verify: true,
          dryRun: true,
          lockTimeoutSeconds: 0,
          stallTimeoutSeconds: 10,
          explain: "BaseOS/x86_64/os/a.rpm",
        },
      },
      {
        jobs: 4,
        verify: true,
        dryRun: true,
        lockTimeoutMs: 0,
        stallTimeoutMs: 10_000,
        explain: "BaseOS/x86_64/os/a.rpm",
        connection: { sandbox: true, source: "--sandbox", apiTimeoutMs: 10_000 },
      },
    ],
  ])("%s", (_label, input, expected) => {
    expect(resolve(input)).toMatchObject(expected);
  });

  it("takes snapshots and max_delete from a settings file, the command line winning", () => {
    const files = ["snapshots: 3\nmax_delete: 10%\ntopics: [{name: X}]\ndownload_folder: /d\n"];
    expect(resolve({ files })).toMatchObject({
      snapshots: 3,
      maxDelete: { kind: "percent", max: 10 },
    });
    expect(resolve({ files, cli: { snapshots: 0, maxDelete: "5" } })).toMatchObject({
      snapshots: 0,
      maxDelete: { kind: "count", max: 5 },
    });
    expect(() => resolve({ files: ["max_delete: lots\ntopics: [{name: X}]\n"] })).toThrow(
      /--max-delete must be/,
    );
  });

  it("takes bwlimit from a settings file in SI or binary units, the command line winning", () => {
    const files = ["bwlimit: 1.5M\ntopics: [{name: X}]\ndownload_folder: /d\n"];
    expect(resolve({ files })).toMatchObject({ bwlimitBytesPerSecond: 1_500_000 });
    expect(resolve({ files, cli: { bwlimit: "2Mi" } })).toMatchObject({
      bwlimitBytesPerSecond: 2 * 1024 * 1024,
    });
    expect(resolve({ files, cli: { bwlimit: "0" } })).toMatchObject({ bwlimitBytesPerSecond: 0 });
    expect(() => resolve({ cli: { ...CLI_RHEL9, bwlimit: "50 MB" } })).toThrow(
      /^--bwlimit must be bytes per second/,
    );
  });

  it("freezes the config, its topics and their filter specs", () => {
    const config = resolve({ cli: { ...CLI_RHEL9, filter: ["compose"] } });
    const [topic] = config.topics;
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.topics)).toBe(true);
    expect(Object.isFrozen(config.connection)).toBe(true);
    expect(Object.isFrozen(config.retry)).toBe(true);
    expect(Object.isFrozen(topic)).toBe(true);
    expect(Object.isFrozen(topic?.filter)).toBe(true);
    expect(Object.isFrozen(topic?.filter.arches)).toBe(true);
    expect(Object.isFrozen(topic?.filters)).toBe(true);
  });

  it.each<[string, Case, string, RegExp]>([
    [
      "missing credentials, naming every missing variable",
      { cli: { ...CLI_RHEL9, sandbox: false }, env: { DCI_CLIENT_ID: ID_ENV } },
      "CONFIG_MISSING_CREDENTIALS",
      /^Missing DCI credentials: DCI_CS_URL, DCI_API_SECRET not set/,
    ],
    [
      "a blank variable in the --rc file, which wins over the environment",
      {
        cli: { ...CLI_RHEL9, sandbox: false },
        env: DCI_ENV,
        dcirc: { path: "rc.sh", variables: { DCI_CS_URL: "" } },
      },
      "CONFIG_MISSING_CREDENTIALS",
      /DCI_CS_URL not set/,
    ],
    [
      "a malformed client id from a settings file, naming the file",
      {
        cli: { ...CLI_RHEL9, sandbox: false },
        env: { DCI_CS_URL: "https://env", DCI_API_SECRET: "s" },
        files: ["client_id: remoteci/lab-1\n"],
      },
      "CONFIG_BAD_CLIENT_ID",
      /^client_id in a\.yml is not a DCI client id/,
    ],
    ["jobs 0", { cli: { ...CLI_RHEL9, jobs: 0 } }, "USAGE", /^--jobs must be a whole number/],
    [
      "a negative lock timeout",
      { cli: { ...CLI_RHEL9, lockTimeoutSeconds: -1 } },
      "USAGE",
      /^--lock-timeout must be a number of seconds/,
    ],
    [
      "no topic at all",
      { cli: { dest: "/x" } },
      "USAGE_NO_TOPIC",
      /^You need to specify at least one topic: TOPIC or a settings file with topics/,
    ],
    [
      "a settings file with an empty topics list",
      { files: ["download_folder: /f\ntopics: []\n"] },
      "USAGE_NO_TOPIC",
      /at least one topic/,
    ],
    [
      "no destination for a topic",
      { files: ["topics: [{name: RHEL-9.4}]\n"] },
      "USAGE_NO_DEST",
      /^The destination folder for topic RHEL-9\.4 is not specified: give DEST, --local-repo, DCI_LOCAL_REPO or download_folder in a settings file/,
    ],
    [
      "--component-id without a topic",
      { cli: { componentId: "c1" }, files: [FILE_RHEL9] },
      "USAGE_NEEDS_TOPIC",
      /^--component-id given without a TOPIC/,
    ],
    [
      "a bad variant in a RHEL-9 settings topic",
      { files: ["download_folder: /f\ntopics: [{name: RHEL-9.4, variants: [Server]}]\n"] },
      "USAGE_VARIANT",
      /^Variants Server for the RHEL-9\.4 topic are not valid; allowed: AppStream, BaseOS/,
    ],
    [
      "a bad --arch for a RHEL-8 topic",
      { cli: { topic: "RHEL-8.10", dest: "/x", arch: ["ppc64"] } },
      "USAGE_ARCH",
      /^Arches ppc64 for the RHEL-8\.10 topic/,
    ],
    [
      "a bad --filter",
      { cli: { ...CLI_RHEL9, filter: ["compose:"] } },
      "USAGE_FILTER",
      /empty tag/,
    ],
    [
      "an empty settings file",
      { cli: CLI_RHEL9, files: ["# todo\n"] },
      "CONFIG_EMPTY_SETTINGS",
      /^The settings file a\.yml is empty/,
    ],
    [
      "a YAML error in the second file",
      { cli: CLI_RHEL9, files: ["registry: r\n", "topics: [\n"] },
      "CONFIG_YAML",
      /^b\.yml:2:1: invalid YAML/,
    ],
    [
      "--arch with --all, which keeps every arch",
      { cli: { ...CLI_RHEL9, all: true, arch: ["aarch64"] } },
      "USAGE_IGNORED_BY_ALL",
      /^--arch is ignored with --all, which keeps every file of a compose/,
    ],
    [
      "--variant with a settings topic that downloads everything",
      {
        cli: { ...CLI_RHEL9, variant: ["BaseOS"] },
        files: ["topics: [{name: RHEL-9.4, download_everything: true}]\n"],
      },
      "USAGE_IGNORED_BY_ALL",
      /^--variant is ignored with download_everything: true \(topic RHEL-9\.4\)/,
    ],
    [
      "--package-filter with --all",
      { cli: { ...CLI_RHEL9, all: true, packageFilter: ["kernel"] } },
      "USAGE_IGNORED_BY_ALL",
      /^--package-filter is ignored with --all/,
    ],
    [
      "--debug when the only topic has --all",
      { cli: { ...CLI_RHEL9, all: true, debug: true } },
      "USAGE_IGNORED_BY_ALL",
      /^--debug is ignored with --all/,
    ],
    [
      "an unknown --tech-preview feature",
      { cli: { ...CLI_RHEL9, techPreview: ["foo"] } },
      "USAGE_TECH_PREVIEW",
      /^--tech-preview names "foo": the only tech-preview feature is rhdl/,
    ],
    [
      "--tech-preview without a feature",
      { cli: { ...CLI_RHEL9, techPreview: [""] } },
      "USAGE_TECH_PREVIEW",
      /^--tech-preview names no feature/,
    ],
    [
      "an unknown tech_preview feature in a settings file, naming the file and line",
      { files: ["download_folder: /f\ntopics:\n  - name: X\n    tech_preview: [rhdll]\n"] },
      "USAGE_TECH_PREVIEW",
      /^a\.yml:4:19: tech_preview names "rhdll"/,
    ],
  ])("refuses %s", (_label, input, code, message) => {
    let caught: unknown;
    try {
      resolve(input);
    } catch (error) {
      caught = error;
    }
    expect(isMirrorError(caught) && caught.exitCode).toBe(EXIT_CODES.usage);
    expect(caught).toMatchObject({ code, message: expect.stringMatching(message) });
  });

  it("keeps --debug with --all when another topic does not download everything", () => {
    const config = resolve({
      cli: { ...CLI_RHEL9, all: true, debug: true, include: ["BaseOS/**"] },
      files: ["download_folder: /f\ntopics: [{name: RHEL-8.10}]\n"],
    });
    expect(only(config, "RHEL-8.10").filter.withDebug).toBe(true);
    expect(only(config, "RHEL-9.4").filter).toMatchObject({ all: true, include: ["BaseOS/**"] });
  });

  it("does not validate names of a non-RHEL topic", () => {
    const config = resolve({
      cli: { topic: "OCP-4.16", dest: "/x", arch: ["riscv64"], variant: ["Anything"] },
    });
    expect(config.topics[0]?.filter.arches).toEqual(["riscv64"]);
  });
});
