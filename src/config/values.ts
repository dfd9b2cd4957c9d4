/** Small value rules shared by the resolvers of config/. Pure. */

/** A blank value is no value: the reference tests `if value:`, and "" as a folder would mean the cwd. */
export function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

/** `values` without repeats (by `key`), first occurrence kept, order kept. */
export function unique<T>(values: readonly T[], key: (value: T) => string): T[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const id = key(value);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/**
 * `base` with each key that `over` defines (not undefined) taken from `over`. Generic on purpose:
 * a key added to the settings types is merged without anyone listing it here.
 */
export function overlay<T extends object>(base: T, over: T): T {
  const defined = Object.entries(over).filter(([, value]) => value !== undefined);
  return { ...base, ...Object.fromEntries(defined) };
}
