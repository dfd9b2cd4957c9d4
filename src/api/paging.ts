/**
 * When to stop paging a DCI list. `_meta.count` comes from the server and may lie (a server that
 * ignores `offset` and claims 10⁹ records would be paged forever), so paging also stops when a
 * page adds no record not seen before, and fails past a fixed number of pages. Pure.
 */
import { ApiShapeError } from "../errors.js";

/**
 * Pages read from one listing at most: 1,000 pages of 100 records is 100,000 topics or components,
 * far above any real topic (a few thousand components after years of daily composes).
 */
export const MAX_LIST_PAGES = 1_000;

/** The records of `items` whose id is not in `seenIds`, which learns them. */
export function newRecords<T extends { readonly id: string }>(
  items: readonly T[],
  seenIds: Set<string>,
): T[] {
  const fresh: T[] = [];
  for (const item of items) {
    if (seenIds.has(item.id)) continue;
    seenIds.add(item.id);
    fresh.push(item);
  }
  return fresh;
}

/** The error for a listing that was still growing after MAX_LIST_PAGES pages. */
export function tooManyPages(listing: string, maxPages: number): ApiShapeError {
  return new ApiShapeError(
    `The ${listing} still had more records after ${maxPages} pages; refusing to page further.`,
    {
      code: "API_TOO_MANY_PAGES",
      hint: "No real DCI listing is that long: check DCI_CS_URL points at a DCI control server, narrow the listing (--type, --tag), and report it with --verbose output if it persists.",
    },
  );
}
