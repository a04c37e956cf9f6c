// The hub client's own plumbing: the event-stream reader, the page reader and the concurrency bound.
import { describe, expect, it } from 'vitest';
import { readEvents } from '../../src/hub/sse.js';
import { readAll, readPages, type PageAnswer } from '../../src/hub/pages.js';
import { limitConcurrency } from '../../src/hub/limit.js';

function streamOf(chunks: string[], onCancel?: () => void): ReadableStream<Uint8Array> {
  const bytes = chunks.map((c) => new TextEncoder().encode(c));
  return new ReadableStream({
    pull(controller) {
      const next = bytes.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
    cancel: onCancel,
  });
}

async function collect(body: ReadableStream<Uint8Array>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const e of readEvents(body)) out.push(e);
  return out;
}

describe('readEvents', () => {
  it('reads the JSON of each data field, across chunk boundaries and CRLF split between chunks', async () => {
    const events = await collect(streamOf(['data: {"progress": 0', ', "message": "Server requested"}\r', '\n\r\n', '\n\ndata: {"progress": 100, "ready": true}\n\n']));
    expect(events).toEqual([{ progress: 0, message: 'Server requested' }, { progress: 100, ready: true }]);
  });

  it('joins multi-line data, and skips keep-alives, comments, other fields and data that is not a JSON object', async () => {
    const text = ':comment\n\n\n\nevent: progress\nid: 1\ndata: {"a":\ndata: 1}\n\ndata: [1]\n\ndata: not json\n\ndata:{"b":2}\n\n';
    expect(await collect(streamOf([text]))).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('drops an event the stream cut off before its empty line', async () => {
    expect(await collect(streamOf(['data: {"a":1}\n\ndata: {"b":2}\n']))).toEqual([{ a: 1 }]);
  });

  it('cancels the stream when the loop breaks', async () => {
    let cancelled = false;
    const body = streamOf(['data: {"a":1}\n\n', 'data: {"b":2}\n\n', 'data: {"c":3}\n\n'], () => (cancelled = true));
    for await (const e of readEvents(body)) {
      expect(e).toEqual({ a: 1 });
      break;
    }
    expect(cancelled).toBe(true);
  });
});

describe('readPages', () => {
  const all = Array.from({ length: 25 }, (_, i) => i);
  // A hub with a page limit of 10, answering pages the way 3.0 does.
  const hub = (max = 10) => {
    const asked: Array<[number, number | undefined]> = [];
    const fetchPage = async (offset: number, limit: number | undefined): Promise<PageAnswer<number>> => {
      asked.push([offset, limit]);
      const size = Math.min(limit ?? max, max);
      const items = all.slice(offset, offset + size);
      const next = offset + size < all.length ? { offset: offset + size, limit: size, url: 'http://internal:8081/hub/api/users?offset=x' } : null;
      return { items, _pagination: { offset, limit: size, total: all.length, next } };
    };
    return { asked, fetchPage };
  };

  it('follows next to the end, by offset', async () => {
    const { asked, fetchPage } = hub();
    expect(await readAll(readPages(fetchPage))).toEqual(all);
    expect(asked).toEqual([[0, undefined], [10, undefined], [20, undefined]]);
  });

  it('reads a window across pages and asks for no more than it still needs', async () => {
    const { asked, fetchPage } = hub();
    expect(await readAll(readPages(fetchPage, { offset: 5, limit: 12 }))).toEqual(all.slice(5, 17));
    expect(asked).toEqual([[5, 12], [15, 2]]);
  });

  it('takes a bare array (a hub that does not page) as the whole list', async () => {
    expect(await readAll(readPages(async () => [1, 2, 3]))).toEqual([1, 2, 3]);
    expect(await readAll(readPages(async () => [1, 2, 3], { limit: 2 }))).toEqual([1, 2]);
  });

  it('stops at an empty page that still points further instead of looping', async () => {
    let calls = 0;
    const pages = readPages<number>(async (offset) => {
      calls++;
      return { items: [], _pagination: { offset, limit: 10, total: 99, next: { offset, limit: 10 } } };
    });
    expect(await readAll(pages)).toEqual([]);
    expect(calls).toBe(1);
  });
});

describe('limitConcurrency', () => {
  it('lets at most max requests wait for headers at once, in order', async () => {
    let active = 0;
    let peak = 0;
    const order: string[] = [];
    const slow = (async (input: RequestInfo | URL) => {
      active++;
      peak = Math.max(peak, active);
      order.push(String(input));
      await new Promise((r) => setTimeout(r, 5));
      active--;
      return new Response('ok');
    }) as typeof fetch;
    const limited = limitConcurrency(3, () => slow);
    await Promise.all(Array.from({ length: 10 }, (_, i) => limited(`u${i}`)));
    expect(peak).toBe(3);
    expect(order).toEqual(Array.from({ length: 10 }, (_, i) => `u${i}`));
  });

  it('frees the slot when a request fails, and drops a queued request whose signal aborts', async () => {
    const release: Array<() => void> = [];
    const calls: string[] = [];
    const held = (async (input: RequestInfo | URL) => {
      calls.push(String(input));
      if (String(input) === 'fail') throw new TypeError('fetch failed');
      await new Promise<void>((r) => release.push(r));
      return new Response('ok');
    }) as typeof fetch;
    const limited = limitConcurrency(1, () => held);
    await expect(limited('fail')).rejects.toThrow('fetch failed');
    const first = limited('first');
    const controller = new AbortController();
    const queued = limited('queued', { signal: controller.signal });
    const third = limited('third');
    controller.abort(new Error('caller gave up'));
    await expect(queued).rejects.toThrow('caller gave up');
    await new Promise((r) => setTimeout(r, 0));
    release.shift()!();
    await first;
    await new Promise((r) => setTimeout(r, 0));
    release.shift()!();
    await third;
    expect(calls).toEqual(['fail', 'first', 'third']);
  });
});
