import { describe, expect, it } from "vitest";
import * as yaml from "yaml";
import { parseSettingsFile } from "../../src/config/settings-file.js";
import type { FileSettings, TopicSettings } from "../../src/config/settings-types.js";
import { EXIT_CODES, isMirrorError } from "../../src/errors.js";

const parse = (text: string): FileSettings => parseSettingsFile({ path: "s.yml", text }, yaml);

/** The error a parse throws, as the fields a user sees. */
function failure(text: string): { code: string; message: string; exitCode: number } {
  try {
    parse(text);
  } catch (error) {
    if (isMirrorError(error))
      return { code: error.code, message: error.message, exitCode: error.exitCode };
    throw error;
  }
  throw new Error("expected the parse to fail");
}

const topic = (name: string, keys: Partial<TopicSettings> = {}): TopicSettings => ({
  name,
  archs: undefined,
  variants: undefined,
  withDebug: undefined,
  withSource: undefined,
  withIso: undefined,
  filters: undefined,
  packageFilters: undefined,
  all: undefined,
  componentId: undefined,
  techPreview: undefined,
  downloadFolder: undefined,
  include: undefined,
  exclude: undefined,
  ...keys,
});

// An example settings file in dci-downloader's v2 format.
const V2_EXAMPLE = `download_folder: /var/www/html
registry: localhost:5000          # optional
topics:
  - name: RHEL-9.4
    filters:
      - type: compose
        tag: nightly
      - type: compose-noinstall    # no tag: latest of that type
  - name: RHEL-8.10
    archs: [x86_64, ppc64le]
    variants:
      - AppStream                  # string: takes the topic's with_debug/with_source, with_iso false
      - name: BaseOS               # object: used as is, give all three booleans
        with_debug: true
        with_source: false
        with_iso: true
    with_debug: false
    with_source: false
    package_filters: [kernel, glibc]
    download_everything: false
    component_id: null
    tech_preview: []
`;

describe("parseSettingsFile", () => {
  it("reads an example v2 settings file", () => {
    expect(parse(V2_EXAMPLE)).toEqual({
      downloadFolder: "/var/www/html",
      registry: "localhost:5000",
      topics: [
        topic("RHEL-9.4", {
          filters: [{ type: "compose", tag: "nightly" }, { type: "compose-noinstall" }],
        }),
        topic("RHEL-8.10", {
          archs: ["x86_64", "ppc64le"],
          variants: [{ name: "AppStream" }, { name: "BaseOS", withDebug: true, withIso: true }],
          withDebug: false,
          withSource: false,
          packageFilters: ["kernel", "glibc"],
          all: false,
          techPreview: [],
        }),
      ],
    });
  });

  it.each<[string, string, FileSettings]>([
    [
      "local_repo wins over download_folder in the same file",
      "download_folder: /a\nlocal_repo: /b\ntopics: []\n",
      { downloadFolder: "/b", topics: [] },
    ],
    [
      "topic: at the top level makes the whole file one topic, folder kept top-level",
      "topic: RHEL-9.4\nlocal_repo: /srv\narchs: [aarch64]\nvariants: [BaseOS]\nwith_debug: true\n",
      {
        downloadFolder: "/srv",
        withDebug: true,
        topics: [
          topic("RHEL-9.4", {
            archs: ["aarch64"],
            variants: [{ name: "BaseOS" }],
            withDebug: true,
          }),
        ],
      },
    ],
    [
      "jobs: wins over topic: and its entries name topics with topic:",
      "topic: RHEL-8.4\njobs:\n  - topic: RHEL-9.2\n    systems: [a]\n  - name: RHEL-9.4\n",
      { topics: [topic("RHEL-9.2"), topic("RHEL-9.4")] },
    ],
    [
      "other tools' keys are accepted and ignored (version, systems, tests, local_repo_ip, dci_*)",
      'version: "2"\nbeaker_lab: {dns_server: 10.0.0.1}\njumpbox: j\ntopics:\n  - name: X\n    systems: [s]\n    tests: {a: b}\n    local_repo_ip: 10.0.0.1\n    dci_rhel_agent_cert: false\n    dci_tags: [debug]\n',
      { topics: [topic("X")] },
    ],
    [
      "yes/no are booleans as in PyYAML, and numbers stay as written",
      "with_debug: yes\nwith_source: off\ntopics:\n  - name: 4.10\n    filters: [{type: COMPOSE, tag: 4.10}]\n",
      {
        withDebug: true,
        withSource: false,
        topics: [topic("4.10", { filters: [{ type: "compose", tag: "4.10" }] })],
      },
    ],
    [
      "y and n stay text, as in PyYAML (yaml's 1.1 schema would read booleans)",
      "topics:\n  - name: y\n    variants: [n, Y]\n",
      { topics: [topic("y", { variants: [{ name: "n" }, { name: "Y" }] })] },
    ],
    [
      "null values mean not set",
      "registry:\ntopics:\n  - name: X\n    archs: ~\n    component_id: null\n",
      { topics: [topic("X")] },
    ],
    [
      "our additions: with_iso, include, exclude and a per-topic download_folder",
      "topics:\n  - name: X\n    with_iso: true\n    include: ['**/*.rpm']\n    exclude: ['**/*.iso']\n    download_folder: /t\n",
      {
        topics: [
          topic("X", {
            withIso: true,
            include: ["**/*.rpm"],
            exclude: ["**/*.iso"],
            downloadFolder: "/t",
          }),
        ],
      },
    ],
    [
      "credentials and URLs",
      "cs_url: https://api.example/\nclient_id: remoteci/1\napi_secret: s3cr3t\nrepo_url: https://repo.example/\n",
      {
        csUrl: "https://api.example/",
        clientId: "remoteci/1",
        apiSecret: "s3cr3t",
        repoUrl: "https://repo.example/",
      },
    ],
  ])("%s", (_label, text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it.each([
    ["", "an empty file"],
    ["# nothing yet\n\n", "a file of comments"],
    ["---\n", "a lone document marker"],
  ])("FIX: refuses %j (%s) with a message saying what it should contain, not a crash", (text) => {
    const error = failure(text);
    expect(error.code).toBe("CONFIG_EMPTY_SETTINGS");
    expect(error.exitCode).toBe(EXIT_CODES.usage);
    expect(error.message).toBe(
      "The settings file s.yml is empty: it should hold a YAML mapping with download_folder and topics.",
    );
  });

  it("reports a YAML syntax error with file:line:column and the reason", () => {
    const error = failure("topics:\n  - name: X\n archs: [x86_64\n");
    expect(error.code).toBe("CONFIG_YAML");
    expect(error.message).toMatch(/^s\.yml:3:\d+: invalid YAML: \S/);
  });

  it.each([
    [
      "a second document",
      "a: 1\n---\nb: 2\n",
      /^s\.yml:2:1: invalid YAML: a settings file holds one/,
    ],
    [
      "an alias bomb",
      `a: &a [x, x]\nb: &b [${"*a, ".repeat(20)}*a]\nc: [${"*b, ".repeat(20)}*b]\n`,
      /^s\.yml:1:1: invalid YAML: .*alias/i,
    ],
  ])("reports %s as a YAML error", (_label, text, message) => {
    const error = failure(text);
    expect(error.code).toBe("CONFIG_YAML");
    expect(error.message).toMatch(message);
  });

  it.each<[string, string, string | RegExp]>([
    [
      "archs: 5",
      "topics:\n  - name: X\n    archs: 5\n",
      's.yml:3:12: topics[0].archs must be a list of strings, e.g. [x86_64, ppc64le], not the text "5".',
    ],
    ["with_debug: maybe", "with_debug: maybe\n", /^s\.yml:1:13: with_debug must be true or false/],
    [
      "download_folder: a list",
      "download_folder: [a]\n",
      /download_folder must be text, not a list/,
    ],
    ["topics: a mapping", "topics: {name: X}\n", /^s\.yml:1:9: topics must be a list/],
    ["a topic without a name", "topics:\n  - archs: [x86_64]\n", /topics\[0\] must be a mapping/],
    ["a variant list", "topics:\n  - name: X\n    variants: [[a]]\n", /variants\[0\]/],
    [
      "an empty variant name",
      "topics:\n  - name: X\n    variants: [BaseOS, '']\n",
      /variants\[1\]/,
    ],
    [
      "a variant object without a name",
      "topics:\n  - name: X\n    variants: [{with_iso: true}]\n",
      /variants\[0\] must be a variant name or \{name, with_debug, with_iso\}/,
    ],
    ["a filter without a type", "topics:\n  - name: X\n    filters: [{tag: a}]\n", /filters\[0\]/],
  ])("refuses a known key of the wrong type: %s", (_label, text, message) => {
    const error = failure(text);
    expect(error.code).toBe("CONFIG_TYPE");
    if (typeof message === "string") expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
  });

  it.each<[string, string, string]>([
    [
      "a misspelt per-topic key, with the nearest one",
      "download_folder: /srv\ntopics:\n  - name: RHEL-9.4\n    arches: [aarch64]\n",
      'settings file s.yml, line 4: unknown key "arches"; did you mean "archs"?',
    ],
    [
      "a misspelt top-level key",
      "download_foldr: /srv\ntopics: [{name: X}]\n",
      'settings file s.yml, line 1: unknown key "download_foldr"; did you mean "download_folder"?',
    ],
    [
      "a per-topic key at the top level of a topics file",
      "archs: [aarch64]\ntopics: [{name: X}]\n",
      'settings file s.yml, line 1: unknown key "archs"; it is a per-topic key: put it under each entry of topics',
    ],
    [
      "a misspelt key of the whole-file topic form",
      "topic: RHEL-9.4\nvariant: [BaseOS]\n",
      'settings file s.yml, line 2: unknown key "variant"; did you mean "variants"?',
    ],
    [
      "a misspelt key of a jobs entry",
      "jobs:\n  - topic: RHEL-9.4\n    with_debgu: true\n",
      'settings file s.yml, line 3: unknown key "with_debgu"; did you mean "with_debug"?',
    ],
    [
      "a misspelt key of a filter",
      "topics:\n  - name: X\n    filters:\n      - type: compose\n        tags: nightly\n",
      'settings file s.yml, line 5: unknown key "tags"; did you mean "tag"?',
    ],
    [
      "a misspelt key of a variant object",
      "topics:\n  - name: X\n    variants: [{name: BaseOS, with_isos: true}]\n",
      'settings file s.yml, line 3: unknown key "with_isos"; did you mean "with_iso"?',
    ],
    [
      "a key far from every known one, without a guess",
      "topics:\n  - name: X\n    mirror_everything_please: true\n",
      'settings file s.yml, line 3: unknown key "mirror_everything_please"',
    ],
  ])(
    "refuses an unknown key (%s), naming the file, the line and the key",
    (_label, text, message) => {
      const error = failure(text);
      expect(error).toEqual({ code: "CONFIG_UNKNOWN_KEY", message, exitCode: EXIT_CODES.usage });
    },
  );

  it.each(["- a\n- b\n", "just text\n"])(
    "refuses a top level that is not a mapping: %j",
    (text) => {
      expect(failure(text).code).toBe("CONFIG_NOT_MAPPING");
    },
  );
});

describe("dci-mirror's own top-level keys", () => {
  it("reads snapshots as a whole number and max_delete as text", () => {
    expect(parse("snapshots: 2\nmax_delete: 10%\n")).toMatchObject({
      snapshots: 2,
      maxDelete: "10%",
    });
  });

  it.each(["snapshots: two\n", "snapshots: -1\n", "snapshots: 1.5\n", "snapshots: [2]\n"])(
    "refuses %j, naming the key",
    (text) => {
      expect(() => parse(text)).toThrow(/snapshots/);
      expect(() => parse(text)).toThrow(/a whole number, 0 or more/);
    },
  );

  it("reads bwlimit as the rate written, numbers included", () => {
    expect(parse("bwlimit: 50M\n")).toMatchObject({ bwlimit: "50M" });
    expect(parse("bwlimit: 1500000\n")).toMatchObject({ bwlimit: "1500000" });
  });

  it.each(["bwlimit: fast\n", "bwlimit: -5M\n", "bwlimit: 5 MB/s\n", "bwlimit: [5M]\n"])(
    "refuses bwlimit %j, naming the key and its place",
    (text) => {
      expect(() => parse(text)).toThrow(/^s\.yml:1:10: bwlimit must be bytes per second/);
    },
  );
});
