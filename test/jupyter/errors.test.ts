// Every REST method: the request it sends with its credentials, and every failure the server
// (or the network) can give → the typed error.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { asRequest } from '../support/fetch.js';
import { setupServer } from 'msw/node';
import { HttpResponse } from 'msw';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  JupyterClient,
  NotFoundError,
  PermissionDeniedError,
  type RequestOptions,
  type TokenSource,
} from 'jupyter-sdk';
import { BASE, KERNEL_ID, SESSION_ID, TOKEN, errorJson, recordAll, type Seen } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

interface Method {
  name: string;
  /** The request the call must send: METHOD and encoded path under BASE. */
  request: string;
  /** Query string the call adds, as it appears in the error's url. */
  search?: string;
  /** The first request when the call has a signal, if another one than `request`. */
  firstWithSignal?: string;
  call: (c: JupyterClient, o: RequestOptions) => Promise<unknown>;
}

const P = '/user/ana/api';
const METHODS: Method[] = [
  { name: 'status', request: `GET ${P}/status`, call: (c, o) => c.status(o) },
  { name: 'version', request: `GET ${P}`, call: (c, o) => c.version(o) },
  { name: 'me', request: `GET ${P}/me`, call: (c, o) => c.me(o) },
  { name: 'contents.get', request: `GET ${P}/contents/d/a%20b.txt`, call: (c, o) => c.contents.get('d/a b.txt', {}, o) },
  { name: 'contents.list', request: `GET ${P}/contents/d`, search: '?type=directory', call: (c, o) => c.contents.list('d', o) },
  { name: 'contents.create', request: `POST ${P}/contents/d`, call: (c, o) => c.contents.create('d', { type: 'file' }, o) },
  {
    name: 'contents.save',
    request: `PUT ${P}/contents/d/a.txt`,
    call: (c, o) => c.contents.save('d/a.txt', { type: 'file', format: 'text', content: 'x' }, o),
  },
  { name: 'contents.upload', request: `PUT ${P}/contents/d/a.bin`, call: (c, o) => c.contents.upload('d/a.bin', 'abc', {}, o) },
  { name: 'contents.copy', request: `POST ${P}/contents/e`, call: (c, o) => c.contents.copy('d/a.txt', 'e', o) },
  { name: 'contents.rename', request: `PATCH ${P}/contents/d/a.txt`, call: (c, o) => c.contents.rename('d/a.txt', 'd/b.txt', o) },
  { name: 'contents.delete', request: `DELETE ${P}/contents/d/a.txt`, call: (c, o) => c.contents.delete('d/a.txt', o) },
  { name: 'checkpoints.list', request: `GET ${P}/contents/a.txt/checkpoints`, call: (c, o) => c.checkpoints.list('a.txt', o) },
  { name: 'checkpoints.create', request: `POST ${P}/contents/a.txt/checkpoints`, call: (c, o) => c.checkpoints.create('a.txt', o) },
  {
    name: 'checkpoints.restore',
    request: `POST ${P}/contents/a.txt/checkpoints/checkpoint`,
    call: (c, o) => c.checkpoints.restore('a.txt', 'checkpoint', o),
  },
  {
    name: 'checkpoints.delete',
    request: `DELETE ${P}/contents/a.txt/checkpoints/checkpoint`,
    call: (c, o) => c.checkpoints.delete('a.txt', 'checkpoint', o),
  },
  { name: 'kernels.list', request: `GET ${P}/kernels`, call: (c, o) => c.kernels.list(o) },
  { name: 'kernels.get', request: `GET ${P}/kernels/${KERNEL_ID}`, call: (c, o) => c.kernels.get(KERNEL_ID, o) },
  { name: 'kernels.start', request: `POST ${P}/kernels`, call: (c, o) => c.kernels.start({ name: 'python3' }, o) },
  {
    name: 'kernels.interrupt',
    request: `POST ${P}/kernels/${KERNEL_ID}/interrupt`,
    call: (c, o) => c.kernels.interrupt(KERNEL_ID, o),
  },
  { name: 'kernels.restart', request: `POST ${P}/kernels/${KERNEL_ID}/restart`, call: (c, o) => c.kernels.restart(KERNEL_ID, o) },
  { name: 'kernels.shutdown', request: `DELETE ${P}/kernels/${KERNEL_ID}`, call: (c, o) => c.kernels.shutdown(KERNEL_ID, o) },
  { name: 'kernelspecs.list', request: `GET ${P}/kernelspecs`, call: (c, o) => c.kernelspecs.list(o) },
  { name: 'kernelspecs.get', request: `GET ${P}/kernelspecs/python3`, call: (c, o) => c.kernelspecs.get('python3', o) },
  { name: 'sessions.list', request: `GET ${P}/sessions`, call: (c, o) => c.sessions.list(o) },
  { name: 'sessions.get', request: `GET ${P}/sessions/${SESSION_ID}`, call: (c, o) => c.sessions.get(SESSION_ID, o) },
  {
    name: 'sessions.create',
    request: `POST ${P}/sessions`,
    // With a signal, the sessions are listed first, to know which session an abort may delete.
    firstWithSignal: `GET ${P}/sessions`,
    call: (c, o) => c.sessions.create({ path: 'a.ipynb', type: 'notebook', kernel: { name: 'python3' } }, o),
  },
  { name: 'sessions.update', request: `PATCH ${P}/sessions/${SESSION_ID}`, call: (c, o) => c.sessions.update(SESSION_ID, { name: 'n' }, o) },
  { name: 'sessions.delete', request: `DELETE ${P}/sessions/${SESSION_ID}`, call: (c, o) => c.sessions.delete(SESSION_ID, o) },
  { name: 'terminals.list', request: `GET ${P}/terminals`, call: (c, o) => c.terminals.list(o) },
  { name: 'terminals.create', request: `POST ${P}/terminals`, call: (c, o) => c.terminals.create({}, o) },
  { name: 'terminals.get', request: `GET ${P}/terminals/1`, call: (c, o) => c.terminals.get('1', o) },
  { name: 'terminals.delete', request: `DELETE ${P}/terminals/1`, call: (c, o) => c.terminals.delete('1', o) },
  { name: 'config.get', request: `GET ${P}/config/notebook`, call: (c, o) => c.config.get('notebook', o) },
  { name: 'config.update', request: `PATCH ${P}/config/notebook`, call: (c, o) => c.config.update('notebook', { a: 1 }, o) },
  { name: 'config.replace', request: `PUT ${P}/config/notebook`, call: (c, o) => c.config.replace('notebook', { a: 1 }, o) },
];

const TRACEBACK = 'Traceback (most recent call last):\n  File "/usr/lib/python3/dist-packages/tornado/web.py", line 1713, in _execute\nKeyError: x';
// The shape of Jupyter Server 1.23's HTML 404 page: a generic title, the status in the <h1>.
const HTML_404 =
  '<!DOCTYPE HTML>\n<html>\n<head>\n    <meta charset="utf-8">\n    <title>Jupyter Server</title>\n</head>\n<body class="">\n  <div id="site">\n<div class="error">\n    <h1>404 : Not Found</h1>\n<p>You are requesting a page that does not exist!</p>\n</div>\n  </div>\n</body>\n</html>';

interface Failure {
  what: string;
  reply: () => Response;
  type: typeof APIError;
  status: number;
  message: string;
  serverMessage: string | undefined;
  /** The server's `reason`, else the HTTP status text. */
  reason: string | undefined;
}

const FAILURES: Failure[] = [
  {
    what: '400 with a JSON body',
    reply: () => errorJson(400, { message: 'Invalid JSON in body of request', reason: null }),
    type: BadRequestError,
    status: 400,
    message: '400 Invalid JSON in body of request',
    serverMessage: 'Invalid JSON in body of request',
    reason: 'Bad Request',
  },
  {
    what: '403 Forbidden',
    reply: () => errorJson(403, { message: 'Forbidden', reason: null }),
    type: PermissionDeniedError,
    status: 403,
    message: '403 Forbidden',
    serverMessage: 'Forbidden',
    reason: 'Forbidden',
  },
  {
    what: '404 with a JSON body',
    reply: () => errorJson(404, { message: "file or directory does not exist: 'a.txt'", reason: null }),
    type: NotFoundError,
    status: 404,
    message: "404 file or directory does not exist: 'a.txt'",
    serverMessage: "file or directory does not exist: 'a.txt'",
    reason: 'Not Found',
  },
  {
    what: '409 File already exists',
    reply: () => errorJson(409, { message: 'File already exists: d/b.txt', reason: null }),
    type: ConflictError,
    status: 409,
    message: '409 File already exists: d/b.txt',
    serverMessage: 'File already exists: d/b.txt',
    reason: 'Conflict',
  },
  {
    what: '500 with a traceback',
    reply: () => errorJson(500, { message: 'Unhandled error', reason: null, traceback: TRACEBACK }),
    type: InternalServerError,
    status: 500,
    message: '500 Unhandled error (KeyError: x)',
    serverMessage: 'Unhandled error',
    reason: 'Internal Server Error',
  },
  {
    what: '501 with short_message and no reason',
    reply: () => errorJson(501, { message: "The 'nope' kernel is not available.", short_message: 'nope not found' }),
    type: InternalServerError,
    status: 501,
    message: "501 The 'nope' kernel is not available.",
    serverMessage: "The 'nope' kernel is not available.",
    reason: 'Not Implemented',
  },
  {
    what: '500 with a plain-text body',
    reply: () => new HttpResponse('upstream exploded\n', { status: 500, headers: { 'content-type': 'text/plain' } }),
    type: InternalServerError,
    status: 500,
    message: '500 upstream exploded',
    serverMessage: 'upstream exploded',
    reason: 'Internal Server Error',
  },
  {
    what: '400 with a server reason',
    reply: () => errorJson(400, { message: 'Unreadable Notebook: a.txt', reason: 'bad format' }),
    type: BadRequestError,
    status: 400,
    message: '400 Unreadable Notebook: a.txt',
    serverMessage: 'Unreadable Notebook: a.txt',
    reason: 'bad format',
  },
  {
    what: '404 with an HTML page',
    reply: () => HttpResponse.html(HTML_404, { status: 404 }),
    type: NotFoundError,
    status: 404,
    message: '404 Not Found',
    serverMessage: 'Not Found',
    reason: 'Not Found',
  },
  {
    what: '502 HTML page from a proxy, with only a title',
    reply: () => HttpResponse.html('<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>', { status: 502 }),
    type: InternalServerError,
    status: 502,
    message: '502 Bad Gateway',
    serverMessage: 'Bad Gateway',
    reason: 'Bad Gateway',
  },
  {
    what: '500 with an empty body',
    reply: () => new HttpResponse(null, { status: 500, statusText: 'Internal Server Error' }),
    type: InternalServerError,
    status: 500,
    message: '500 Internal Server Error',
    serverMessage: undefined,
    reason: 'Internal Server Error',
  },
];

// Retries are covered in test/core/retry.test.ts; here each failure must surface at once.
const client = (extra: Partial<ConstructorParameters<typeof JupyterClient>[0]> = {}) =>
  new JupyterClient({ baseUrl: BASE, token: TOKEN, maxRetries: 0, ...extra });

/** A fetch that never answers and rejects only when its signal aborts, like a stalled server. */
function stalledFetch(calls: string[]): typeof fetch {
  return ((input: string | URL | Request, init?: RequestInit) => {
    const { method, url, signal } = asRequest(input, init);
    calls.push(`${method} ${new URL(url).pathname}`);
    return new Promise<Response>((_, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }) as typeof fetch;
}

describe.each(METHODS)('$name', ({ request, search = '', firstWithSignal = request, call }) => {
  it.each<[string, TokenSource]>([
    ['a string token', TOKEN],
    ['an async token function', async () => TOKEN],
  ])('sends Authorization: token <t> from %s', async (_what, token) => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => errorJson(404, { message: 'x', reason: null })));
    await call(client({ token }), {}).catch(() => undefined);
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([request]);
    expect(seen[0]!.headers.authorization).toBe(`token ${TOKEN}`);
  });

  it.each(FAILURES)('throws $type.name for a $what', async (f) => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, f.reply));
    const err = await call(client(), {}).catch((e: unknown) => e);
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([request]);
    expect(err).toBeInstanceOf(f.type);
    const e = err as APIError;
    expect(e.constructor).toBe(f.type);
    expect(e.status).toBe(f.status);
    expect(e.message).toBe(f.message);
    expect(e.serverMessage).toBe(f.serverMessage);
    expect(e.reason).toBe(f.reason);
    expect(e.method).toBe(request.split(' ')[0]);
    expect(e.url).toBe(`http://jupyter.test${request.split(' ')[1]}${search}`);
  });

  it('keeps the traceback of a 500 in the error body', async () => {
    server.use(recordAll([], () => errorJson(500, { message: 'Unhandled error', reason: null, traceback: TRACEBACK })));
    const err = (await call(client(), {}).catch((e: unknown) => e)) as InternalServerError;
    expect(err.body).toMatchObject({ traceback: TRACEBACK });
  });

  it('throws APIConnectionError when the connection drops', async () => {
    server.use(recordAll([], () => HttpResponse.error()));
    const err = await call(client(), {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(err).not.toBeInstanceOf(APIConnectionTimeoutError);
    expect((err as APIConnectionError).method).toBe(request.split(' ')[0]);
  });

  it('throws APIConnectionTimeoutError when the server does not answer within the timeout', async () => {
    const calls: string[] = [];
    const err = await call(client({ fetch: stalledFetch(calls) }), { timeout: 20 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
    expect((err as Error).message).toContain('timed out after 20 ms');
    expect(calls).toEqual([request]);
  });

  it('throws APIUserAbortError, not a timeout, when the caller aborts', async () => {
    const calls: string[] = [];
    const ac = new AbortController();
    const pending = call(client({ fetch: stalledFetch(calls) }), { signal: ac.signal }).catch((e: unknown) => e);
    setTimeout(() => ac.abort(), 10);
    const err = await pending;
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect(err).not.toBeInstanceOf(APIConnectionError);
    expect(calls).toEqual([firstWithSignal]);
  });

  it('throws APIUserAbortError without sending anything when the signal is already aborted', async () => {
    const calls: string[] = [];
    const err = await call(client({ fetch: stalledFetch(calls) }), { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect(calls).toEqual([]);
  });
});
