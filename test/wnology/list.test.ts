import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { BadRequestError, InvalidArgumentError, NotFoundError, WnologyClient, type Notebook, type Notebooks } from 'jupyter-sdk/wnology';
import { APP, BASE, GET_HEADERS, LIST as LIST_ROUTE, TOKEN, errorJson, expectRequest, notebookModel, recordAll, route, type S, type Seen } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () => new WnologyClient({ token: TOKEN, baseUrl: BASE, maxRetries: 0 });
const LIST = `/applications/${APP}/notebooks`;
const ids = Array.from({ length: 5 }, (_, i) => `575ed78e7ae143cd83dc4a${(0xa0 + i).toString(16)}`);
const all = ids.map((id, i) => notebookModel({ id, notebookId: id, name: `nb-${i}` }));

/** Serves `all` in pages of `perPage` (the server's own page size), as Losant does. */
function paged(seen: Seen[], perPage = 2, withTotal = true) {
  return route(
    'get',
    LIST_ROUTE,
    (s) => {
      const page = Number(s.query.page ?? 0);
      const items = all.slice(page * perPage, (page + 1) * perPage);
      const body: S['Notebooks'] = { items, count: items.length, perPage, page, sortField: 'name', sortDirection: 'asc', applicationId: APP };
      if (withTotal) body.totalCount = all.length;
      return body;
    },
    { seen },
  );
}

describe('wn.notebooks.list', () => {
  it('resolves to one page when awaited, with the query it was given', async () => {
    const seen: Seen[] = [];
    server.use(paged(seen));
    const page: Notebooks = await client().notebooks.list(APP, { perPage: 2, sortField: 'lastUpdated', sortDirection: 'desc' });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([`GET ${LIST}`]);
    const query = { page: '0', perPage: '2', sortField: 'lastUpdated', sortDirection: 'desc' };
    expectRequest(seen[0], { method: 'GET', path: LIST, query, headers: GET_HEADERS });
    expect(page.items.map((n) => n.name)).toEqual(['nb-0', 'nb-1']);
    expect(page.totalCount).toBe(5);
  });

  it('sends filterField=name with a filter', async () => {
    const seen: Seen[] = [];
    server.use(paged(seen));
    await client().notebooks.list(APP, { filter: 'daily*' });
    expectRequest(seen[0], { method: 'GET', path: LIST, query: { page: '0', filter: 'daily*', filterField: 'name' }, headers: GET_HEADERS });
  });

  it('iterates every notebook across three pages with for await, one request per page', async () => {
    const seen: Seen[] = [];
    server.use(paged(seen));
    const names: string[] = [];
    for await (const nb of client().notebooks.list(APP, { perPage: 2 })) names.push((nb satisfies Notebook).name!);
    expect(names).toEqual(['nb-0', 'nb-1', 'nb-2', 'nb-3', 'nb-4']);
    expect(seen.map((s) => s.query.page)).toEqual(['0', '1', '2']);
    expect(seen.every((s) => s.query.perPage === '2')).toBe(true);
  });

  it('pages by the server page size when totalCount is absent, stopping at a short page', async () => {
    const seen: Seen[] = [];
    server.use(paged(seen, 2, false));
    const names: string[] = [];
    for await (const nb of client().notebooks.list(APP, { perPage: 2 })) names.push(nb.name!);
    expect(names).toEqual(['nb-0', 'nb-1', 'nb-2', 'nb-3', 'nb-4']);
    expect(seen.map((s) => s.query.page)).toEqual(['0', '1', '2']);
  });

  it('starts at the requested page and exposes whole pages through pages()', async () => {
    const seen: Seen[] = [];
    server.use(paged(seen));
    const pages: number[] = [];
    for await (const p of client().notebooks.list(APP, { page: 1, perPage: 2 }).pages()) pages.push(p.items.length);
    expect(pages).toEqual([2, 1]);
    expect(seen.map((s) => s.query.page)).toEqual(['1', '2']);
  });

  it('does not fetch the first page twice when awaited and then iterated, and stops when the loop breaks', async () => {
    const seen: Seen[] = [];
    server.use(paged(seen));
    const list = client().notebooks.list(APP, { perPage: 2 });
    expect((await list).items).toHaveLength(2);
    for await (const nb of list) {
      if (nb.name === 'nb-2') break;
    }
    expect(seen.map((s) => s.query.page)).toEqual(['0', '1']);
  });

  it('sends nothing until awaited or iterated', async () => {
    const seen: Seen[] = [];
    server.use(paged(seen));
    client().notebooks.list(APP);
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([]);
  });

  it('rejects a bad application id through the awaited page and the loop, never by throwing, and sends nothing', async () => {
    const seen: Seen[] = [];
    server.use(paged(seen));
    let list: ReturnType<WnologyClient['notebooks']['list']> | undefined;
    expect(() => (list = client().notebooks.list('not-an-id'))).not.toThrow();
    await expect(list!).rejects.toBeInstanceOf(InvalidArgumentError);
    const looped = await (async () => {
      for await (const nb of client().notebooks.list(`${APP}/x`)) void nb;
    })().catch((e: unknown) => e);
    expect(looped).toBeInstanceOf(InvalidArgumentError);
    const paged_ = await (async () => {
      for await (const p of client().notebooks.list('').pages()) void p;
    })().catch((e: unknown) => e);
    expect(paged_).toBeInstanceOf(InvalidArgumentError);
    expect(seen).toEqual([]);
  });

  it('rejects with NotFoundError for an unknown application, and surfaces an error on a later page', async () => {
    server.use(recordAll([], () => errorJson(404, { type: 'NotFound', message: 'Application was not found' })));
    const err = await client().notebooks.list(APP).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).message).toBe('404 Application was not found');

    server.use(
      route('get', LIST_ROUTE, (s) =>
        s.query.page === '0'
          ? { items: all.slice(0, 2), perPage: 2, page: 0, totalCount: 5 }
          : errorJson(400, { type: 'Validation', message: 'page out of range' }),
      ),
    );
    const names: string[] = [];
    const later = await (async () => {
      for await (const nb of client().notebooks.list(APP, { perPage: 2 })) names.push(nb.name!);
    })().catch((e: unknown) => e);
    expect(names).toEqual(['nb-0', 'nb-1']);
    expect(later).toBeInstanceOf(BadRequestError);
  });
});
