import type { HubPagination } from './models.js';

/** What the hub answers a list request with: `{items, _pagination}` when paging was asked for, a bare array otherwise. */
export type PageAnswer<T> = T[] | { items: T[]; _pagination: HubPagination };

/** The media type that makes the hub page a list instead of silently cutting it at `api_page_max_limit`. */
export const PAGINATION_ACCEPT = 'application/jupyterhub-pagination+json';

/** Which part of a list to read. */
export interface PageWindow {
  /** Index of the first item. @default 0 */
  offset?: number | undefined;
  /** Most items to read in all (across pages); every item from `offset` on when omitted. */
  limit?: number | undefined;
}

/**
 * Reads a paged hub list from `offset`, page after page, following `_pagination.next` until the
 * end or until `limit` items. Each page is asked for with the pagination media type; a hub older
 * than 2.0 ignores it and answers the whole list as one array. The next page is asked for by its
 * offset rather than by `next.url`, which carries the scheme and host the hub saw (not the public
 * ones behind a TLS-terminating proxy).
 */
export async function* readPages<T>(
  fetchPage: (offset: number, limit: number | undefined) => Promise<PageAnswer<T>>,
  window: PageWindow = {},
): AsyncGenerator<T[]> {
  let offset = window.offset ?? 0;
  let wanted = window.limit;
  while (wanted === undefined || wanted > 0) {
    const answer = await fetchPage(offset, wanted);
    if (Array.isArray(answer)) {
      yield wanted === undefined ? answer : answer.slice(0, wanted);
      return;
    }
    const items = wanted === undefined ? answer.items : answer.items.slice(0, wanted);
    if (items.length > 0) yield items;
    const next = answer._pagination?.next;
    // An empty page that still points further would loop forever: the list changed under us.
    if (!next || items.length === 0) return;
    if (wanted !== undefined) wanted -= items.length;
    offset = next.offset;
  }
}

/** Every item of a paged list, in order. */
export async function readAll<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}
