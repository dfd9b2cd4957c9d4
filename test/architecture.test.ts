// The project's architecture, as rules a test can check: the stage ranks (which room may import
// which), the sandbox gate, the pure rooms (no I/O, clock, randomness or process), and where each
// kind of I/O may happen. The check reads static and dynamic imports, re-exports and require
// calls; the self-test below plants each kind of violation in a temporary tree to show it fails.
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkFile, checkTree } from "./architecture/check.js";
import { CLEAN_TREE, PLANTS, type Plant, verbatim } from "./architecture/plants.js";
import { formatViolation, type Rules, type Violation } from "./architecture/rules.js";
import { findImports, maskSource } from "./architecture/source.js";

/** Room → rank: RANKS[n] holds the rooms of rank n, paths relative to src/. A file may import
 * its own room or a room of strictly lower rank; ground files (rank 0) may import each other; same
 * rank, other room is a violation. Type-only imports follow the ranks too (an arrow is an arrow),
 * but they load nothing, so the I/O rules let them by. */
const RANKS = [
  ["model.ts", "errors.ts", "failures.ts", "events.ts", "version.ts", "units.ts"],
  ["signing/", "http/"],
  ["credentials/", "tree/", "containers/", "sandbox/"],
  ["api/", "config/", "filtering/"],
  ["planning/"],
  ["transfer/"],
  ["run/"],
  ["report/"],
  ["cli/", "index.ts"],
];

/** The sandbox's own floors, the same one-way rule inside it: a server on top of an API and an
 * object store, both on the catalog, the query language, the fault rules, the request log and the
 * TLS listener. */
const SANDBOX_RANKS = [
  ["query/", "catalog/", "faults/", "traffic/", "tls/"],
  ["store/"],
  ["api/"],
  ["server.ts"],
];

const RULES: Rules = {
  ranks: Object.fromEntries(RANKS.flatMap((rooms, rank) => rooms.map((room) => [room, rank]))),
  inner: { "sandbox/": SANDBOX_RANKS },
  gated: { room: "sandbox/", importers: ["cli/", "index.ts"] },
  pure: {
    files: [
      ...["model.ts", "errors.ts", "failures.ts", "events.ts", "version.ts", "units.ts"],
      ...["signing/", "filtering/", "planning/", "config/", "credentials/"],
      ...["report/summary.ts", "report/json.ts", "report/metrics.ts"],
      ...["containers/images.ts", "tree/bookkeeping.ts"],
      ...[
        "api/endpoints.ts",
        "api/latest.ts",
        "http/backoff.ts",
        "http/headers.ts",
        "http/proxy.ts",
        "http/trust.ts",
      ],
      ...["sandbox/query/", "sandbox/api/visibility.ts", "sandbox/api/serialize.ts"],
      "sandbox/store/presign.ts",
    ],
    except: ["config/read-*.ts", "credentials/read-*.ts"],
    modules: [
      ...["fs", "net", "http", "https", "http2", "tls", "dns", "dgram", "undici", "os"],
      ...["child_process", "cluster", "worker_threads", "module", "process", "timers"],
    ],
    exemptions: [
      {
        file: "signing/sign-request.ts",
        rule: "pure-clock",
        reason: "signRequest signs at the current time when given no `now`; signRequestAt is pure",
      },
    ],
  },
  network: {
    modules: ["undici", "net", "http", "https", "http2", "tls", "dgram", "dns"],
    files: [
      ...["api/transport.ts", "api/signed-exchange.ts", "api/store-reader.ts"],
      ...["transfer/download.ts", "sandbox/"],
    ],
  },
  fileSystem: {
    modules: ["fs"],
    files: [
      ...["tree/", "transfer/partial.ts", "transfer/partial-open.ts", "transfer/verify.ts"],
      "sandbox/",
      ...["config/read-*.ts", "credentials/read-*.ts"],
      // skopeo's source file holds the pull password: written 0600 in a private temp folder, removed.
      "containers/skopeo.ts",
    ],
  },
  spawn: {
    modules: ["child_process", "cluster", "worker_threads"],
    files: ["containers/skopeo.ts"],
  },
  processGlobals: {
    names: [
      ...["argv", "execArgv", "env", "exit", "exitCode", "stdin", "stdout", "stderr"],
      ...["on", "once", "chdir", "cwd"],
    ],
    files: ["cli/", "report/"],
  },
};

const SRC = fileURLToPath(new URL("../src/", import.meta.url));
const byRule = (a: Violation, b: Violation) =>
  a.rule.localeCompare(b.rule) || a.file.localeCompare(b.file) || a.line - b.line;

describe("architecture", () => {
  it("sees code, not comments or strings, and keeps their offsets", () => {
    const text = 'const a = "process.env"; // Date.now()\n/* any */ const r = /"/;';
    expect(maskSource(text)).toBe(
      'const a = "           ";              \n          const r = / /;',
    );
    expect(maskSource(verbatim`const t = \`a\${b + \`c\${d}\`}e\`;`)).toBe(
      verbatim`const t = \` \${b + \` \${d}\`} \`;`,
    );
  });

  it("finds every form of import, with its specifier", () => {
    const text = [
      'import a from "./a.js";',
      'import type { B } from "./b.js";',
      'import "./c.js";',
      'export * from "./d.js";',
      "export type {\n  E,\n} from './e.js';",
      "const f = await import(`./f.js`);",
      'const g = require("g");',
    ].join("\n");
    const found = findImports(text, maskSource(text)).map(
      (ref) => `${ref.line} ${ref.kind}${ref.typeOnly ? " type" : ""} ${ref.specifier}`,
    );
    expect(found).toEqual([
      ...["1 import ./a.js", "2 import type ./b.js", "3 import ./c.js", "4 re-export ./d.js"],
      ...["5 re-export type ./e.js", "8 dynamic ./f.js", "9 require g"],
    ]);
  });

  it("finds in every file of src/ the imports TypeScript's own preprocessor finds", () => {
    for (const file of readdirSync(SRC, { recursive: true, encoding: "utf8" })) {
      if (!file.endsWith(".ts")) continue;
      const text = readFileSync(join(SRC, file), "utf8");
      const theirs = ts.preProcessFile(text, true, true).importedFiles.map((ref) => ref.fileName);
      const mine = findImports(text, maskSource(text)).flatMap((ref) => ref.specifier ?? []);
      expect(mine.sort(), file).toEqual(theirs.sort());
    }
  });

  it("src/ follows the rules (one violation a line: file:line  import  [rule] why)", () => {
    const violations = checkTree(SRC, RULES).sort(byRule).map(formatViolation);
    expect(violations).toEqual([]);
  });
});

describe("the architecture check catches…", () => {
  let root = "";
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "dci-mirror-architecture-"));
    for (const [file, code] of Object.entries(CLEAN_TREE)) await put(file, code);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });
  const put = async (file: string, code: string) => {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), code);
  };

  it("nothing in a clean tree (legal arrows, type-only undici, prose that looks like code)", () => {
    expect(checkTree(root, RULES).map(formatViolation)).toEqual([]);
  });

  const title = (plant: Plant) =>
    `${plant.rules.join(" + ")}: ${plant.file} ← ${plant.code.replaceAll("\n", " ")}`;
  it.each(PLANTS.map((plant) => [title(plant), plant] as const))("%s", async (_, plant) => {
    expect(CLEAN_TREE[plant.file], "a plant goes in a file of its own").toBeUndefined();
    await put(plant.file, plant.code);
    try {
      const found = checkTree(root, RULES);
      expect(found.map((violation) => [violation.file, violation.rule])).toEqual(
        plant.rules.map((rule) => [plant.file, rule]),
      );
    } finally {
      await rm(join(root, plant.file));
    }
  });

  it("a checked file on its own, the same way", () => {
    const found = checkFile("planning/x.ts", 'export * from "../transfer/run.js";', RULES);
    expect(found.map(formatViolation)).toEqual([
      "planning/x.ts:1  ../transfer/run.js  [stage-order] planning/ (4) → transfer/ (5): an upward import (re-export)",
    ]);
  });
});
