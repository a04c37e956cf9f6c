import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { JupyterClient, NotFoundError } from 'jupyter-sdk';
import { BASE, TOKEN, WHEN, recordAll, type S, type Seen } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () => new JupyterClient({ baseUrl: BASE, token: TOKEN });

// Jupyter Server 1.23's HTML 404 page: a generic title, the status in the <h1>.
const HTML_404 =
  '<!DOCTYPE HTML>\n<html><head><title>Jupyter Server</title></head><body><div class="error">\n    <h1>404 : Not Found</h1>\n<p>You are requesting a page that does not exist!</p></div></body></html>';

describe('JupyterClient.status', () => {
  it('sends GET /api/status and returns the typed status', async () => {
    const seen: Seen[] = [];
    server.use(
      recordAll(seen, () => HttpResponse.json<S['Status']>({ started: WHEN, last_activity: WHEN, connections: 1, kernels: 2 })),
    );
    const status = await client().status();
    expect(seen).toMatchObject([{ method: 'GET', path: '/user/ana/api/status', body: undefined }]);
    expect(seen[0]!.headers).toMatchObject({ authorization: `token ${TOKEN}`, accept: 'application/json' });
    expect(status.kernels).toBe(2);
    expect(status.started).toBe(WHEN);
  });
});

describe('JupyterClient.version', () => {
  it('sends GET /api (no trailing slash) and returns { version }', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Version']>({ version: '1.23.3' })));
    expect(await client().version()).toEqual({ version: '1.23.3' });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /user/ana/api']);
  });
});

describe('JupyterClient.nbconvertExporters and apiSpec', () => {
  it('nbconvertExporters sends GET /api/nbconvert and returns the exporters by name', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['NbconvertExporters']>({ html: { output_mimetype: 'text/html' }, custom: { output_mimetype: '' } })));
    const exporters = await client().nbconvertExporters();
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /user/ana/api/nbconvert']);
    expect(seen[0]!.headers.authorization).toBe(`token ${TOKEN}`);
    expect(exporters.html?.output_mimetype).toBe('text/html');
  });

  it('apiSpec sends GET /api/spec.yaml and returns the YAML text as is', async () => {
    const seen: Seen[] = [];
    const yaml = 'swagger: "2.0"\ninfo:\n  title: Jupyter Server API\n';
    server.use(recordAll(seen, () => new HttpResponse(yaml, { headers: { 'content-type': 'text/x-yaml' } })));
    expect(await client().apiSpec()).toBe(yaml);
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /user/ana/api/spec.yaml']);
  });
});

describe('JupyterClient.me', () => {
  it('sends GET /api/me and returns identity and permissions (Jupyter Server 2.x)', async () => {
    const seen: Seen[] = [];
    server.use(
      recordAll(seen, () =>
        HttpResponse.json<S['Me']>({
          identity: { username: 'ana', name: 'Ana', display_name: 'Ana', initials: 'A', avatar_url: null, color: null },
          permissions: {},
        }),
      ),
    );
    const me = await client().me();
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /user/ana/api/me']);
    expect(me.identity.username).toBe('ana');
    expect(me.permissions).toEqual({});
  });

  it('throws NotFoundError on a 1.x server, whose HTML 404 page has no identity route', async () => {
    server.use(http.get(`${BASE}/api/me`, () => HttpResponse.html(HTML_404, { status: 404 })));
    const err = await client().me().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).message).toBe('404 Not Found');
    expect((err as NotFoundError).serverMessage).toBe('Not Found');
  });
});

describe('JupyterClient options', () => {
  it('strips trailing slashes from the base URL and keeps a JupyterHub user prefix', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Version']>({ version: '2.14.0' })));
    const c = new JupyterClient({ baseUrl: `${BASE}///`, token: TOKEN });
    expect(c.baseUrl).toBe(BASE);
    await c.version();
    expect(seen[0]!.path).toBe('/user/ana/api');
  });

  it('sends client headers on every request and per-call headers on that call only', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Version']>({ version: '1.23.3' })));
    const c = new JupyterClient({ baseUrl: BASE, token: TOKEN, headers: { 'x-app': 'sdk-test' } });
    await c.version({ headers: { 'x-trace': 'abc' } });
    await c.version();
    expect(seen[0]!.headers).toMatchObject({ 'x-app': 'sdk-test', 'x-trace': 'abc' });
    expect(seen[1]!.headers['x-app']).toBe('sdk-test');
    expect(seen[1]!.headers['x-trace']).toBeUndefined();
  });

  it('uses the ?token= of a copied server URL as the token, not as a broken path', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Version']>({ version: '1.23.3' })));
    const c = new JupyterClient({ baseUrl: `${BASE}/?token=${TOKEN}` });
    await c.version();
    expect(seen[0]!.path).toBe('/user/ana/api');
    expect(seen[0]!.query).toEqual({});
    expect(seen[0]!.headers.authorization).toBe(`token ${TOKEN}`);
  });

  it('keeps other query parameters of the base URL on every request', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['FileContents']>({
      name: 'a', path: 'a', type: 'file', writable: true, created: WHEN, last_modified: WHEN, size: 0,
      mimetype: null, format: 'text', content: '',
    })));
    const c = new JupyterClient({ baseUrl: `${BASE}?tenant=t1`, token: TOKEN });
    await c.contents.get('a', { content: false });
    expect(seen[0]!.path).toBe('/user/ana/api/contents/a');
    expect(seen[0]!.query).toEqual({ tenant: 't1', content: '0' });
  });
});
