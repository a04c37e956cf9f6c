// No token ever appears in an error: not in its message, url, body, headers, JSON, string form or stack.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { asRequest } from '../support/fetch.js';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { inspect } from 'node:util';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  BadRequestError,
  InvalidArgumentError,
  ConflictError,
  InternalServerError,
  JupyterClient,
  NotFoundError,
  PermissionDeniedError,
  type JupyterClientOptions,
} from 'jupyter-sdk';
import type { components } from 'jupyter-sdk/raw';

type S = components['schemas'];
const BASE = 'http://jupyter.test/user/ana';
const TOKEN = 'sEcReT7f3a9c1d5e';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** Every place an error could carry the token. */
function expectNoToken(err: unknown, token = TOKEN) {
  expect(err).toBeInstanceOf(Error);
  const e = err as Error & { url?: string; body?: unknown; headers?: unknown };
  const views: Record<string, string> = {
    message: e.message,
    url: String(e.url),
    body: typeof e.body === 'string' ? e.body : JSON.stringify(e.body) ?? '',
    headers: JSON.stringify(e.headers) ?? '',
    json: JSON.stringify(e),
    string: String(e),
    stack: String(e.stack),
    inspect: inspect(e, { depth: 10 }),
  };
  for (const [where, text] of Object.entries(views)) {
    expect(text, `token found in ${where}`).not.toContain(token);
  }
}

// How the token reaches the client.
const SOURCES: Array<[string, () => JupyterClientOptions]> = [
  ['a string token', () => ({ baseUrl: BASE, token: TOKEN })],
  ['an async token function', () => ({ baseUrl: BASE, token: async () => TOKEN })],
  ['?token= in the base URL', () => ({ baseUrl: `${BASE}/?token=${TOKEN}` })],
  // Not taken out of the URL like ?token=, so it reaches every request URL and must be scrubbed there.
  ['?access_token= kept in the base URL', () => ({ baseUrl: `${BASE}?access_token=${TOKEN}` })],
];

// Error replies that echo the token back in every way a server or proxy might.
const ECHO = `bad credentials "${TOKEN}" (Authorization: token ${TOKEN}) from ${BASE}/api/kernels?token=${TOKEN}`;
const REPLIES: Array<[string, typeof APIError, () => Response]> = [
  ['400 reply', BadRequestError, () => HttpResponse.json<S['Error']>({ message: ECHO, reason: null }, { status: 400 })],
  ['403 reply', PermissionDeniedError, () => HttpResponse.json<S['Error']>({ message: ECHO, reason: TOKEN }, { status: 403 })],
  ['404 reply', NotFoundError, () => HttpResponse.json<S['Error']>({ message: ECHO, reason: null, token: TOKEN }, { status: 404 })],
  ['409 reply', ConflictError, () => HttpResponse.json<S['Error']>({ message: ECHO, reason: null }, { status: 409 })],
  [
    '500 reply with a traceback',
    InternalServerError,
    () =>
      HttpResponse.json<S['Error']>(
        { message: 'Unhandled error', reason: null, traceback: `Traceback:\n  headers={'Authorization': 'token ${TOKEN}'}\n  ${ECHO}` },
        { status: 500 },
      ),
  ],
  [
    '501 reply',
    InternalServerError,
    () => HttpResponse.json<S['Error']>({ message: ECHO, short_message: TOKEN, nested: { deep: [TOKEN] } }, { status: 501 }),
  ],
  ['plain-text reply', InternalServerError, () => HttpResponse.text(ECHO, { status: 500 })],
  ['HTML reply', NotFoundError, () => HttpResponse.html(`<html><head><title>${ECHO}</title></head><body>${ECHO}</body></html>`, { status: 404 })],
  [
    'reply header',
    NotFoundError,
    () =>
      HttpResponse.json<S['Error']>(
        { message: 'x', reason: null },
        { status: 404, headers: { location: `${BASE}/login?token=${TOKEN}`, 'x-echo': TOKEN } },
      ),
  ],
];

describe.each(SOURCES)('with %s', (_source, options) => {
  it.each(REPLIES)('keeps the token out of the error from a %s that echoes it', async (_what, type, reply) => {
    server.use(http.all(`${BASE}/*`, reply));
    const err = await new JupyterClient({ ...options(), maxRetries: 0 }).kernels.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expectNoToken(err);
  });

  it('keeps the token out of a connection error whose cause mentions it', async () => {
    const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      const { url, headers } = asRequest(input, init);
      const auth = headers.get('authorization');
      throw new TypeError(`fetch failed for ${url}?token=${TOKEN}`, { cause: new Error(`refused (${auth}) ${TOKEN}`) });
    }) as typeof globalThis.fetch;
    const err = await new JupyterClient({ ...options(), fetch, maxRetries: 0 }).kernels.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIConnectionError);
    expectNoToken(err);
  });

  it('keeps the token out of a connection error from MSW', async () => {
    server.use(http.all(`${BASE}/*`, () => HttpResponse.error()));
    const err = await new JupyterClient({ ...options(), maxRetries: 0 }).status().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIConnectionError);
    expectNoToken(err);
  });

  it('keeps the token out of a timeout error', async () => {
    const fetch = ((input: string | URL | Request, init?: RequestInit) =>
      new Promise<Response>((_, reject) =>
        asRequest(input, init).signal.addEventListener('abort', () => reject(new Error(`aborted ${TOKEN}`)), { once: true }),
      )) as typeof globalThis.fetch;
    const err = await new JupyterClient({ ...options(), fetch, timeout: 10 }).kernels.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
    expectNoToken(err);
  });

  it('keeps the token out of an abort error', async () => {
    const fetch = ((input: string | URL | Request, init?: RequestInit) =>
      new Promise<Response>((_, reject) =>
        asRequest(input, init).signal.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')), { once: true }),
      )) as typeof globalThis.fetch;
    const ac = new AbortController();
    const p = new JupyterClient({ ...options(), fetch }).kernels.list({ signal: ac.signal }).catch((e: unknown) => e);
    setTimeout(() => ac.abort(), 5);
    const err = await p;
    expect(err).toBeInstanceOf(APIUserAbortError);
    expectNoToken(err);
  });
});

it('keeps an earlier token out of an error that arrives after the token function rotated it', async () => {
  const OLD = 'old-token-a1b2c3d4';
  const NEW = 'new-token-e5f6a7b8';
  let n = 0;
  let releaseFirst!: () => void;
  const firstMayAnswer = new Promise<void>((r) => (releaseFirst = r));
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const auth = asRequest(input, init).headers.get('authorization')!;
    const token = auth.replace('token ', '');
    if (token === OLD) await firstMayAnswer;
    return Response.json({ message: `rejected ${token}`, reason: null }, { status: 400 });
  }) as typeof globalThis.fetch;
  const c = new JupyterClient({ baseUrl: BASE, fetch, token: async () => (++n === 1 ? OLD : NEW) });
  const first = c.kernels.list().catch((e: unknown) => e);
  const second = c.kernels.list().catch((e: unknown) => e);
  expectNoToken(await second, NEW);
  releaseFirst();
  expectNoToken(await first, OLD);
});

it('refuses a base URL carrying user:password@ before any request, without quoting the password', () => {
  const fetch = vi.fn(async () => Response.json({ version: '1' }));
  let err: unknown;
  try {
    new JupyterClient({ baseUrl: 'http://ana:pa55word-xyz@jupyter.test', fetch, maxRetries: 0 });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(InvalidArgumentError);
  expect((err as Error).message).toContain('user:password@');
  expectNoToken(err, 'pa55word-xyz');
  expect(fetch).not.toHaveBeenCalled();
});

describe('a token with characters that servers escape', () => {
  const ODD = `a&b<c>d"e f'g+h/i%j`;
  // Each way a page or a body may carry it, as Jupyter's HTML error page does.
  const forms = [ODD, encodeURIComponent(ODD), new URLSearchParams({ t: ODD }).toString().slice(2), ODD.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'), JSON.stringify(ODD).slice(1, -1)];

  it.each(forms.map((f) => [f]))('is scrubbed when the reply carries it as %s', async (form) => {
    server.use(http.all(`${BASE}/*`, () => HttpResponse.html(`<html><body data-jupyter-api-token="${form}"><a href="/?tok=${form}">x</a></body></html>`, { status: 404 })));
    const err = await new JupyterClient({ baseUrl: BASE, token: ODD, maxRetries: 0 }).kernels.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    for (const f of forms) expectNoToken(err, f);
  });
});

it('masks login cookies and credential headers of an error reply (they work as well as the token)', async () => {
  server.use(
    http.all(`${BASE}/*`, () =>
      HttpResponse.json<S['Error']>(
        { message: 'file or directory does not exist', reason: null },
        { status: 404, headers: { 'set-cookie': 'username-127-0-0-1-8888="2|1:0|10:1700000000|secret-cookie-value"; HttpOnly; Path=/', 'x-xsrftoken': 'xsrf-value-123', etag: '"abc"' } },
      ),
    ),
  );
  const err = (await new JupyterClient({ baseUrl: BASE, token: TOKEN }).contents.get('nope.txt').catch((e: unknown) => e)) as APIError;
  expect(err).toBeInstanceOf(NotFoundError);
  expect(err.headers['set-cookie']).toBe('***');
  expect(err.headers['x-xsrftoken']).toBe('***');
  expect(err.headers.etag).toBe('"abc"');
  expectNoToken(err, 'secret-cookie-value');
  expectNoToken(err, 'xsrf-value-123');
});
