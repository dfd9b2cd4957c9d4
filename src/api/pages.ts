/**
 * Pages through a DCI listing, one page at a time, by the rules of paging.ts: `_meta.count` is a
 * hint, not a promise; paging stops at the first page with no new record and fails past
 * MAX_LIST_PAGES pages.
 */
import type { ListPage } from "../model.js";
import { MAX_LIST_PAGES, newRecords, tooManyPages } from "./paging.js";

export interface Paging {
  /** Names the listing in the error for endless paging, e.g. `topic list`. */
  readonly listing: string;
  /** Records per page; 100 when undefined. */
  readonly pageSize: number | undefined;
}

/** Yields each page's records not seen on an earlier page; throws ApiShapeError past the limit. */
export async function* pages<T extends { readonly id: string }>(
  fetchPage: (offset: number, limit: number) => Promise<ListPage<T>>,
  paging: Paging,
): AsyncGenerator<ListPage<T>> {
  const pageSize = paging.pageSize ?? 100;
  const seenIds = new Set<string>();
  for (let offset = 0, pageNumber = 1; ; pageNumber++) {
    if (pageNumber > MAX_LIST_PAGES) throw tooManyPages(paging.listing, MAX_LIST_PAGES);
    const page = await fetchPage(offset, pageSize);
    const items = newRecords(page.items, seenIds);
    if (items.length === 0) return;
    yield { items, count: page.count };
    offset += page.items.length;
    if (offset >= page.count) return;
  }
}
