// HubClient against MSW, for what a real hub cannot be made to show: spawn failures reported
// only in the event stream, streams that stall or drop, 429 and 5xx answers, and a hub that
// echoes credentials. The real-hub tests are in test/integration/hub*.test.ts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import {
  APIUserAbortError,
  HubClient,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerNotRunningError,
  ServerWaitTimeoutError,
  SpawnFailedError,
  type HubUser,
} from 'jupyter-sdk/hub';
import type { paths } from '../../src/generated/jupyterhub.js';
import { routesFor, type Seen } from '../support/msw.js';

const BASE = 'http://hub.test';
const TOKEN = 'hubtoken0123456789abcdef';
const route = routesFor<paths>(BASE);
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const hub = (extra: Partial<ConstructorParameters<typeof HubClient>[0]> = {}) => new HubClient({ baseUrl: BASE, token: TOKEN, ...extra });
const user = (name: string, servers: HubUser['servers'] = {}): HubUser => ({ name, kind: 'user', admin: false, servers, pending: null, server: null });
const readyServer = (name = '') => ({ name, ready: true, pending: null, url: `/user/ana/${name ? name + '/' : ''}` });
const sse = (...events: object[]) => events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('');
const eventStream = (body: string | ReadableStream) => new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } });
const hubError = (status: number, message: string, headers: Record<string, string> = {}) => HttpResponse.json({ status, message }, { status, headers });

describe('HubClient requests', () => {
  it('sends the token as `Authorization: token`, under /hub/api of the base URL, with its own and per-call headers', async () => {
    const seen: Seen[] = [];
    server.use(route('get', '/hub/api/info', { version: '3.0.0' }, { seen, base: `${BASE}/jhub` }));
    await new HubClient({ baseUrl: `${BASE}/jhub/`, token: () => TOKEN, headers: { 'x-app': 'sdk' } }).info({ headers: { 'x-trace': '1' } });
    expect(seen[0]!.path).toBe('/jhub/hub/api/info');
    expect(seen[0]!.headers).toMatchObject({ authorization: `token ${TOKEN}`, 'x-app': 'sdk', 'x-trace': '1', accept: 'application/json' });
  });

  it('asks for pages and follows next by offset, not by the URL the hub saw', async () => {
    const seen: Seen[] = [];
    const names = Array.from({ length: 23 }, (_, i) => `u${i}`);
    server.use(
      route('get', '/hub/api/users', (s) => {
        const offset = Number(s.query.offset ?? 0);
        const items = names.slice(offset, offset + 10).map((n) => user(n));
        const next = offset + 10 < names.length ? { offset: offset + 10, limit: 10, url: `http://10.0.0.5:8081/hub/api/users?offset=${offset + 10}` } : null;
        return { items, _pagination: { offset, limit: 10, total: names.length, next } };
      }, { seen }),
    );
    const users = await hub().users.list({ state: 'active', includeStoppedServers: true });
    expect(users.map((u) => u.name)).toEqual(names);
    expect(seen.map((s) => s.query)).toEqual([
      { state: 'active', offset: '0', include_stopped_servers: 'true' },
      { state: 'active', offset: '10', include_stopped_servers: 'true' },
      { state: 'active', offset: '20', include_stopped_servers: 'true' },
    ]);
    expect(seen.every((s) => s.headers.accept === 'application/jupyterhub-pagination+json')).toBe(true);
  });

  it('keeps at most maxConcurrency requests in flight', async () => {
    let active = 0;
    let peak = 0;
    server.use(
      http.get(`${BASE}/hub/api/users/:name`, async ({ params }) => {
        peak = Math.max(peak, ++active);
        await new Promise((r) => setTimeout(r, 10));
        active--;
        return HttpResponse.json(user(String(params.name)));
      }),
    );
    const client = hub({ maxConcurrency: 2 });
    await Promise.all(Array.from({ length: 8 }, (_, i) => client.users.get(`u${i}`)));
    expect(peak).toBe(2);
  });
});

describe('servers.start', () => {
  it('retries a start the hub refused with 429 after its Retry-After, then reports the server pending', async () => {
    let posts = 0;
    server.use(
      http.post(`${BASE}/hub/api/users/ana/server`, () => (++posts === 1 ? hubError(429, 'Too many users trying to log in right now. Try again in 1 second.', { 'retry-after': '0' }) : new HttpResponse(null, { status: 202 }))),
      route('get', '/hub/api/users/{name}', user('ana', { '': { name: '', ready: false, pending: 'spawn', url: '/user/ana/' } })),
    );
    expect(await hub().servers.start('ana')).toBe('pending');
    expect(posts).toBe(2);
  });

  it('gives up on 429 after maxRetries with RateLimitError', async () => {
    let posts = 0;
    server.use(http.post(`${BASE}/hub/api/users/ana/server`, () => (posts++, hubError(429, 'Active user limit exceeded. Try again in a few minutes.'))));
    const err = await hub({ maxRetries: 1 }).servers.start('ana').catch((e: Error) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(posts).toBe(2);
  });

  it('turns a 500 into SpawnFailedError with the reason the progress stream gives', async () => {
    server.use(
      http.post(`${BASE}/hub/api/users/ana/servers/gpu`, () => hubError(500, 'error')),
      http.get(`${BASE}/hub/api/users/ana/servers/gpu/progress`, () => eventStream(sse({ progress: 100, failed: true, message: 'Spawn failed: no GPU left' }))),
    );
    const err = (await hub().servers.start('ana', { name: 'gpu' }).catch((e: Error) => e)) as SpawnFailedError;
    expect(err).toBeInstanceOf(SpawnFailedError);
    expect(err).toMatchObject({ user: 'ana', server: 'gpu', reason: 'Spawn failed: no GPU left' });
    expect(err.message).toBe(`ana's server "gpu" failed to start: Spawn failed: no GPU left`);
    expect(err.cause).toBeInstanceOf(InternalServerError);
  });

  it('keeps the 500 as the reason when the stream has none', async () => {
    server.use(
      http.post(`${BASE}/hub/api/users/ana/server`, () => hubError(500, 'error')),
      http.get(`${BASE}/hub/api/users/ana/server/progress`, () => hubError(400, 'ana is not starting...')),
    );
    const err = (await hub().servers.start('ana').catch((e: Error) => e)) as SpawnFailedError;
    expect(err).toBeInstanceOf(SpawnFailedError);
    expect(err.message).toBe(`ana's default server failed to start: 500 error`);
  });
});

describe('servers.waitReady and progress', () => {
  it('reports each event, and fails with the spawner reason when a slow spawn fails', async () => {
    server.use(
      http.get(`${BASE}/hub/api/users/ana/server/progress`, () =>
        eventStream(sse({ progress: 0, message: 'Server requested' }, { progress: 50, message: 'Pulling image' }, { progress: 100, failed: true, message: 'Spawn failed: Timeout' })),
      ),
    );
    const seen: number[] = [];
    const err = (await hub().servers.waitReady('ana', { onProgress: (e) => seen.push(e.progress) }).catch((e: Error) => e)) as SpawnFailedError;
    expect(seen).toEqual([0, 50, 100]);
    expect(err).toBeInstanceOf(SpawnFailedError);
    expect(err.message).toBe(`ana's default server failed to start: Spawn failed: Timeout`);
    expect(err.event).toEqual({ progress: 100, failed: true, message: 'Spawn failed: Timeout' });
  });

  it('opens the stream again when a proxy closes it before the verdict', async () => {
    let opened = 0;
    server.use(
      http.get(`${BASE}/hub/api/users/ana/servers/lab/progress`, () =>
        eventStream(++opened === 1 ? sse({ progress: 10, message: 'Pending' }) : sse({ progress: 100, ready: true, url: '/user/ana/lab/' })),
      ),
      route('get', '/hub/api/users/{name}', () => user('ana', { lab: opened < 2 ? { name: 'lab', ready: false, pending: 'spawn', url: '/user/ana/lab/' } : readyServer('lab') })),
    );
    const ready = await hub().servers.waitReady('ana', { name: 'lab' });
    expect(opened).toBe(2);
    expect(ready).toMatchObject({ name: 'lab', ready: true, full_url: `${BASE}/user/ana/lab/` });
  });

  it('gives up after timeout with ServerWaitTimeoutError naming user, server and the last event', async () => {
    server.use(
      http.get(`${BASE}/hub/api/users/ana/servers/lab/progress`, () =>
        eventStream(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode(sse({ progress: 50, message: 'Pulling image' }))) })),
      ),
    );
    const err = (await hub().servers.waitReady('ana', { name: 'lab', timeout: 200 }).catch((e: Error) => e)) as ServerWaitTimeoutError;
    expect(err).toBeInstanceOf(ServerWaitTimeoutError);
    expect(err).toMatchObject({ user: 'ana', server: 'lab', waitingFor: 'ready', timeout: 200 });
    expect(err.message).toBe(`ana's server "lab" was not ready after 200 ms (last progress: 50% Pulling image)`);
  });

  it('ends a progress iteration with APIUserAbortError when the caller aborts', async () => {
    server.use(
      http.get(`${BASE}/hub/api/users/ana/server/progress`, () =>
        eventStream(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode(sse({ progress: 0, message: 'Server requested' }))) })),
      ),
    );
    const controller = new AbortController();
    const events: number[] = [];
    const err = await (async () => {
      for await (const e of hub().servers.progress('ana', {}, { signal: controller.signal })) {
        events.push(e.progress);
        controller.abort();
      }
    })().catch((e: Error) => e);
    expect(events).toEqual([0]);
    expect(err).toBeInstanceOf(APIUserAbortError);
  });

  it('types an error answer of the event stream like any other, without the token', async () => {
    server.use(http.get(`${BASE}/hub/api/users/ana/server/progress`, () => hubError(403, `token ${TOKEN} is not allowed`)));
    const err = (await hub().servers.progress('ana').next().catch((e: Error) => e)) as PermissionDeniedError;
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect(err.status).toBe(403);
    expect(JSON.stringify({ m: err.message, b: err.body })).not.toContain(TOKEN);
  });

  it('stops and waits while the hub says the server is still stopping', async () => {
    let polls = 0;
    server.use(
      http.delete(`${BASE}/hub/api/users/ana/server`, () => new HttpResponse(null, { status: 202 })),
      route('get', '/hub/api/users/{name}', () => user('ana', ++polls < 3 ? { '': { name: '', ready: false, pending: 'stop', url: '/user/ana/' } } : {})),
    );
    await hub().servers.stop('ana');
    expect(polls).toBe(3);
  });
});

describe('errors', () => {
  it('services.get says NotFoundError for the 500 JupyterHub 3.0 gives an unknown name, and keeps a real 500', async () => {
    server.use(
      http.get(`${BASE}/hub/api/services/:name`, () => hubError(500, 'Internal Server Error')),
      route('get', '/hub/api/services', { 'sdk-admin': { name: 'sdk-admin' } }),
    );
    expect(await hub().services.get('nope').catch((e: Error) => e)).toBeInstanceOf(NotFoundError);
    expect(await hub().services.get('sdk-admin').catch((e: Error) => e)).toBeInstanceOf(InternalServerError);
  });

  it('a user-server client turns the hub HTML 405 for a write to a stopped server into ServerNotRunningError', async () => {
    const page = '<!DOCTYPE HTML><html><head><title>JupyterHub</title></head><body><h1>405 : Method Not Allowed</h1></body></html>';
    server.use(
      http.post(`${BASE}/user/ana/api/kernels`, () => new HttpResponse(page, { status: 405, headers: { 'content-type': 'text/html' } })),
      http.patch(`${BASE}/user/ana/api/sessions/s1`, () => HttpResponse.json({ message: 'Method Not Allowed' }, { status: 405 })),
    );
    const jupyter = hub().jupyter('ana');
    const err = (await jupyter.kernels.start().catch((e: Error) => e)) as Error;
    expect(err).toBeInstanceOf(ServerNotRunningError);
    expect(err.message).toMatch(/^424 JupyterHub server no longer running at \/user\/ana\/api\/kernels/);
    // A 405 of the user server itself stays what it is.
    const other = await jupyter.sessions.update('s1', { name: 'x' }).catch((e: Error) => e);
    expect(other).not.toBeInstanceOf(ServerNotRunningError);
  });

  it('jupyter() targets /user/<name>/<server>/ with the hub token or the one given', async () => {
    const seen: Seen[] = [];
    server.use(
      http.get(`${BASE}/user/:name/:server/api/status`, async ({ request }) => {
        seen.push({ method: 'GET', path: new URL(request.url).pathname, query: {}, headers: Object.fromEntries(request.headers), body: undefined });
        return HttpResponse.json({ connections: 0, kernels: 0, started: '2024-01-01T00:00:00Z', last_activity: '2024-01-01T00:00:00Z' });
      }),
    );
    await hub().jupyter('ana b', { server: 'gpu' }).status();
    await hub().jupyter('ana', { server: 'gpu', token: 'usertoken0123456789' }).status();
    expect(seen.map((s) => s.path)).toEqual(['/user/ana%20b/gpu/api/status', '/user/ana/gpu/api/status']);
    expect(seen.map((s) => s.headers.authorization)).toEqual([`token ${TOKEN}`, 'token usertoken0123456789']);
  });
});
