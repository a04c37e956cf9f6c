import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { HttpResponse } from 'msw';
import {
  APIError,
  AuthenticationError,
  DEFAULT_MLW_SERVICE_PATH,
  InvalidArgumentError,
  MlwClient,
  PermissionDeniedError,
  browserCookieAuth,
  type MlwAuth,
} from 'jupyter-sdk/mlw';
import { BASIC, ORIGIN, PASSWORD, PROJECTS, TENANT, TOKEN, USER, recordAll, route, type Seen } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

// GET /projects on any service root: the base URL tests move it.
const projects = (seen: Seen[], base = `${ORIGIN}/service/mlw`) => route('get', PROJECTS, { data: [] }, { seen, base });

async function firstRequest(client: MlwClient, base?: string): Promise<Seen> {
  const seen: Seen[] = [];
  server.use(projects(seen, base));
  await client.projects.list();
  expect(seen).toHaveLength(1);
  return seen[0]!;
}

describe('MlwClient auth', () => {
  it('sends Basic base64("tenant/user:password")', async () => {
    const s = await firstRequest(new MlwClient({ baseUrl: ORIGIN, auth: { tenant: TENANT, username: USER, password: PASSWORD } }));
    expect(s.headers).toEqual({ accept: 'application/json', authorization: BASIC });
    expect(Buffer.from(BASIC.slice(6), 'base64').toString()).toBe(`${TENANT}/${USER}:${PASSWORD}`);
  });

  it('sends Basic base64("user:password") without a tenant, UTF-8 encoded, and the tfatoken header when given', async () => {
    const s = await firstRequest(new MlwClient({ baseUrl: ORIGIN, auth: { username: 'jürgen', password: 'pässwort', tfaToken: '123456' } }));
    const authorization = 'Basic ' + Buffer.from('jürgen:pässwort', 'utf8').toString('base64');
    expect(s.headers).toEqual({ accept: 'application/json', authorization, tfatoken: '123456' });
  });

  it('sends Authorization: Bearer <token>, calling a token function before every request', async () => {
    expect((await firstRequest(new MlwClient({ baseUrl: ORIGIN, auth: { token: TOKEN } }))).headers).toEqual({ accept: 'application/json', authorization: `Bearer ${TOKEN}` });
    let n = 0;
    const rotating = new MlwClient({ baseUrl: ORIGIN, auth: { token: async () => `jwt-${++n}-abcdef` } });
    const seen: Seen[] = [];
    server.use(projects(seen));
    await rotating.projects.list();
    await rotating.projects.list();
    expect(seen.map((s) => s.headers.authorization)).toEqual(['Bearer jwt-1-abcdef', 'Bearer jwt-2-abcdef']);
  });

  it('sends custom headers (cookie + X-XSRF-TOKEN in a browser) and no Authorization', async () => {
    const g = globalThis as { document?: { cookie: string } };
    g.document = { cookie: 'authorization=jwt; XSRF-TOKEN=xsrf%2Fvalue-42; other=1' };
    try {
      const s = await firstRequest(new MlwClient({ baseUrl: ORIGIN, auth: browserCookieAuth(), credentials: 'include' }));
      // The browser adds the cookie itself; the SDK sends only the XSRF header, and no Authorization.
      expect(s.headers).toEqual({ accept: 'application/json', 'x-xsrf-token': 'xsrf/value-42' });
    } finally {
      delete g.document;
    }
    const custom = await firstRequest(new MlwClient({ baseUrl: ORIGIN, auth: { headers: async () => ({ 'x-forwarded-auth': 'abc' }) } }));
    expect(custom.headers).toEqual({ accept: 'application/json', 'x-forwarded-auth': 'abc' });
  });

  it('refuses a missing base URL or auth', () => {
    expect(() => new MlwClient({ baseUrl: '', auth: { token: TOKEN } })).toThrow(InvalidArgumentError);
    expect(() => new MlwClient({ baseUrl: ORIGIN, auth: undefined as unknown as MlwAuth })).toThrow(InvalidArgumentError);
    expect(() => new MlwClient({ baseUrl: ORIGIN, auth: {} as MlwAuth })).toThrow(InvalidArgumentError);
  });

  it('refuses a user name without a password (it would send "user:undefined"), and other broken credentials', async () => {
    const seen: Seen[] = [];
    server.use(projects(seen));
    const bad: unknown[] = [
      { username: USER },
      { username: USER, password: undefined, tenant: TENANT },
      { username: USER, password: '' },
      { username: '', password: PASSWORD },
      { username: USER, password: PASSWORD, tenant: '' },
      { token: '' },
      { token: 42 },
      { headers: { 'x-xsrf-token': 'x' } },
    ];
    for (const auth of bad) {
      expect(() => new MlwClient({ baseUrl: ORIGIN, auth: auth as MlwAuth }), JSON.stringify(auth)).toThrow(InvalidArgumentError);
    }
    expect(() => new MlwClient({ baseUrl: ORIGIN, auth: { username: USER } as MlwAuth })).toThrow(/password/);
    expect(seen).toEqual([]);
  });
});

describe('MlwClient base URL', () => {
  it('puts requests under /service/mlw by default and strips trailing slashes', async () => {
    expect(DEFAULT_MLW_SERVICE_PATH).toBe('/service/mlw');
    const c = new MlwClient({ baseUrl: `${ORIGIN}//`, auth: { token: TOKEN } });
    expect(c.baseUrl).toBe(`${ORIGIN}/service/mlw`);
    expect((await firstRequest(c)).path).toBe('/service/mlw/projects');
  });

  it('uses servicePath for the DataHub variant', async () => {
    const c = new MlwClient({ baseUrl: ORIGIN, auth: { token: TOKEN }, servicePath: 'service/mlw-cdh/' });
    expect((await firstRequest(c, `${ORIGIN}/service/mlw-cdh`)).path).toBe('/service/mlw-cdh/projects');
  });

  it('does not double a service path the base URL already ends with', async () => {
    const c = new MlwClient({ baseUrl: `${ORIGIN}/service/mlw/`, auth: { token: TOKEN } });
    expect((await firstRequest(c)).path).toBe('/service/mlw/projects');
  });

  it('sends client headers on every request and per-call headers on that call only', async () => {
    const seen: Seen[] = [];
    server.use(projects(seen));
    const c = new MlwClient({ baseUrl: ORIGIN, auth: { token: TOKEN }, headers: { 'x-app': 'sdk' } });
    await c.projects.list({ headers: { 'x-trace': 't1' } });
    await c.projects.list();
    const headers = { accept: 'application/json', authorization: `Bearer ${TOKEN}`, 'x-app': 'sdk' };
    expect(seen[0]!.headers).toEqual({ ...headers, 'x-trace': 't1' });
    expect(seen[1]!.headers).toEqual(headers);
  });
});

describe('MlwClient errors never carry credentials', () => {
  it('redacts the password, the Basic value and the tenant/user:password pair echoed by the server', async () => {
    server.use(
      recordAll([], (s) =>
        HttpResponse.json(
          { error: 'security/Unauthorized', message: `Bad credentials ${TENANT}/${USER}:${PASSWORD} in ${s.headers.authorization}`, info: PASSWORD },
          { status: 401, headers: { 'www-authenticate': `Basic realm="${PASSWORD}"`, 'x-echo': s.headers.authorization! } },
        ),
      ),
    );
    const c = new MlwClient({ baseUrl: ORIGIN, auth: { tenant: TENANT, username: USER, password: PASSWORD } });
    const err = await c.projects.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    const e = err as APIError;
    const dump = JSON.stringify({ message: e.message, server: e.serverMessage, reason: e.reason, url: e.url, body: e.body, headers: e.headers, stack: e.stack });
    expect(dump).not.toContain(PASSWORD);
    expect(dump).not.toContain(BASIC.slice(6));
    expect(e.serverMessage).toContain('Bad credentials');
  });

  /** Every place an error could carry a credential. */
  const dumpOf = (e: APIError) =>
    JSON.stringify({ message: e.message, server: e.serverMessage, reason: e.reason, url: e.url, body: e.body, headers: e.headers, stack: e.stack, string: String(e) });
  /** A gateway that echoes every credential header of the request in its message, body, a header and a redirect URL. */
  const echoCredentials = (status: number) =>
    recordAll([], (s) => {
      const creds = ['authorization', 'x-xsrf-token', 'x-forwarded-auth', 'cookie'].map((h) => s.headers[h]).filter(Boolean).join(' | ');
      return HttpResponse.json(
        { error: 'security/Unauthorized', message: `rejected ${creds}`, info: creds.split(' | '), details: { headers: s.headers } },
        { status, headers: { 'x-echo': creds, location: `${ORIGIN}/login?next=${encodeURIComponent(creds)}` } },
      );
    });

  it('redacts the X-XSRF-TOKEN of browserCookieAuth (and a readable login cookie) echoed by the server', async () => {
    const XSRF = 'f3c1e2d4-xsrf-7a9b';
    const JWT = 'eyJhbGciOiJIUzI1NiJ9.cookie-jwt.sig';
    const g = globalThis as { document?: { cookie: string } };
    g.document = { cookie: `authorization=${JWT}; XSRF-TOKEN=${encodeURIComponent(XSRF)}` };
    server.use(
      recordAll([], (s) =>
        HttpResponse.json(
          { error: 'security/Forbidden', message: `XSRF ${s.headers['x-xsrf-token']} does not match cookie ${JWT}`, info: s.headers['x-xsrf-token'] },
          { status: 403, headers: { 'x-echo': `${s.headers['x-xsrf-token']}` } },
        ),
      ),
    );
    try {
      const err = await new MlwClient({ baseUrl: ORIGIN, auth: browserCookieAuth(), maxRetries: 0 }).projects.list().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PermissionDeniedError);
      const dump = dumpOf(err as APIError);
      expect(dump).not.toContain(XSRF);
      expect(dump).not.toContain(JWT);
      expect((err as APIError).serverMessage).toContain('does not match cookie');
    } finally {
      delete g.document;
    }
  });

  it('redacts forwarded credentials of a header function: the values, the token after a scheme, each cookie value', async () => {
    const FWD = 'fwd-jwt-0a1b2c3d4e5f';
    const COOKIE_JWT = 'cookie-jwt-9z8y7x';
    const auth = { headers: async () => ({ authorization: `Bearer ${FWD}`, cookie: `authorization=${COOKIE_JWT}; XSRF-TOKEN=x7q`, 'x-forwarded-auth': 'abc' }) };
    server.use(echoCredentials(401));
    const err = await new MlwClient({ baseUrl: ORIGIN, auth, maxRetries: 0 }).sessions.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    const e = err as APIError;
    const dump = dumpOf(e);
    for (const secret of [FWD, COOKIE_JWT]) expect(dump).not.toContain(secret);
    // Short values are masked as whole tokens, not as parts of words.
    expect(dump).not.toMatch(/(?<![A-Za-z0-9])(abc|x7q)(?![A-Za-z0-9])/);
    expect(e.serverMessage).toMatch(/^rejected /);
  });

  it('redacts a password shorter than 4 characters, alone or after the user name', async () => {
    server.use(
      recordAll([], () =>
        HttpResponse.json(
          { error: 'security/Unauthorized', message: '401 Bad credentials for ana:abc', info: 'abc' },
          { status: 401, headers: { 'x-echo': 'ana:abc', location: `${ORIGIN}/login?user=ana&pw=abc` } },
        ),
      ),
    );
    const err = await new MlwClient({ baseUrl: ORIGIN, auth: { username: 'ana', password: 'abc' } }).projects.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    const e = err as APIError;
    const dump = dumpOf(e);
    expect(dump).not.toMatch(/(?<![A-Za-z0-9])abc(?![A-Za-z0-9])/);
    expect(dump).not.toContain(Buffer.from('ana:abc').toString('base64'));
    expect(e.serverMessage).toBe('401 Bad credentials for ***');
    expect(e.headers['x-echo']).toBe('***');
  });

  it('redacts a Bearer token echoed in the body, a header or the message', async () => {
    server.use(
      recordAll([], () =>
        HttpResponse.json({ message: `token ${TOKEN} expired`, error: TOKEN }, { status: 401, headers: { 'x-token': TOKEN } }),
      ),
    );
    const err = await new MlwClient({ baseUrl: ORIGIN, auth: { token: async () => TOKEN } }).sessions.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    const e = err as APIError;
    const dump = JSON.stringify({ message: e.message, body: e.body, headers: e.headers, reason: e.reason, stack: e.stack });
    expect(dump).not.toContain(TOKEN);
    expect(dump).toContain('expired');
  });
});
