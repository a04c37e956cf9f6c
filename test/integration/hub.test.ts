// HubClient against a real JupyterHub 3.0 (Debian's), started once for this file: users and
// pagination, default and named servers (start, progress, wait, stop, remove, a real spawn
// failure), tokens (create, use, revoke, refused), groups, services, a kernel run through the
// proxy, and the errors a hub user meets, none carrying a secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  HubClient,
  NotFoundError,
  PermissionDeniedError,
  ServerNotRunningError,
  ServerWaitTimeoutError,
  SpawnFailedError,
  type SpawnProgressEvent,
} from 'jupyter-sdk/hub';
import { startTestHub, type TestHub } from '../support/hub-server.js';

let testHub: TestHub;
let hub: HubClient;
// Every error the tests provoke, checked at the end for secrets.
const errors: unknown[] = [];
const secrets: string[] = [];
const failure = async (work: Promise<unknown>): Promise<Error> => {
  const err = await work.then(
    () => new Error('expected a failure, the call resolved'),
    (e: Error) => e,
  );
  errors.push(err);
  return err;
};

beforeAll(async () => {
  testHub = await startTestHub();
  secrets.push(testHub.adminToken);
  hub = new HubClient({ baseUrl: testHub.url, token: testHub.adminToken });
});
afterAll(async () => {
  await testHub?.stop();
});

/** Polls `check` every 200 ms until it returns something other than undefined, for at most `ms`. */
async function eventually<T>(check: () => Promise<T | undefined>, ms: number): Promise<T | undefined> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('hub', () => {
  it('reads the version without a token, and info and identity with one', async () => {
    expect(await new HubClient({ baseUrl: testHub.url }).version()).toEqual({ version: '3.0.0' });
    const info = await hub.info();
    expect(info.version).toBe('3.0.0');
    expect(info.authenticator?.class).toBe('jupyterhub.auth.DummyAuthenticator');
    const me = await hub.me();
    expect(me).toMatchObject({ kind: 'service', name: 'sdk-admin' });
    expect(me.scopes).toContain('admin:users');
  });
});

describe('users', () => {
  it('lists every user across pages of 10, where the plain list stops at 10', async () => {
    const names = Array.from({ length: 27 }, (_, i) => `page-${String(i).padStart(2, '0')}`);
    const created = await hub.users.createMany(names);
    expect(created.map((u) => u.name).sort()).toEqual(names);

    // Without the pagination media type the hub cuts the list silently.
    const plain = await fetch(`${testHub.url}/hub/api/users`, { headers: { authorization: `token ${testHub.adminToken}` } });
    expect(((await plain.json()) as unknown[]).length).toBe(10);

    const all = (await hub.users.list()).map((u) => u.name);
    expect(all.filter((n) => n.startsWith('page-')).sort()).toEqual(names);
    expect(new Set(all).size).toBe(all.length);

    const pages: number[] = [];
    for await (const page of hub.users.pages()) pages.push(page.length);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...pages)).toBe(10);
    expect(pages.reduce((a, b) => a + b)).toBe(all.length);

    // A window across a page boundary: 15 users from the 5th, in the hub's order.
    const window = await hub.users.list({ offset: 5, limit: 15 });
    expect(window.map((u) => u.name)).toEqual(all.slice(5, 20));
  });

  it('creates, reads, updates and deletes a user, with typed errors', async () => {
    const ana = await hub.users.create('crud-ana', { admin: false });
    expect(ana).toMatchObject({ name: 'crud-ana', admin: false, servers: {} });
    expect((await failure(hub.users.create('crud-ana'))) as ConflictError).toBeInstanceOf(ConflictError);

    // createMany returns the users it created, skipping the one that existed.
    const made = await hub.users.createMany(['crud-ana', 'crud-bob']);
    expect(made.map((u) => u.name)).toEqual(['crud-bob']);
    const all = await failure(hub.users.createMany(['crud-ana', 'crud-bob']));
    expect(all).toBeInstanceOf(ConflictError);
    expect(all.message).toBe('409 All 2 users already exist');

    expect(await hub.users.update('crud-bob', { admin: true })).toMatchObject({ name: 'crud-bob', admin: true });
    expect(await hub.users.update('crud-bob', { name: 'crud-carl' })).toMatchObject({ name: 'crud-carl', admin: true });
    expect(await failure(hub.users.update('crud-carl', { name: 'crud-ana' }))).toBeInstanceOf(BadRequestError);
    expect((await hub.users.get('crud-carl')).admin).toBe(true);

    await hub.users.delete('crud-carl');
    expect(await failure(hub.users.get('crud-carl'))).toBeInstanceOf(NotFoundError);
    expect(await failure(hub.users.delete('crud-carl'))).toBeInstanceOf(NotFoundError);
    // 3.0 answers 500 to stopping a missing user's server; the client says what it is.
    expect(await failure(hub.servers.stop('crud-carl'))).toBeInstanceOf(NotFoundError);
  });
});

describe('servers', () => {
  it('starts the default server, reports its progress, waits for it, runs code on it and stops it', async () => {
    await hub.users.create('srv-ana');
    // The hub holds the POST up to 10 s: a loaded machine may not have the server up by then.
    expect(['ready', 'pending']).toContain(await hub.servers.start('srv-ana'));
    const events: SpawnProgressEvent[] = [];
    const ready = await hub.servers.waitReady('srv-ana', { onProgress: (e) => events.push(e) });
    expect(ready).toMatchObject({ name: '', ready: true, url: '/user/srv-ana/', full_url: `${testHub.url}/user/srv-ana/` });
    expect(events.at(-1)).toMatchObject({ progress: 100, ready: true, url: '/user/srv-ana/' });
    // Starting a running server is not an error.
    expect(await hub.servers.start('srv-ana')).toBe('ready');
    const replay: SpawnProgressEvent[] = [];
    for await (const e of hub.servers.progress('srv-ana')) replay.push(e);
    expect(replay).toEqual([expect.objectContaining({ ready: true })]);
    expect((await hub.users.list({ state: 'active' })).map((u) => u.name)).toContain('srv-ana');

    // REST and a kernel channel through the hub's proxy, with the admin service's token.
    const jupyter = hub.jupyter('srv-ana');
    expect((await jupyter.status()).kernels).toBe(0);
    const kernel = await jupyter.kernels.start();
    const conn = await jupyter.kernels.connect(kernel.id);
    try {
      const result = await conn.run('6 * 7');
      expect(result.status).toBe('ok');
      expect(result.outputs).toEqual([expect.objectContaining({ output_type: 'execute_result', data: { 'text/plain': '42' } })]);
    } finally {
      await conn.close();
    }

    await hub.servers.stop('srv-ana');
    const [stopped] = await hub.servers.list('srv-ana');
    expect(stopped).toMatchObject({ name: '', ready: false, stopped: true });
    // Stopping a stopped default server is not an error either.
    await hub.servers.stop('srv-ana');

    // The user server is gone: reads and writes through the proxy say so, typed.
    const read = await failure(jupyter.kernels.list());
    expect(read).toBeInstanceOf(ServerNotRunningError);
    expect((read as ServerNotRunningError).status).toBe(424);
    expect(read.message).toMatch(/^424 JupyterHub server no longer running at \/user\/srv-ana\/api\/kernels/);
    const write = await failure(jupyter.kernels.start());
    expect(write).toBeInstanceOf(ServerNotRunningError);
    expect(write.message).toMatch(/no longer running at \/user\/srv-ana\/api\/kernels/);
    expect(await failure(hub.servers.progress('srv-ana').next())).toBeInstanceOf(BadRequestError);
  });

  it('follows a named server from pending to ready, then stops and removes it', async () => {
    await hub.users.create('srv-bob');
    const starting = hub.servers.start('srv-bob', { name: 'lab' });
    // The hub holds the POST while it spawns: catch the server while it is pending.
    const pending = await eventually(async () => ((await hub.users.get('srv-bob')).servers?.lab?.pending === 'spawn' ? true : undefined), 10_000);
    expect(pending).toBe(true);
    // Starting it again while it spawns is not an error (it may be up by the time the hub answers).
    expect(['pending', 'ready']).toContain(await hub.servers.start('srv-bob', { name: 'lab' }));
    const events: SpawnProgressEvent[] = [];
    for await (const e of hub.servers.progress('srv-bob', { name: 'lab' })) events.push(e);
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.map((e) => e.progress)).toEqual([...events.map((e) => e.progress)].sort((a, b) => a - b));
    expect(events.at(-1)).toMatchObject({ progress: 100, ready: true, url: '/user/srv-bob/lab/' });
    expect(['ready', 'pending']).toContain(await starting);

    const ready = await hub.servers.waitReady('srv-bob', { name: 'lab' });
    expect(ready).toMatchObject({ name: 'lab', ready: true, full_url: `${testHub.url}/user/srv-bob/lab/` });
    expect(await hub.jupyter('srv-bob', { server: 'lab' }).kernels.list()).toEqual([]);

    await hub.servers.stop('srv-bob', { name: 'lab', remove: true });
    // Only the default server (never started) is left.
    expect((await hub.servers.list('srv-bob')).map((s) => s.name)).toEqual(['']);
    expect(await failure(hub.servers.get('srv-bob', { name: 'lab' }))).toBeInstanceOf(NotFoundError);
    expect(await failure(hub.servers.stop('srv-bob', { name: 'lab' }))).toBeInstanceOf(NotFoundError);
    expect(await failure(hub.servers.waitReady('srv-bob', { name: 'lab' }))).toBeInstanceOf(NotFoundError);
  });

  it('names user and server when a spawn fails, from start and from waitReady', async () => {
    await hub.users.create('srv-eve');
    const err = await failure(hub.servers.start('srv-eve', { name: 'broken', options: { fail: true } }));
    expect(err).toBeInstanceOf(SpawnFailedError);
    expect(err).toMatchObject({ user: 'srv-eve', server: 'broken' });
    expect(err.message).toBe(`srv-eve's server "broken" failed to start: Spawn failed: refused by the test hub (user_options.fail)`);
    const waited = await failure(hub.servers.waitReady('srv-eve', { name: 'broken' }));
    expect(waited).toBeInstanceOf(SpawnFailedError);
    expect((waited as SpawnFailedError).event).toMatchObject({ failed: true, progress: 100 });
  });

  it('gives up waiting with a typed timeout naming user and server', async () => {
    await hub.users.create('srv-tim');
    const starting = hub.servers.start('srv-tim');
    await eventually(async () => ((await hub.users.get('srv-tim')).servers?.['']?.pending === 'spawn' ? true : undefined), 10_000);
    const err = await failure(hub.servers.waitReady('srv-tim', { timeout: 1 }));
    expect(err).toBeInstanceOf(ServerWaitTimeoutError);
    expect(err).toMatchObject({ user: 'srv-tim', server: '', waitingFor: 'ready', timeout: 1 });
    expect(err.message).toMatch(/^srv-tim's default server was not ready after 1 ms/);
    await starting;
    await hub.servers.waitReady('srv-tim');
    await hub.servers.stop('srv-tim');
  });
});

describe('tokens', () => {
  it('creates a token whose value only its creation shows, uses it, and revokes it', async () => {
    await hub.users.create('tok-ana');
    const created = await hub.tokens.create('tok-ana', { note: 'sdk test', expiresIn: 3600 });
    secrets.push(created.token);
    expect(created).toMatchObject({ user: 'tok-ana', note: 'sdk test', token: expect.stringMatching(/^\w{20,}$/) });
    expect(Date.parse(created.expires_at!) - Date.now()).toBeGreaterThan(3500_000);

    const listed = await hub.tokens.list('tok-ana');
    expect(Array.isArray(listed)).toBe(true);
    expect(listed.map((t) => t.id)).toContain(created.id);
    expect(JSON.stringify(listed)).not.toContain(created.token);
    const got = await hub.tokens.get('tok-ana', created.id);
    expect(got).toMatchObject({ id: created.id, note: 'sdk test' });
    expect(got).not.toHaveProperty('token');

    // Used as the user: the hub API and the user's own server through the proxy.
    const asAna = new HubClient({ baseUrl: testHub.url, token: created.token });
    expect(await asAna.me()).toMatchObject({ kind: 'user', name: 'tok-ana' });
    expect(['ready', 'pending']).toContain(await asAna.servers.start('tok-ana'));
    expect((await asAna.servers.waitReady('tok-ana')).ready).toBe(true);
    const jupyter = asAna.jupyter('tok-ana');
    expect(Array.isArray(await jupyter.kernels.list())).toBe(true);

    await hub.tokens.delete('tok-ana', created.id);
    expect(await failure(hub.tokens.get('tok-ana', created.id))).toBeInstanceOf(NotFoundError);
    // The hub refuses it at once; the user server once its auth cache (2 s here) has expired.
    expect(await failure(asAna.me())).toBeInstanceOf(PermissionDeniedError);
    const refused = await eventually(() => jupyter.kernels.list().then(() => undefined, (e: Error) => e), 20_000);
    errors.push(refused);
    expect(refused).toBeInstanceOf(PermissionDeniedError);
    await hub.servers.stop('tok-ana');
  });

  it('scopes a token: what it may not do is refused, typed', async () => {
    await hub.users.create('tok-bob');
    const narrow = await hub.tokens.create('tok-bob', { scopes: ['read:users:name!user=tok-bob'] });
    secrets.push(narrow.token);
    expect(narrow.scopes).toContain('read:users:name!user=tok-bob');
    const asBob = new HubClient({ baseUrl: testHub.url, token: narrow.token });
    expect((await asBob.users.get('tok-bob')).name).toBe('tok-bob');
    const list = await failure(asBob.users.list());
    expect(list).toBeInstanceOf(PermissionDeniedError);
    expect(list.message).toBe('403 Action is not authorized with current scopes; requires any of [list:users]');
    expect(await failure(asBob.servers.start('tok-bob'))).toBeInstanceOf(PermissionDeniedError);
    expect(await failure(asBob.users.get('tok-ana'))).toBeInstanceOf(NotFoundError);
    // A user's token cannot hold scopes the user does not have.
    expect(await failure(hub.tokens.create('tok-bob', { scopes: ['admin:users'] }))).toBeInstanceOf(BadRequestError);
    // A bogus token is refused like a missing scope.
    const bogus = 'bogus0123456789abcdef0123456789';
    secrets.push(bogus);
    expect(await failure(new HubClient({ baseUrl: testHub.url, token: bogus }).me())).toBeInstanceOf(PermissionDeniedError);
    await hub.tokens.delete('tok-bob', narrow.id);
  });
});

describe('login redirect', () => {
  it('a stopped server answers a missing, bogus or revoked token with the hub login page: AuthenticationError, not HTML', async () => {
    await hub.users.create('auth-ana');
    const bogus = 'bogusAAAA0123456789abcdef0123';
    secrets.push(bogus);
    const withBogus = await failure(hub.jupyter('auth-ana', { token: bogus }).kernels.list());
    expect(withBogus).toBeInstanceOf(AuthenticationError);
    expect(await failure(new HubClient({ baseUrl: testHub.url }).jupyter('auth-ana').status())).toBeInstanceOf(AuthenticationError);
    const revoked = await hub.tokens.create('auth-ana');
    secrets.push(revoked.token);
    await hub.tokens.delete('auth-ana', revoked.id);
    expect(await failure(hub.jupyter('auth-ana', { token: revoked.token }).contents.get(''))).toBeInstanceOf(AuthenticationError);
    // With a valid token the same stopped server is ServerNotRunningError.
    expect(await failure(hub.jupyter('auth-ana').kernels.list())).toBeInstanceOf(ServerNotRunningError);
  });
});

describe('groups and services', () => {
  it('creates groups, pages through them, changes members and deletes them', async () => {
    await hub.users.createMany(['grp-ana', 'grp-bob']);
    const names = Array.from({ length: 12 }, (_, i) => `grp-${String(i).padStart(2, '0')}`);
    for (const name of names) expect(await hub.groups.create(name)).toMatchObject({ name, users: [] });
    expect(await failure(hub.groups.create('grp-00'))).toBeInstanceOf(ConflictError);
    expect((await hub.groups.list()).map((g) => g.name)).toEqual(expect.arrayContaining(names));

    expect((await hub.groups.addUsers('grp-00', ['grp-ana', 'grp-bob'])).users).toEqual(['grp-ana', 'grp-bob']);
    expect((await hub.groups.removeUsers('grp-00', ['grp-bob'])).users).toEqual(['grp-ana']);
    expect(await failure(hub.groups.addUsers('grp-00', ['nobody-here']))).toBeInstanceOf(BadRequestError);
    expect((await hub.groups.get('grp-00')).users).toEqual(['grp-ana']);
    expect((await hub.users.get('grp-ana')).groups).toEqual(['grp-00']);

    for (const name of names) await hub.groups.delete(name);
    expect(await failure(hub.groups.get('grp-00'))).toBeInstanceOf(NotFoundError);
    expect(await failure(hub.groups.delete('grp-00'))).toBeInstanceOf(NotFoundError);
  });

  it('lists and reads services, and an unknown one is NotFoundError', async () => {
    expect((await hub.services.list()).map((s) => s.name)).toEqual(['sdk-admin']);
    expect(await hub.services.get('sdk-admin')).toMatchObject({ name: 'sdk-admin', kind: 'service', roles: ['sdk-admin'] });
    const err = await failure(hub.services.get('no-such-service'));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.message).toBe('404 No such service: no-such-service');
  });
});

describe('secrets', () => {
  it('no error of this file carries a token', () => {
    expect(errors.length).toBeGreaterThan(20);
    for (const err of errors) {
      const text = `${String(err)} ${JSON.stringify(err)} ${(err as Error).stack ?? ''}`;
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });
});
