// The architecture check: reads every .ts file under a source root and names each rule it breaks.
import { readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import {
  type Capability,
  type Exemption,
  isModule,
  matches,
  type RuleId,
  type Rules,
  roomOf,
  type Violation,
} from "./rules.js";
import { findImports, type ImportRef, maskSource } from "./source.js";

const CLOCK = /\bDate\.now\b|\bnew\s+Date\s*\(\s*\)|\bMath\.random\b|\bperformance\.now\b/g;
const ANY_PROCESS = /(?<![\w$])process\s*\./g;
const DEFAULT_EXPORT = /\bexport\s+default\b|\bexport\s*\{[^}]*\bas\s+default\b/g;
const ANY = /\bas\s+any\b|:\s*any\b|<any\b|\bany\[\]/g;
const TS_IGNORE = /^\s*(?:\/\/|\/\*+)\s*@ts-(?:ignore|nocheck)\b/gm;

/** Every violation in the .ts files under `srcRoot` (paths in the answer are relative to it). */
export function checkTree(srcRoot: string, rules: Rules): Violation[] {
  const files = readdirSync(srcRoot, { recursive: true, encoding: "utf8" })
    .map((path) => path.split("\\").join("/"))
    .filter((path) => path.endsWith(".ts"))
    .sort();
  return files.flatMap((file) => checkFile(file, readFileSync(join(srcRoot, file), "utf8"), rules));
}

/** The violations of one file, given its path relative to the source root and its text. */
export function checkFile(file: string, text: string, rules: Rules): Violation[] {
  const found: Violation[] = [];
  const add = (line: number, target: string, rule: RuleId, detail: string) =>
    found.push({ file, line, target, rule, detail });
  const room = roomOf(file);
  if (rules.ranks[room] === undefined) {
    add(1, "", "unplaced-room", `${room} has no stage rank: place it in the rank table`);
  }
  const inner = rules.inner[room];
  const subRoom = roomOf(file.slice(room.length));
  if (inner !== undefined && !inner.some((rooms) => rooms.includes(subRoom))) {
    add(1, "", "unplaced-room", `${room}${subRoom} has no inner rank: place it in ${room}'s table`);
  }
  const pure = matches(file, rules.pure.files) && !matches(file, rules.pure.except);
  const exempt = (rule: Exemption["rule"]) =>
    rules.pure.exemptions.some((entry) => entry.file === file && entry.rule === rule);
  const masked = maskSource(text);
  for (const ref of findImports(text, masked)) {
    if (ref.kind === "require") {
      const target =
        ref.specifier === undefined ? `${ref.code}…)` : `${ref.code}"${ref.specifier}")`;
      add(ref.line, target, "no-require", "ESM only: a require call hides what it loads");
    } else if (ref.specifier === undefined) {
      add(ref.line, `${ref.code}…)`, "computed-import", "a computed specifier cannot be checked");
    } else if (ref.specifier.startsWith(".")) {
      checkArrow(file, ref, ref.specifier, rules, add);
    } else if (!ref.typeOnly) {
      checkModule(file, ref, ref.specifier, rules, pure && !exempt("pure-io"), add);
    }
  }
  const each = (pattern: RegExp, rule: RuleId, detail: string, source = masked) => {
    for (const match of source.matchAll(pattern)) {
      add(source.slice(0, match.index).split("\n").length, match[0].trim(), rule, detail);
    }
  };
  if (pure && !exempt("pure-clock")) each(CLOCK, "pure-clock", "a pure file reads the clock");
  if (pure && !exempt("pure-process")) {
    each(ANY_PROCESS, "pure-process", "a pure file touches the process");
  } else if (!matches(file, rules.processGlobals.files)) {
    const names = rules.processGlobals.names.join("|");
    const globals = new RegExp(`(?<![\\w$])process\\.(?:${names})\\b`, "g");
    each(globals, "process-global", "the program's globals belong to the listed files");
  }
  each(DEFAULT_EXPORT, "no-default-export", "named exports only");
  each(ANY, "no-any", "`any` switches the type checker off");
  each(TS_IGNORE, "no-ts-ignore", "a suppressed type error", text);
  return found;
}

type Add = (line: number, target: string, rule: RuleId, detail: string) => void;

/** A relative import: the arrow from this file's room to the target's must point down the ranks. */
function checkArrow(file: string, ref: ImportRef, specifier: string, rules: Rules, add: Add) {
  const resolved = posix.normalize(posix.join(posix.dirname(file), specifier));
  if (resolved === ".." || resolved.startsWith("../")) {
    add(ref.line, specifier, "outside-src", "a relative import leaves the source root");
    return;
  }
  const from = roomOf(file);
  const to = roomOf(resolved.replace(/\.js$/, ".ts"));
  if (to === from) {
    checkInnerArrow(from, file, resolved, ref, specifier, rules, add);
    return;
  }
  if (to === rules.gated.room && !rules.gated.importers.includes(from)) {
    const who = rules.gated.importers.join(" and ");
    add(ref.line, specifier, "sandbox-gate", `${to} may be imported only by ${who}`);
  }
  const fromRank = rules.ranks[from];
  const toRank = rules.ranks[to];
  if (fromRank === undefined || toRank === undefined) return;
  if (toRank < fromRank || (fromRank === 0 && toRank === 0)) return;
  const why = toRank === fromRank ? "same rank, other room" : "an upward import";
  const what = ref.typeOnly ? "type import" : ref.kind;
  add(
    ref.line,
    specifier,
    "stage-order",
    `${from} (${fromRank}) → ${to} (${toRank}): ${why} (${what})`,
  );
}

/** Inside a room with inner ranks: sub-room to sub-room, down the inner ranks only. */
function checkInnerArrow(
  room: string,
  file: string,
  resolved: string,
  ref: ImportRef,
  specifier: string,
  rules: Rules,
  add: Add,
) {
  const inner = rules.inner[room];
  if (inner === undefined) return;
  const rankOf = (path: string) => {
    const sub = roomOf(path.slice(room.length).replace(/\.js$/, ".ts"));
    return { sub, rank: inner.findIndex((rooms) => rooms.includes(sub)) };
  };
  const from = rankOf(file);
  const to = rankOf(resolved);
  if (from.sub === to.sub || from.rank === -1 || to.rank === -1 || to.rank < from.rank) return;
  const why = to.rank === from.rank ? "same inner rank, other sub-room" : "an upward import";
  const detail = `${room}${from.sub} (${from.rank}) → ${room}${to.sub} (${to.rank}): ${why}`;
  add(ref.line, specifier, "stage-order", detail);
}

/** A package or built-in module: pure files load no I/O; each kind of I/O only where listed. */
function checkModule(
  file: string,
  ref: ImportRef,
  specifier: string,
  rules: Rules,
  pure: boolean,
  add: Add,
) {
  if (pure && isModule(specifier, rules.pure.modules)) {
    add(ref.line, specifier, "pure-io", `a pure file loads an I/O module (${ref.kind})`);
    return;
  }
  const capabilities: readonly [RuleId, Capability][] = [
    ["network", rules.network],
    ["file-system", rules.fileSystem],
    ["spawn", rules.spawn],
  ];
  for (const [rule, capability] of capabilities) {
    if (isModule(specifier, capability.modules) && !matches(file, capability.files)) {
      add(ref.line, specifier, rule, `${rule} modules only in the listed files (${ref.kind})`);
    }
  }
  if (isModule(specifier, ["process"]) && !matches(file, rules.processGlobals.files)) {
    add(ref.line, specifier, "process-global", "the program's globals belong to the listed files");
  }
}
