// A tiny source tree that follows the rules, and the violations the self-test plants in it one
// at a time: each must make the check fail with exactly the rules listed.
import type { RuleId } from "./rules.js";

/** TypeScript source as written between the backticks, where "\`" is a backtick, "\$" a dollar. */
export const verbatim = (strings: TemplateStringsArray) =>
  strings.raw.join("").replace(/\\([`$])/g, "$1");

/** Legal on purpose: ground ↔ ground, downward arrows, report → tree, type-only undici in a pure
 * file, cli → sandbox (static and dynamic), prose, strings, regexes and templates that only look
 * like violations. */
export const CLEAN_TREE: Readonly<Record<string, string>> = {
  "model.ts": verbatim`import type { Failure } from "./errors.js";
export interface Item { name: string; failure?: Failure }`,
  "errors.ts": verbatim`import type { Item } from "./model.js";
export type Failure = Item;`,
  "signing/sign.ts": verbatim`import type { Dispatcher } from "undici";
import type { Item } from "../model.js";
export const sign = (item: Item, agent?: Dispatcher) => item.name + String(agent);`,
  "config/settings.ts": verbatim`import { sign } from "../signing/sign.js";
// Never: import { download } from "../transfer/download.js"; nor Date.now() nor process.env
export const note = "process.env, Date.now() and import(\"node:fs\") are prose here";
export const pattern = /process\.env|"/;
export const settings = { key: sign({ name: \`import("undici") \${note} Date.now()\` }) };`,
  "planning/plan.ts": verbatim`import { settings } from "../config/settings.js";
export const plan = [settings];`,
  "transfer/download.ts": verbatim`import { request } from "undici";
import { plan } from "../planning/plan.js";
export const download = () => request(String(plan.length));`,
  "tree/place.ts": verbatim`import { writeFile } from "node:fs/promises";
export const place = writeFile;`,
  "report/progress.ts": verbatim`import { place } from "../tree/place.js";
export const show = () => process.stderr.write(String(place));`,
  "sandbox/catalog/catalog.ts": verbatim`export const catalog = ["RHEL-9.4"];`,
  "sandbox/server.ts": verbatim`import { createServer } from "node:http";
import { catalog } from "./catalog/catalog.js";
export const start = catalog.length > 0 ? createServer : undefined;`,
  "cli/main.ts": verbatim`import { start } from "../sandbox/server.js";
export const main = async () => (await import(\`../sandbox/server.js\`)).start === start;
export const args = process.argv;`,
  "index.ts": verbatim`export { start } from "./sandbox/server.js";
export type * from "./model.js";`,
};

/** One planted violation: the file it goes in, its code, and exactly the rules it must break. */
export interface Plant {
  readonly file: string;
  readonly code: string;
  readonly rules: readonly RuleId[];
}

// rules broken | file planted | its code ("⏎" is a line break)
const TABLE = verbatim`
stage-order              | planning/order.ts       | import { download } from "../transfer/download.js";
stage-order              | tree/show.ts            | import { show } from "../report/progress.js";
stage-order              | api/client.ts           | import { settings } from "../config/settings.js";
stage-order              | planning/many.ts        | import {⏎  a,⏎  b,⏎} from "../transfer/download.js";
stage-order              | planning/all.ts         | export * from "../transfer/download.js";
stage-order              | transfer/types.ts       | export type { Step } from "../run/steps.js";
stage-order              | tree/types.ts           | import type { plan } from "../planning/plan.js";
stage-order              | config/late.ts          | export const late = () => import("../planning/plan.js");
stage-order              | sandbox/catalog/up.ts   | import { start } from "../server.js";
stage-order              | sandbox/store/side.ts   | import { start } from "../api/routes.js";
unplaced-room            | sandbox/misc/extra.ts   | export const extra = 1;
sandbox-gate             | run/steps.ts            | import { start } from "../sandbox/server.js";
sandbox-gate             | run/late.ts             | export const s = () => import("../sandbox/server.js");
sandbox-gate,stage-order | tree/s.ts               | import "../sandbox/server.js";
unplaced-room            | selection/latest.ts     | export const latest = 1;
unplaced-room            | mirror.ts               | export const mirror = 1;
outside-src              | tree/out.ts             | import { x } from "../../test/x.js";
computed-import          | tree/any.ts             | export const load = (name: string) => import(name);
computed-import          | tree/t.ts               | export const t = (n: string) => import(\`./\${n}.js\`);
pure-io                  | planning/fs.ts          | export const fs = () => import("node:fs");
pure-io                  | planning/fs2.ts         | export const fs = () => import(\`node:fs\`);
pure-io                  | config/disk.ts          | import { readFile } from "node:fs/promises";
pure-io                  | signing/net.ts          | import { type Dispatcher, request } from "undici";
pure-io,no-require       | config/settings-file.ts | import { createRequire } from "node:module";⏎const y = createRequire(import.meta.url)("yaml");
no-require               | config/old.ts           | export const yaml = require("yaml");
network                  | tree/fetch.ts           | export { request } from "undici";
network                  | transfer/socket.ts      | import { connect } from "node:net";
file-system              | transfer/run.ts         | import { open } from "fs";
spawn                    | tree/spawn.ts           | import { spawn } from "node:child_process";
pure-clock               | planning/clock.ts       | export const now = () => Date.now();
pure-clock               | filtering/when.ts       | export const when = () => new Date();
pure-clock               | planning/at.ts          | export const at = \`at \${Date.now()}\`;
pure-clock               | signing/jitter.ts       | export const jitter = Math.random;
pure-clock               | report/summary.ts       | export const t = performance.now();
pure-process             | planning/pid.ts         | export const pid = process.pid;
process-global           | tree/env.ts             | export const home = process.env["HOME"];
process-global           | transfer/argv.ts        | import { argv } from "node:process";

no-default-export        | tree/d.ts               | export default 1;
no-default-export        | tree/d2.ts              | const d = 1;⏎export { d as default };

no-any                   | tree/a.ts               | export const a = (x: any) => x;
no-ts-ignore             | tree/i.ts               | // @ts-ignore⏎export const i: number = "x";
`;

export const PLANTS: readonly Plant[] = TABLE.trim()
  .split("\n")
  .filter((row) => row.trim() !== "")
  .map((row) => {
    const [rules = "", file = "", ...code] = row.split(" | ");
    return {
      file: file.trim(),
      code: code.join(" | ").replaceAll("⏎", "\n"),
      rules: rules.trim().split(",") as RuleId[],
    };
  });
