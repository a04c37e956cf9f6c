import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { asRequest } from '../support/fetch.js';
import { setupServer } from 'msw/node';
import { HttpResponse } from 'msw';
import { Buffer } from 'node:buffer';
import { APIUserAbortError, InternalServerError, InvalidArgumentError, JupyterClient } from 'jupyter-sdk';
import {
  BASE,
  TOKEN,
  dirModel,
  errorJson,
  fileModel,
  notebookModel,
  recordAll,
  type S,
  type Seen,
} from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () => new JupyterClient({ baseUrl: BASE, token: TOKEN });

// A name with a space, non-ASCII letters, `#`, `?` and `%`, in a folder with a space.
const ODD_PATH = 'my dir/été #1?100%.txt';
const ODD_ENCODED = '/user/ana/api/contents/my%20dir/%C3%A9t%C3%A9%20%231%3F100%25.txt';

type SaveBody = S['ContentsSave'];

function decodeChunks(seen: Seen[]): Buffer {
  return Buffer.concat(seen.map((s) => Buffer.from(String((s.body as SaveBody).content), 'base64')));
}

describe('contents.get', () => {
  it('sends GET with each path segment percent-encoded and "/" kept between them', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['FileContents']>(fileModel(ODD_PATH))));
    const model = await client().contents.get(ODD_PATH);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'GET', path: ODD_ENCODED, query: {} });
    expect(seen[0]!.headers.authorization).toBe(`token ${TOKEN}`);
    expect(model.type).toBe('file');
    if (model.type === 'file') expect(model.content).toBe('hi');
    expect(model.path).toBe(ODD_PATH);
  });

  it('sends content=0, type and format as query parameters', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['FileContents']>(fileModel('a.bin', { content: null, format: null }))));
    await client().contents.get('a.bin', { content: false, type: 'file', format: 'base64' });
    await client().contents.get('a.bin', { content: true, hash: true });
    expect(seen.map((s) => s.query)).toEqual([
      { content: '0', type: 'file', format: 'base64' },
      { content: '1', hash: '1' },
    ]);
  });

  it('reads the root folder at /api/contents without a trailing slash', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['DirectoryContents']>(dirModel('', []))));
    await client().contents.get('');
    await client().contents.get('/');
    expect(seen.map((s) => s.path)).toEqual(['/user/ana/api/contents', '/user/ana/api/contents']);
  });

  it('drops leading, trailing and doubled slashes from a path', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['FileContents']>(fileModel('a/b/c.txt'))));
    await client().contents.get('/a//b/c.txt/');
    expect(seen[0]!.path).toBe('/user/ana/api/contents/a/b/c.txt');
  });

  it('returns a notebook model with its nbformat content', async () => {
    server.use(recordAll([], () => HttpResponse.json<S['NotebookContents']>(notebookModel('n.ipynb'))));
    const model = await client().contents.get('n.ipynb');
    expect(model.type).toBe('notebook');
    if (model.type === 'notebook') expect(model.content).toMatchObject({ nbformat: 4 });
  });

  it.each(['..', '../etc/passwd', 'a/../../b', 'a/./b'])('refuses the path %j with InvalidArgumentError before any request', async (bad) => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json({})));
    await expect(client().contents.get(bad)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(seen).toEqual([]);
  });
});

describe('contents.list', () => {
  it('sends GET ?type=directory and returns the entries', async () => {
    const seen: Seen[] = [];
    const entries = [fileModel('my dir/a.txt', { content: null }), notebookModel('my dir/b.ipynb', { content: null })];
    server.use(recordAll(seen, () => HttpResponse.json<S['DirectoryContents']>(dirModel('my dir', entries))));
    const list = await client().contents.list('my dir');
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/user/ana/api/contents/my%20dir', query: { type: 'directory' } });
    expect(list.map((e) => e.name)).toEqual(['a.txt', 'b.ipynb']);
  });

  it('lists the root folder when called without a path', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['DirectoryContents']>(dirModel('', []))));
    expect(await client().contents.list()).toEqual([]);
    expect(seen[0]!.path).toBe('/user/ana/api/contents');
  });

  it('returns an empty array when the directory model has no content', async () => {
    server.use(recordAll([], () => HttpResponse.json<S['DirectoryContents']>({ ...dirModel('d', []), content: null })));
    expect(await client().contents.list('d')).toEqual([]);
  });
});

describe('contents.create', () => {
  it('POSTs {type, ext} to the folder and returns the model the server named', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Contents']>(fileModel('my dir/untitled.py', { content: null }), { status: 201 })));
    const model = await client().contents.create('my dir', { type: 'file', ext: '.py' });
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/user/ana/api/contents/my%20dir', body: { type: 'file', ext: '.py' } });
    expect(seen[0]!.headers['content-type']).toBe('application/json');
    expect(model.name).toBe('untitled.py');
  });

  it('creates a notebook in the root folder by default', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Contents']>(notebookModel('Untitled.ipynb', { content: null }), { status: 201 })));
    const model = await client().contents.create();
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/user/ana/api/contents', body: { type: 'notebook' } });
    expect(model.type).toBe('notebook');
  });
});

describe('contents.save', () => {
  it('PUTs the model as JSON to the encoded path and returns the saved model', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Contents']>(fileModel(ODD_PATH, { content: null }))));
    const model = await client().contents.save(ODD_PATH, { type: 'file', format: 'text', content: 'hello' });
    expect(seen[0]).toMatchObject({ method: 'PUT', path: ODD_ENCODED, body: { type: 'file', format: 'text', content: 'hello' } });
    expect(model.path).toBe(ODD_PATH);
  });

  it('refuses to save to the root folder', async () => {
    await expect(client().contents.save('', { type: 'file', format: 'text', content: '' })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('refuses a path with a ".." segment before any request', async () => {
    await expect(client().contents.save('a/../b.txt', { type: 'file', format: 'text', content: '' })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });
});

describe('contents.copy', () => {
  it('POSTs {copy_from} to the target folder', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Contents']>(fileModel('out dir/été #1-Copy1.txt'), { status: 201 })));
    const model = await client().contents.copy('/my dir/été #1.txt', 'out dir');
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/user/ana/api/contents/out%20dir', body: { copy_from: 'my dir/été #1.txt' } });
    expect(model.name).toBe('été #1-Copy1.txt');
  });

  it('copies into the root folder when the target is ""', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Contents']>(fileModel('a.txt'), { status: 201 })));
    await client().contents.copy('d/a.txt', '');
    expect(seen[0]!.path).toBe('/user/ana/api/contents');
  });

  it('refuses a ".." in the source or the target before any request', async () => {
    await expect(client().contents.copy('../a.txt', 'd')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client().contents.copy('a.txt', 'd/..')).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('contents.rename', () => {
  it('PATCHes {path: newPath} to the old path and returns the moved model', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Contents']>(fileModel('b dir/new ?.txt'))));
    const model = await client().contents.rename(ODD_PATH, '/b dir/new ?.txt');
    expect(seen[0]).toMatchObject({ method: 'PATCH', path: ODD_ENCODED, body: { path: 'b dir/new ?.txt' } });
    expect(model.path).toBe('b dir/new ?.txt');
  });

  it('refuses a ".." in the new path before any request', async () => {
    await expect(client().contents.rename('a.txt', '../a.txt')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client().contents.rename('a.txt', '')).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('contents.delete', () => {
  it('sends DELETE to the encoded path and resolves to undefined on 204', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => new HttpResponse(null, { status: 204 })));
    await expect(client().contents.delete(ODD_PATH)).resolves.toBeUndefined();
    expect(seen[0]).toMatchObject({ method: 'DELETE', path: ODD_ENCODED });
  });

  it('refuses to delete the root folder or a ".." path', async () => {
    await expect(client().contents.delete('')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client().contents.delete('a/..')).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('contents.upload', () => {
  const okModel = (s: Seen) => HttpResponse.json<S['Contents']>(fileModel('up/x.bin', { content: null, size: (s.body as SaveBody | undefined)?.chunk ?? 0 }));
  // The folder listing the upload reads to learn whether its target exists (all targets are *.bin or *.txt).
  const listing = (s: Seen, exists: boolean) => {
    const dir = decodeURIComponent(s.path.replace(/^\/user\/ana\/api\/contents\/?/, ''));
    const entries = exists ? ['x.bin', 'new.bin'].map((n) => fileModel(dir ? `${dir}/${n}` : n, { content: null })) : [];
    return HttpResponse.json<S['Contents']>({ ...fileModel(dir, { content: entries as never }), type: 'directory', format: 'json', mimetype: null } as S['Contents']);
  };
  // A server where the target does not exist yet (or does), answering the upload's requests.
  const uploadServer = (seen: Seen[], exists = false) =>
    recordAll(seen, (s) => {
      if (s.method === 'GET') return listing(s, exists);
      if (s.method === 'DELETE') return new HttpResponse(null, { status: 204 });
      return okModel(s);
    });
  const puts = (seen: Seen[]) => seen.filter((s) => s.method === 'PUT');

  it('sends a small file in one PUT without a chunk field', async () => {
    const seen: Seen[] = [];
    server.use(uploadServer(seen));
    const model = await client().contents.upload('up dir/é x.txt', 'héllo');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'PUT', path: '/user/ana/api/contents/up%20dir/%C3%A9%20x.txt' });
    const body = seen[0]!.body as SaveBody;
    expect(body).toMatchObject({ type: 'file', format: 'base64', name: 'é x.txt' });
    expect(body.chunk).toBeUndefined();
    expect(Buffer.from(String(body.content), 'base64').toString('utf8')).toBe('héllo');
    expect(model.path).toBe('up/x.bin');
  });

  it('splits data into chunks 1, 2, ..., -1 whose base64 decodes back to the input', async () => {
    const seen: Seen[] = [];
    server.use(uploadServer(seen));
    const data = Uint8Array.from({ length: 10 }, (_, i) => (i * 37 + 200) % 256);
    await client().contents.upload('up/x.bin', data, { chunkSize: 4 });
    expect(puts(seen).map((s) => (s.body as SaveBody).chunk)).toEqual([1, 2, -1]);
    // Existence is read from the folder's listing: no 404 for a new file (which a browser logs).
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/user/ana/api/contents/up', query: { type: 'directory' } });
    expect(puts(seen).every((s) => s.path === '/user/ana/api/contents/up/x.bin')).toBe(true);
    expect([...decodeChunks(puts(seen))]).toEqual([...data]);
  });

  it('asks whether a dot-file exists by its own path, as folder listings hide dot-files', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, (s) => (s.method === 'GET' ? errorJson(404, { message: 'file or directory does not exist', reason: null }) : okModel(s))));
    await client().contents.upload('up/.hidden.bin', new Uint8Array(8), { chunkSize: 4 });
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/user/ana/api/contents/up/.hidden.bin', query: { content: '0' } });
    expect(puts(seen).map((s) => [s.path, (s.body as SaveBody).chunk])).toEqual([
      ['/user/ana/api/contents/up/.hidden.bin', 1],
      ['/user/ana/api/contents/up/.hidden.bin', -1],
    ]);
  });

  it('sends 1 then -1 when the size is an exact multiple of chunkSize', async () => {
    const seen: Seen[] = [];
    server.use(uploadServer(seen));
    await client().contents.upload('x.bin', new Uint8Array(8).fill(7), { chunkSize: 4 });
    expect(puts(seen).map((s) => (s.body as SaveBody).chunk)).toEqual([1, -1]);
  });

  it('returns the model the server sent for the last chunk', async () => {
    server.use(uploadServer([]));
    const model = await client().contents.upload('x.bin', new Uint8Array(9), { chunkSize: 4 });
    expect(model.size).toBe(-1);
  });

  it('reports progress after every chunk', async () => {
    server.use(uploadServer([]));
    const onProgress = vi.fn();
    await client().contents.upload('x.bin', new Uint8Array(10), { chunkSize: 4, onProgress });
    expect(onProgress.mock.calls.map((c) => c[0])).toEqual([
      { loaded: 4, total: 10 },
      { loaded: 8, total: 10 },
      { loaded: 10, total: 10 },
    ]);
  });

  it('uploads a string as UTF-8 across chunk boundaries that split a character', async () => {
    const seen: Seen[] = [];
    server.use(uploadServer(seen));
    const text = 'ééé€€ ok';
    await client().contents.upload('t.txt', text, { chunkSize: 3 });
    expect(puts(seen).length).toBeGreaterThan(1);
    expect(decodeChunks(puts(seen)).toString('utf8')).toBe(text);
  });

  it('uploads a Blob chunk by chunk', async () => {
    const seen: Seen[] = [];
    server.use(uploadServer(seen));
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
    await client().contents.upload('b.bin', new Blob([bytes]), { chunkSize: 300 });
    expect(puts(seen).map((s) => (s.body as SaveBody).chunk)).toEqual([1, 2, 3, -1]);
    expect([...decodeChunks(puts(seen))]).toEqual([...bytes]);
  });

  it('uploads an ArrayBuffer', async () => {
    const seen: Seen[] = [];
    server.use(uploadServer(seen));
    await client().contents.upload('a.bin', Uint8Array.from([0, 255, 1]).buffer);
    expect([...decodeChunks(puts(seen))]).toEqual([0, 255, 1]);
  });

  it('uploads a Uint8Array view at its own offset, not its whole buffer', async () => {
    const seen: Seen[] = [];
    server.use(uploadServer(seen));
    const view = Uint8Array.from([9, 9, 1, 2, 3, 9]).subarray(2, 5);
    await client().contents.upload('v.bin', view);
    expect([...decodeChunks(puts(seen))]).toEqual([1, 2, 3]);
  });

  it('uploads empty data as one empty file', async () => {
    const seen: Seen[] = [];
    server.use(uploadServer(seen));
    await client().contents.upload('empty.txt', '');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.body).toMatchObject({ content: '', format: 'base64' });
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses chunkSize %s with InvalidArgumentError before any request', async (chunkSize) => {
    const seen: Seen[] = [];
    server.use(uploadServer(seen));
    await expect(client().contents.upload('x.bin', 'abc', { chunkSize })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(seen).toEqual([]);
  });

  it('refuses a ".." path or the root folder before any request', async () => {
    await expect(client().contents.upload('../x.bin', 'abc')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client().contents.upload('', 'abc')).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('refuses data that is not a string, Uint8Array, ArrayBuffer or Blob', async () => {
    await expect(client().contents.upload('x.bin', 42 as unknown as string)).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('retries the first chunk on 503 but never an appended chunk', async () => {
    const calls: number[] = [];
    const fetch = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
      const request = asRequest(input, init);
      if (request.method === 'GET') return Response.json({ ...fileModel('', { content: [] as never }), type: 'directory', format: 'json' });
      if (request.method === 'DELETE') return new Response(null, { status: 204 });
      const chunk = ((await request.json()) as SaveBody).chunk!;
      calls.push(chunk);
      // The first attempt of each chunk fails with 503.
      const firstTry = calls.filter((c) => c === chunk).length === 1;
      if (firstTry) return new Response('busy', { status: 503, headers: { 'retry-after': '0' } });
      return Response.json(fileModel('x.bin'));
    });
    const c = new JupyterClient({ baseUrl: BASE, token: TOKEN, fetch });
    const err = await c.contents.upload('x.bin', new Uint8Array(10), { chunkSize: 4 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect((err as InternalServerError).status).toBe(503);
    expect(calls).toEqual([1, 1, 2]);
  });

  it('replaces an existing file only once every chunk is in: the chunks go to a sibling, then it moves into place', async () => {
    const seen: Seen[] = [];
    server.use(uploadServer(seen, true));
    const data = Uint8Array.from({ length: 10 }, (_, i) => i);
    await client().contents.upload('up/x.bin', data, { chunkSize: 4 });
    const part = puts(seen)[0]!.path;
    expect(part).toMatch(/^\/user\/ana\/api\/contents\/up\/x\.bin\.upload-[0-9a-f]+\.part$/);
    expect(puts(seen).map((s) => [s.path, (s.body as SaveBody).chunk])).toEqual([[part, 1], [part, 2], [part, -1]]);
    expect([...decodeChunks(puts(seen))]).toEqual([...data]);
    expect(seen.filter((s) => s.method !== 'PUT').map((s) => `${s.method} ${s.path}`)).toEqual([
      'GET /user/ana/api/contents/up',
      'DELETE /user/ana/api/contents/up/x.bin',
      `PATCH ${part}`,
    ]);
    expect(seen.at(-1)!.body).toEqual({ path: 'up/x.bin' });
  });

  it('leaves an existing file alone when a chunk fails, and removes the partial sibling', async () => {
    const seen: Seen[] = [];
    server.use(
      recordAll(seen, (s) => {
        if (s.method === 'PUT' && (s.body as SaveBody).chunk === 2) return errorJson(500, { message: 'disk full', reason: null });
        if (s.method === 'DELETE') return new HttpResponse(null, { status: 204 });
        if (s.method === 'GET') return listing(s, true);
        return okModel(s);
      }),
    );
    const err = await client().contents.upload('up/x.bin', new Uint8Array(10), { chunkSize: 4 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    const part = puts(seen)[0]!.path;
    expect(part).not.toBe('/user/ana/api/contents/up/x.bin');
    expect(seen.filter((s) => s.method !== 'PUT' && s.method !== 'GET').map((s) => `${s.method} ${s.path}`)).toEqual([`DELETE ${part}`]);
  });

  it('removes a new file again when the upload is aborted midway, even though the signal has fired', async () => {
    const seen: Seen[] = [];
    server.use(uploadServer(seen));
    const ac = new AbortController();
    const err = await client()
      .contents.upload('up/new.bin', new Uint8Array(12), { chunkSize: 4, onProgress: ({ loaded }) => loaded === 4 && ac.abort() }, { signal: ac.signal })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect(puts(seen).map((s) => (s.body as SaveBody).chunk)).toEqual([1]);
    expect(seen.at(-1)).toMatchObject({ method: 'DELETE', path: '/user/ana/api/contents/up/new.bin' });
  });
});
