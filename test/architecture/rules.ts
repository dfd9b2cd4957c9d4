// The shape of the architecture rules (the table itself is at the top of the architecture test).
// Paths are relative to src/; a pattern ending in "/" is a whole folder, `*` stands for any
// characters but "/", anything else is one file.

export type RuleId =
  | "unplaced-room"
  | "stage-order"
  | "sandbox-gate"
  | "outside-src"
  | "computed-import"
  | "no-require"
  | "pure-io"
  | "pure-clock"
  | "pure-process"
  | "network"
  | "file-system"
  | "spawn"
  | "process-global"
  | "no-default-export"
  | "no-any"
  | "no-ts-ignore";

/** A kind of I/O: the modules that give it and the only files that may load them. */
export interface Capability {
  /** Module names without "node:"; a name covers its subpaths ("fs" covers "fs/promises"). */
  readonly modules: readonly string[];
  readonly files: readonly string[];
}

export interface Exemption {
  readonly file: string;
  readonly rule: "pure-io" | "pure-clock" | "pure-process";
  readonly reason: string;
}

export interface Rules {
  /** Room (a ground file or a top-level folder) → stage rank. Ground files are rank 0. */
  readonly ranks: Readonly<Record<string, number>>;
  /**
   * Ranks inside a room (a room → its sub-rooms by rank, paths relative to the room): the same
   * one-way rule applies between its sub-folders and files.
   */
  readonly inner: Readonly<Record<string, readonly (readonly string[])[]>>;
  /** A room only the listed rooms may import, whatever their rank. */
  readonly gated: { readonly room: string; readonly importers: readonly string[] };
  /** Files that do no I/O and read neither the clock, randomness nor the process. */
  readonly pure: {
    readonly files: readonly string[];
    readonly except: readonly string[];
    /** Modules a pure file may not load (names without "node:"). */
    readonly modules: readonly string[];
    readonly exemptions: readonly Exemption[];
  };
  readonly network: Capability;
  readonly fileSystem: Capability;
  readonly spawn: Capability;
  /** The program's globals (`process.argv`, `process.env`, the std streams...): only these files. */
  readonly processGlobals: { readonly names: readonly string[]; readonly files: readonly string[] };
}

export interface Violation {
  /** The file that breaks the rule, relative to src/. */
  readonly file: string;
  readonly line: number;
  /** The import specifier or code that breaks it ("" for the file as a whole). */
  readonly target: string;
  readonly rule: RuleId;
  readonly detail: string;
}

/** Whether `path` (relative to src/) matches one of the patterns. */
export function matches(path: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    const body = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", "[^/]*");
    return new RegExp(pattern.endsWith("/") ? `^${body}` : `^${body}$`).test(path);
  });
}

/** The room of a path relative to src/: its top-level folder ("api/") or the file ("model.ts"). */
export function roomOf(path: string): string {
  const slash = path.indexOf("/");
  return slash === -1 ? path : path.slice(0, slash + 1);
}

/** Whether a module name (with or without "node:") is one of `names` or under one of them. */
export function isModule(specifier: string, names: readonly string[]): boolean {
  const name = specifier.replace(/^node:/, "");
  return names.some((candidate) => name === candidate || name.startsWith(`${candidate}/`));
}

export function formatViolation(violation: Violation): string {
  const where = `${violation.file}:${violation.line}`;
  const what = violation.target === "" ? "" : `  ${violation.target}`;
  return `${where}${what}  [${violation.rule}] ${violation.detail}`;
}
