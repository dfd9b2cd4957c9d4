/**
 * The checks of numeric run settings, declared once: the command line applies them as it parses
 * (a usage error before anything runs), the resolver again for every other caller. Pure.
 */
import { UsageError } from "../errors.js";
import { parseByteRate } from "../units.js";
import type { DeleteLimit } from "./run-settings.js";

/** `value` when it is a whole number of at least 1; else UsageError USAGE naming `--flag`. */
export function positiveInteger(flag: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new UsageError(`--${flag} must be a whole number of at least 1, not ${value}.`, {
      code: "USAGE",
      hint: `For example --${flag} 16.`,
    });
  }
  return value;
}

/**
 * `--max-delete N` or `N%`: a whole number of entries (0 or more), or a whole percentage from 0 to
 * 100; undefined when not given. Throws UsageError USAGE otherwise.
 */
export function deleteLimit(text: string | number | undefined): DeleteLimit | undefined {
  if (text === undefined) return undefined;
  const match = /^\s*(\d+)\s*(%?)\s*$/.exec(String(text));
  const max = Number(match?.[1]);
  if (match !== null && Number.isSafeInteger(max) && (match[2] === "" || max <= 100))
    return Object.freeze({ kind: match[2] === "%" ? "percent" : "count", max });
  throw new UsageError(
    `--max-delete must be a whole number of entries or a percentage up to 100%, not ${JSON.stringify(String(text))}.`,
    { code: "USAGE", hint: "For example --max-delete 500 or --max-delete 10%." },
  );
}

/** `value` when it is a whole number, 0 or more; else UsageError USAGE naming `--flag`. */
export function nonNegativeInteger(flag: string, value: number): number {
  if (Number.isSafeInteger(value) && value >= 0) return value;
  throw new UsageError(`--${flag} must be a whole number, 0 or more, not ${value}.`, {
    code: "USAGE",
    hint: `For example --${flag} 2.`,
  });
}

/** `value` when it is absent or a number of seconds, 0 or more; else UsageError USAGE. */
export function nonNegativeSeconds(flag: string, value: number | undefined): number | undefined {
  if (value !== undefined && (!Number.isFinite(value) || value < 0)) {
    throw new UsageError(`--${flag} must be a number of seconds, 0 or more, not ${value}.`, {
      code: "USAGE",
      hint: `For example --${flag} 600.`,
    });
  }
  return value;
}

/**
 * `--bwlimit RATE` (or a settings file's `bwlimit`): bytes per second for the whole run, as
 * parseByteRate reads them (`50M` is 50,000,000); 0 when absent or 0 (no limit). Throws
 * UsageError USAGE naming `where` otherwise.
 */
export function bandwidthLimit(where: string, text: string | number | undefined): number {
  if (text === undefined) return 0;
  const bytesPerSecond = typeof text === "number" ? text : parseByteRate(text);
  if (bytesPerSecond !== undefined && Number.isSafeInteger(bytesPerSecond) && bytesPerSecond >= 0)
    return bytesPerSecond;
  throw new UsageError(
    `${where} must be bytes per second, with an optional k, M or G (SI) or Ki, Mi or Gi suffix, not ${JSON.stringify(String(text))}.`,
    { code: "USAGE", hint: "For example --bwlimit 50M (50,000,000 bytes/s); 0 for no limit." },
  );
}
