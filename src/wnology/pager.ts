import type { Notebook, Notebooks } from './models.js';

/**
 * The answer of `notebooks.list`: `await` it for one page, or `for await` over every notebook
 * from that page on. Nothing is requested until one of the two is used.
 */
export class NotebookPage implements PromiseLike<Notebooks>, AsyncIterable<Notebook> {
  private first: Promise<Notebooks> | undefined;

  constructor(
    private readonly fetchPage: (page: number) => Promise<Notebooks>,
    private readonly startPage: number,
    private readonly perPage: number | undefined,
  ) {}

  private firstPage(): Promise<Notebooks> {
    return (this.first ??= this.fetchPage(this.startPage));
  }

  /** Awaiting the pager resolves to its first page. */
  then<A = Notebooks, B = never>(
    onfulfilled?: ((value: Notebooks) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.firstPage().then(onfulfilled, onrejected);
  }

  /** Handles a failure of the first page, as a promise's `catch` does. */
  catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<Notebooks | B> {
    return this.firstPage().catch(onrejected);
  }

  /** Every page from the first one asked for, fetched as the loop reaches it. */
  async *pages(): AsyncGenerator<Notebooks, void, undefined> {
    let page = this.startPage;
    let res = await this.firstPage();
    for (;;) {
      yield res;
      const items = res.items ?? [];
      const perPage = res.perPage ?? this.perPage ?? items.length;
      // Losant pages are zero-based and carry no next link: stop once this page reaches totalCount.
      const done =
        items.length === 0 ||
        perPage <= 0 ||
        (typeof res.totalCount === 'number' ? (page + 1) * perPage >= res.totalCount : items.length < perPage);
      if (done) return;
      page++;
      res = await this.fetchPage(page);
    }
  }

  /** Every notebook of every page from the first one asked for, fetched as the loop reaches it. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Notebook, void, undefined> {
    for await (const res of this.pages()) yield* res.items ?? [];
  }
}
