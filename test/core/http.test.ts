import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { asRequest } from '../support/fetch.js';
import { inspect } from 'node:util';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { APIConnectionError, InvalidArgumentError, InvalidResponseError, JupyterClient, NotFoundError, PermissionDeniedError } from 'jupyter-sdk';
import type { components, paths } from 'jupyter-sdk/raw';
import { Http } from '../../src/core/http.js';

type S = components['schemas'];
const BASE = 'http://jupyter.test';
const TOKEN = 'tok-93b1a7c4e2';
const VERSION: S['Version'] = { version: '1.23.3' };

// Built before `server.listen()` patches fetch: the client must look fetch up at call time.
const earlyClient = new JupyterClient({ baseUrl: BASE, token: TOKEN });

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function captureHeaders(into: Headers[]) {
  return http.get(`${BASE}/api`, ({ request }) => {
    into.push(request.headers);
    return HttpResponse.json<S['Version']>(VERSION);
  });
}

describe('fetch lookup', () => {
  it('sends requests of a client built before MSW started through MSW', async () => {
    const seen: Headers[] = [];
    server.use(captureHeaders(seen));
    expect(await earlyClient.version()).toEqual(VERSION);
    expect(seen).toHaveLength(1);
  });

  it('calls an injected fetch unbound, so browsers do not throw "Illegal invocation"', async () => {
    const thisValues: unknown[] = [];
    const fetch = function (this: unknown) {
      thisValues.push(this);
      return Promise.resolve(Response.json(VERSION));
    } as unknown as typeof globalThis.fetch;
    await new JupyterClient({ baseUrl: BASE, fetch }).version();
    expect(thisValues).toEqual([undefined]);
  });

  it('uses the injected fetch instead of the global one', async () => {
    const fetch = vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => Response.json(VERSION));
    await new JupyterClient({ baseUrl: BASE, token: TOKEN, fetch }).version();
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(asRequest(fetch.mock.calls[0]![0], fetch.mock.calls[0]![1]).url).toBe(`${BASE}/api`);
  });
});

describe('auth', () => {
  it('sends Authorization: token <t> from a string token', async () => {
    const seen: Headers[] = [];
    server.use(captureHeaders(seen));
    await new JupyterClient({ baseUrl: BASE, token: TOKEN }).version();
    expect(seen[0]!.get('authorization')).toBe(`token ${TOKEN}`);
  });

  it('calls an async token function before every request, so a rotated token is used', async () => {
    const seen: Headers[] = [];
    server.use(captureHeaders(seen));
    let n = 0;
    const token = vi.fn(async () => `rotating-${++n}`);
    const c = new JupyterClient({ baseUrl: BASE, token });
    await c.version();
    await c.version();
    expect(seen.map((h) => h.get('authorization'))).toEqual(['token rotating-1', 'token rotating-2']);
    expect(token).toHaveBeenCalledTimes(2);
  });

  it('sends no Authorization header when the token function returns undefined', async () => {
    const seen: Headers[] = [];
    server.use(captureHeaders(seen));
    await new JupyterClient({ baseUrl: BASE, token: async () => undefined }).version();
    expect(seen[0]!.has('authorization')).toBe(false);
  });

  describe('XSRF for cookie auth in a browser', () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'document');
    afterEach(() => {
      if (saved) Object.defineProperty(globalThis, 'document', saved);
      else delete (globalThis as { document?: unknown }).document;
    });
    const stubCookie = (cookie: string) =>
      Object.defineProperty(globalThis, 'document', { value: { cookie }, configurable: true, writable: true });

    it('sends X-XSRFToken from the _xsrf cookie when there is no token', async () => {
      stubCookie('theme=dark; _xsrf=abc; other=1');
      const seen: Request[] = [];
      server.use(
        http.post(`${BASE}/api/kernels`, ({ request }) => {
          seen.push(request);
          return HttpResponse.json<S['Kernel']>(
            { id: 'k', name: 'python3', last_activity: '2026-11-22T05:00:00Z', execution_state: 'starting', connections: 0 },
            { status: 201 },
          );
        }),
      );
      await new JupyterClient({ baseUrl: BASE }).kernels.start();
      expect(seen[0]!.headers.get('x-xsrftoken')).toBe('abc');
      expect(seen[0]!.headers.has('authorization')).toBe(false);
    });

    it('decodes a percent-encoded _xsrf cookie value', async () => {
      stubCookie('_xsrf=2%7Cabc%7Cdef');
      const seen: Headers[] = [];
      server.use(captureHeaders(seen));
      await new JupyterClient({ baseUrl: BASE }).version();
      expect(seen[0]!.get('x-xsrftoken')).toBe('2|abc|def');
    });

    it('sends the token and no X-XSRFToken when a token is given', async () => {
      stubCookie('_xsrf=abc');
      const seen: Headers[] = [];
      server.use(captureHeaders(seen));
      await new JupyterClient({ baseUrl: BASE, token: TOKEN }).version();
      expect(seen[0]!.get('authorization')).toBe(`token ${TOKEN}`);
      expect(seen[0]!.has('x-xsrftoken')).toBe(false);
    });

    it('sends no X-XSRFToken when no _xsrf cookie exists', async () => {
      stubCookie('not_xsrf=abc');
      const seen: Headers[] = [];
      server.use(captureHeaders(seen));
      await new JupyterClient({ baseUrl: BASE }).version();
      expect(seen[0]!.has('x-xsrftoken')).toBe(false);
    });
  });
});

describe('bodies', () => {
  it('sends a JSON body with content-type application/json', async () => {
    const seen: Request[] = [];
    server.use(
      http.patch(`${BASE}/api/config/notebook`, async ({ request }) => {
        seen.push(request.clone());
        return HttpResponse.json<S['ConfigSection']>(await request.json() as S['ConfigSection']);
      }),
    );
    const out = await new JupyterClient({ baseUrl: BASE, token: TOKEN }).config.update('notebook', { a: [1, 'é'] });
    expect(out).toEqual({ a: [1, 'é'] });
    expect(seen[0]!.headers.get('content-type')).toBe('application/json');
  });

  it('sends no body and no content-type on GET', async () => {
    const seen: Request[] = [];
    server.use(
      http.get(`${BASE}/api`, ({ request }) => {
        seen.push(request);
        return HttpResponse.json<S['Version']>(VERSION);
      }),
    );
    await new JupyterClient({ baseUrl: BASE, token: TOKEN }).version();
    expect(seen[0]!.headers.has('content-type')).toBe(false);
    expect(seen[0]!.body).toBeNull();
  });

  it('rejects a 2xx answer that is not JSON with InvalidResponseError quoting an excerpt', async () => {
    server.use(http.get(`${BASE}/api`, () => HttpResponse.text('not json')));
    const err = await new JupyterClient({ baseUrl: BASE, token: TOKEN }).version().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err).toMatchObject({ status: 200, method: 'GET', url: `${BASE}/api`, body: 'not json' });
    expect((err as Error).message).toBe(`200 GET ${BASE}/api answered text/plain that is not JSON: "not json"`);
  });
});

describe('error mapping', () => {
  it('reads "<status> <server message>" from a JSON error body', async () => {
    server.use(
      http.get(`${BASE}/api/kernels/:id`, ({ params }) =>
        HttpResponse.json<S['Error']>({ message: `Kernel does not exist: ${String(params.id)}`, reason: null }, { status: 404 }),
      ),
    );
    const err = await new JupyterClient({ baseUrl: BASE, token: TOKEN }).kernels.get('k1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({
      name: 'NotFoundError',
      status: 404,
      message: '404 Kernel does not exist: k1',
      serverMessage: 'Kernel does not exist: k1',
      method: 'GET',
      url: `${BASE}/api/kernels/k1`,
      body: { message: 'Kernel does not exist: k1', reason: null },
    });
  });

  it('keeps response headers on the error', async () => {
    server.use(
      http.get(`${BASE}/api`, () =>
        HttpResponse.json<S['Error']>({ message: 'x', reason: null }, { status: 404, headers: { 'x-request-id': 'r-1' } }),
      ),
    );
    const err = (await new JupyterClient({ baseUrl: BASE, token: TOKEN }).version().catch((e: unknown) => e)) as NotFoundError;
    expect(err.headers['x-request-id']).toBe('r-1');
  });

  it('cuts a long plain-text error body to 300 characters in the message', async () => {
    server.use(http.get(`${BASE}/api`, () => HttpResponse.text('x'.repeat(1000), { status: 500 })));
    const err = (await new JupyterClient({ baseUrl: BASE, token: TOKEN, maxRetries: 0 }).version().catch((e: unknown) => e)) as Error;
    expect(err.message).toBe(`500 ${'x'.repeat(300)}`);
  });

  it('throws APIConnectionError naming the method and URL when the connection drops', async () => {
    server.use(http.get(`${BASE}/api/status`, () => HttpResponse.error()));
    const err = await new JupyterClient({ baseUrl: BASE, token: TOKEN, maxRetries: 0 }).status().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(err).toMatchObject({ method: 'GET', url: `${BASE}/api/status` });
    expect((err as Error).message).toMatch(/^GET http:\/\/jupyter\.test\/api\/status failed to connect/);
  });

  it("keeps fetch's own exception as the connection error's cause", async () => {
    const refused = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
    const fetch = async () => Promise.reject(refused);
    const err = await new JupyterClient({ baseUrl: BASE, token: TOKEN, fetch, maxRetries: 0 }).status().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIConnectionError);
    expect((err as Error).cause).toBe(refused);
    expect((err as Error).message).toContain('ECONNREFUSED');
    expect((err as Error).message).not.toMatch(/CORS/);
  });
});

describe('header values fetch cannot send', () => {
  it.each([
    ['a token outside ISO-8859-1', { token: 'tök€n-123' }],
    ['a header with a line break', { headers: { 'x-note': 'a\r\nInjected: 1' } }],
  ])('refuses %s with InvalidArgumentError before sending, naming the header but not its value, and does not retry', async (_what, opts) => {
    let calls = 0;
    const fetch = (async () => {
      calls++;
      return Response.json([]);
    }) as typeof globalThis.fetch;
    const err = await new JupyterClient({ baseUrl: 'http://jupyter.test', fetch, ...opts }).kernels.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as Error).message).toMatch(/^header (authorization|x-note) /);
    expect((err as Error).message).not.toMatch(/tök|Injected/);
    expect(calls).toBe(0);
  });
});

describe('the openapi-fetch core', () => {
  const KERNEL: S['Kernel'] = { id: 'k1', name: 'python3', last_activity: '2026-12-01T00:00:00Z', execution_state: 'idle', connections: 0 };

  it('sends every call through the one openapi-fetch client the JupyterClient owns, by spec operation', async () => {
    server.use(
      http.get(`${BASE}/api/kernels`, () => HttpResponse.json([KERNEL])),
      http.get(`${BASE}/api/contents/*`, () => HttpResponse.json({ message: 'no', reason: null }, { status: 404 })),
      http.delete(`${BASE}/api/kernels/:id`, () => new HttpResponse(null, { status: 204 })),
    );
    const jupyter = new JupyterClient({ baseUrl: BASE, token: TOKEN, maxRetries: 0 });
    const api = jupyter.api;
    const seen: string[] = [];
    api.use({
      onRequest({ schemaPath, request }) {
        seen.push(`${request.method} ${schemaPath} ${new URL(request.url).pathname}`);
        return undefined;
      },
    });
    expect(await jupyter.kernels.list()).toEqual([KERNEL]);
    await expect(jupyter.contents.get('dir one/é #1.ipynb')).rejects.toBeInstanceOf(NotFoundError);
    await jupyter.kernels.shutdown('k1');
    expect(jupyter.api).toBe(api);
    expect(new JupyterClient({ baseUrl: BASE }).api).not.toBe(api);
    expect(seen).toEqual([
      'GET /api/kernels /api/kernels',
      'GET /api/contents/{path} /api/contents/dir%20one/%C3%A9%20%231.ipynb',
      'DELETE /api/kernels/{kernel_id} /api/kernels/k1',
    ]);
  });
});

describe('base URL and middleware failures', () => {
  it.each([
    ['no URL at all', 'not a url', 'not a valid URL'],
    ['another scheme', 'ftp://jupyter.test', 'http: or https:'],
    ['a relative URL outside a browser', '/user/ana', 'not a valid URL'],
  ])('refuses %s at construction with InvalidArgumentError', (_, baseUrl, message) => {
    expect(() => new JupyterClient({ baseUrl })).toThrow(InvalidArgumentError);
    expect(() => new JupyterClient({ baseUrl })).toThrow(message);
  });

  it('passes an error thrown by openapi-fetch middleware through as it is, without a retry', async () => {
    let requests = 0;
    server.use(http.get(`${BASE}/api`, () => (requests++, HttpResponse.json<S['Version']>(VERSION))));
    const jupyter = new JupyterClient({ baseUrl: BASE, token: TOKEN, maxRetries: 3 });
    const bug = new Error('middleware bug');
    let calls = 0;
    jupyter.api.use({
      onRequest() {
        calls++;
        throw bug;
      },
    });
    await expect(jupyter.version()).rejects.toBe(bug);
    expect(calls).toBe(1);
    expect(requests).toBe(0);
  });

  it('lets onResponse middleware read the body the SDK has already read', async () => {
    server.use(http.get(`${BASE}/api`, () => HttpResponse.json<S['Version']>(VERSION)));
    const jupyter = new JupyterClient({ baseUrl: BASE, token: TOKEN });
    const bodies: string[] = [];
    jupyter.api.use({
      async onResponse({ response }) {
        bodies.push(await response.clone().text());
        return undefined;
      },
    });
    expect(await jupyter.version()).toEqual(VERSION);
    expect(bodies).toEqual([JSON.stringify(VERSION)]);
  });
});

describe('middleware that answers', () => {
  it('returns the body of a Response an onRequest middleware answers with, without sending a request', async () => {
    let requests = 0;
    server.use(http.get(`${BASE}/api`, () => (requests++, HttpResponse.json<S['Version']>(VERSION))));
    const jupyter = new JupyterClient({ baseUrl: BASE, token: TOKEN });
    jupyter.api.use({ onRequest: () => Response.json({ version: 'from cache' }) });
    expect(await jupyter.version()).toEqual({ version: 'from cache' });
    expect(requests).toBe(0);
  });

  it('uses the answer an onResponse middleware puts in place of the server one, error or not', async () => {
    server.use(http.get(`${BASE}/api`, () => HttpResponse.json({ message: 'down', reason: null }, { status: 503 })));
    const fixed = new JupyterClient({ baseUrl: BASE, token: TOKEN, maxRetries: 0 });
    fixed.api.use({ onResponse: () => Response.json({ version: 'fallback' }) });
    expect(await fixed.version()).toEqual({ version: 'fallback' });

    server.use(http.get(`${BASE}/api`, () => HttpResponse.json<S['Version']>(VERSION)));
    const broken = new JupyterClient({ baseUrl: BASE, token: TOKEN, maxRetries: 0 });
    broken.api.use({ onResponse: () => Response.json({ message: 'refused by policy', reason: 'policy' }, { status: 403 }) });
    const err = await broken.version().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect((err as PermissionDeniedError).message).toBe('403 refused by policy');
  });
});

describe('how the injected fetch is called', () => {
  const KERNEL: S['Kernel'] = { id: 'k1', name: 'python3', last_activity: '2026-12-01T00:00:00Z', execution_state: 'starting', connections: 0 };

  it('as fetch(url, init): the URL as a string, the JSON body as serialised, headers as a plain object', async () => {
    const fetch = vi.fn(async (_input: string | URL | Request, _init?: RequestInit) => Response.json(KERNEL, { status: 201 }));
    const jupyter = new JupyterClient({ baseUrl: BASE, token: TOKEN, fetch });
    jupyter.api.use({
      onRequest({ request }) {
        request.headers.set('x-trace', 'abc');
        return undefined;
      },
    });
    expect(await jupyter.kernels.start({ name: 'python3' })).toEqual(KERNEL);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe(`${BASE}/api/kernels`);
    expect(init!.method).toBe('POST');
    expect(init!.body).toBe('{"name":"python3"}');
    expect(init!.headers).toEqual({
      accept: 'application/json',
      authorization: `token ${TOKEN}`,
      'content-type': 'application/json',
      'x-trace': 'abc',
    });
    expect(init!.signal).toBeInstanceOf(AbortSignal);
  });

  it('with the URL and headers of a Request that middleware put in place of the built one', async () => {
    const fetch = vi.fn(async (_input: string | URL | Request, _init?: RequestInit) => Response.json(VERSION));
    const jupyter = new JupyterClient({ baseUrl: BASE, token: TOKEN, fetch });
    jupyter.api.use({ onRequest: ({ request }) => new Request(`${request.url}?via=proxy`, request) });
    await jupyter.version();
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe(`${BASE}/api?via=proxy`);
    expect((init!.headers as Record<string, string>).authorization).toBe(`token ${TOKEN}`);
  });
});

it("passes the client's extra RequestInit fields (credentials: 'include' for cookie auth) to fetch", async () => {
  const fetch = vi.fn(async (_input: string | URL | Request, _init?: RequestInit) => Response.json(VERSION));
  const core = new Http<paths>({ baseUrl: BASE, fetch, init: { credentials: 'include' }, redact: (t) => t });
  expect(await core.call('get', '/api', {})).toEqual(VERSION);
  expect(fetch.mock.calls[0]![1]!.credentials).toBe('include');
});

describe('what reaches the server', () => {
  it("asks fetch to skip the HTTP cache (cache: 'no-store'), so a re-read of a changed file reaches the server", async () => {
    const fetch = vi.fn(async (_input: string | URL | Request, _init?: RequestInit) => Response.json([]));
    await new JupyterClient({ baseUrl: BASE, token: TOKEN, fetch }).kernels.list();
    expect(fetch.mock.calls[0]![1]!.cache).toBe('no-store');
  });
});

describe('connection failures', () => {
  const refused = () => new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) });

  it('keeps the exception fetch threw as the cause', async () => {
    const thrown = refused();
    const fetch = vi.fn(async () => Promise.reject(thrown));
    const err = await new JupyterClient({ baseUrl: BASE, token: TOKEN, fetch, maxRetries: 0 }).kernels.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIConnectionError);
    expect((err as Error).cause).toBe(thrown);
    expect((err as Error).message).toBe(`GET ${BASE}/api/kernels failed to connect: connect ECONNREFUSED 127.0.0.1:1`);
  });

  it('keeps a redacted copy of the same class as the cause when the exception quotes the token', async () => {
    const fetch = vi.fn(async () => Promise.reject(new TypeError(`fetch failed for ${BASE}/api?token=${TOKEN}`, { cause: new Error(`Authorization: token ${TOKEN}`) })));
    const err = (await new JupyterClient({ baseUrl: BASE, token: TOKEN, fetch, maxRetries: 0 }).kernels.list().catch((e: unknown) => e)) as Error;
    expect(err.cause).toBeInstanceOf(TypeError);
    expect((err.cause as Error).message).toBe(`fetch failed for ${BASE}/api?token=***`);
    expect(((err.cause as Error).cause as Error).message).toBe('Authorization: ***');
  });

  describe('in a browser page', () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'location');
    afterEach(() => {
      if (saved) Object.defineProperty(globalThis, 'location', saved);
      else delete (globalThis as { location?: unknown }).location;
    });
    const onPage = (href: string) => Object.defineProperty(globalThis, 'location', { value: new URL(href), configurable: true, writable: true });
    // What Chromium's fetch throws for a request its CORS check refused, as for an unreachable server.
    const blocked = () => Promise.reject(new TypeError('Failed to fetch'));

    it('says a cross-origin failure may be CORS and the server needs allow_origin, and does not retry it', async () => {
      onPage('http://app.test:5173/index.html');
      const fetch = vi.fn(blocked);
      const err = await new JupyterClient({ baseUrl: BASE, token: TOKEN, fetch, maxRetries: 3 }).kernels.shutdown('k1').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(APIConnectionError);
      expect((err as Error).message).toBe(
        `DELETE ${BASE}/api/kernels/k1 failed to connect: Failed to fetch (the browser may have blocked it by CORS: the server must allow this page's origin http://app.test:5173, e.g. jupyter server --ServerApp.allow_origin=http://app.test:5173)`,
      );
      expect(fetch).toHaveBeenCalledTimes(1);
    });

    it('retries a same-origin failure, which cannot be CORS, and says nothing of CORS', async () => {
      vi.useFakeTimers();
      try {
        onPage(`${BASE}/lab`);
        const fetch = vi.fn(blocked);
        const call = new JupyterClient({ baseUrl: BASE, token: TOKEN, fetch, maxRetries: 1 }).kernels.list().catch((e: unknown) => e);
        await vi.advanceTimersByTimeAsync(2000);
        const err = await call;
        expect((err as Error).message).not.toMatch(/CORS/);
        expect(fetch).toHaveBeenCalledTimes(2);
      } finally {
        vi.useRealTimers();
      }
    });
  });
});

describe('the escape hatch, jupyter.api', () => {
  it('authenticates, like every SDK call, and answers { data, error, response }', async () => {
    const seen: Headers[] = [];
    server.use(http.get(`${BASE}/api/kernels`, ({ request }) => (seen.push(request.headers), HttpResponse.json([]))));
    const jupyter = new JupyterClient({ baseUrl: BASE, token: async () => TOKEN, headers: { 'x-app': 'a' } });
    const { data, error, response } = await jupyter.api.GET('/api/kernels');
    expect(data).toEqual([]);
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(seen[0]!.get('authorization')).toBe(`token ${TOKEN}`);
    expect(seen[0]!.get('x-app')).toBe('a');
  });

  it('does not let the token be read back from the client', async () => {
    const jupyter = new JupyterClient({ baseUrl: BASE, token: TOKEN });
    server.use(http.get(`${BASE}/api`, () => HttpResponse.json<S['Version']>(VERSION)));
    await jupyter.version();
    expect(inspect(jupyter, { depth: 10, showHidden: true })).not.toContain(TOKEN);
    expect(JSON.stringify(jupyter)).not.toContain(TOKEN);
    expect('token' in jupyter).toBe(false);
    expect('options' in jupyter).toBe(false);
  });
});
