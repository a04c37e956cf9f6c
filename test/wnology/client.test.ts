import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { HttpResponse } from 'msw';
import { APIError, AuthenticationError, DEFAULT_WNOLOGY_BASE_URL, InvalidArgumentError, WnologyClient } from 'jupyter-sdk/wnology';
import { APP, BASE, NB, NB_PATH, ONE, TOKEN, notebookModel, recordAll, route, type S, type Seen } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const ok = (seen: Seen[], base = BASE) => route('get', ONE, notebookModel(), { seen, base });

describe('WnologyClient options', () => {
  it('defaults to https://api.app.wnology.io', async () => {
    const seen: Seen[] = [];
    server.use(ok(seen, 'https://api.app.wnology.io'));
    const c = new WnologyClient({ token: TOKEN });
    expect(DEFAULT_WNOLOGY_BASE_URL).toBe('https://api.app.wnology.io');
    expect(c.baseUrl).toBe('https://api.app.wnology.io');
    await c.notebooks.get(APP, NB);
    expect(seen.map((s) => s.path)).toEqual([NB_PATH]);
  });

  it('talks to any Losant-compatible host, with or without a trailing slash', async () => {
    const seen: Seen[] = [];
    server.use(ok(seen, 'https://api.losant.test'));
    await new WnologyClient({ token: TOKEN, baseUrl: 'https://api.losant.test/' }).notebooks.get(APP, NB);
    expect(seen.map((s) => s.path)).toEqual([NB_PATH]);
  });

  it('sends Accept-Version only when asked, and client and per-call headers', async () => {
    const seen: Seen[] = [];
    server.use(ok(seen));
    const c = new WnologyClient({ token: TOKEN, baseUrl: BASE, acceptVersion: '^1.24.5', headers: { 'x-app': 'sdk' } });
    await c.notebooks.get(APP, NB, { headers: { 'x-trace': 't1' } });
    await c.notebooks.get(APP, NB);
    const headers = { accept: 'application/json', authorization: `Bearer ${TOKEN}`, 'accept-version': '^1.24.5', 'x-app': 'sdk' };
    expect(seen[0]!.headers).toEqual({ ...headers, 'x-trace': 't1' });
    expect(seen[1]!.headers).toEqual(headers);
  });

  it('calls a token function before every request', async () => {
    const seen: Seen[] = [];
    server.use(ok(seen));
    let n = 0;
    const c = new WnologyClient({ token: () => `rotating-token-${++n}`, baseUrl: BASE });
    await c.notebooks.get(APP, NB);
    await c.notebooks.get(APP, NB);
    expect(seen.map((s) => s.headers.authorization)).toEqual(['Bearer rotating-token-1', 'Bearer rotating-token-2']);
  });

  it('refuses a missing token', () => {
    expect(() => new WnologyClient({ token: '' })).toThrow(InvalidArgumentError);
  });

  it('retries a GET on 503 but never the execute POST', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => new HttpResponse(null, { status: 503, headers: { 'retry-after': '0' } })));
    const c = new WnologyClient({ token: TOKEN, baseUrl: BASE, maxRetries: 2 });
    await expect(c.notebooks.get(APP, NB)).rejects.toMatchObject({ status: 503 });
    expect(seen).toHaveLength(3);
    await expect(c.notebooks.execute(APP, NB)).rejects.toMatchObject({ status: 503 });
    expect(seen).toHaveLength(4);
  });
});

describe('WnologyClient errors never carry the token', () => {
  it('redacts the token echoed in the body, the message and the headers', async () => {
    server.use(
      recordAll([], (s) =>
        HttpResponse.json<S['Error']>(
          { type: 'Unauthorized', message: `Token ${TOKEN} is expired (${s.headers.authorization})` },
          { status: 401, headers: { 'x-echo': TOKEN } },
        ),
      ),
    );
    const err = await new WnologyClient({ token: async () => TOKEN, baseUrl: BASE }).notebooks.get(APP, NB).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    const e = err as APIError;
    const dump = JSON.stringify({ message: e.message, server: e.serverMessage, reason: e.reason, url: e.url, body: e.body, headers: e.headers, stack: e.stack });
    expect(dump).not.toContain(TOKEN);
    expect(e.serverMessage).toContain('is expired');
  });
});
