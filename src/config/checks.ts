/**
 * The checks of numeric run settings, declared once: the command line applies them as it parses
 * (a usage error before anything runs), the resolver again for every other caller. Pure.
 */
import { UsageError } from "../errors.js";

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
