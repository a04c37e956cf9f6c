// Holds spec/jupyterhub.yaml to what a real JupyterHub 3.0 sends: a tour through every operation
// of the spec on a hub of this file's own (it ends by shutting that hub down through the API),
// successes and the errors the hub gives. Every answer is captured by the fetch the HubClient is
// given (the progress event streams too), matched to its operation, and its status, content type,
// body and every key are validated against the spec; each progress event against ProgressEvent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient } from 'jupyter-sdk/hub';
import { SpecValidator } from '../support/spec-validator.js';
import { startTestHub, type TestHub } from '../support/hub-server.js';

const spec = new SpecValidator('jupyterhub.yaml');

interface Answer {
  method: string;
  path: string;
  status: number;
  type: string | null;
  body: unknown;
}

const answers: Answer[] = [];
const pending: Promise<void>[] = [];
const unmatched: string[] = [];
let testHub: TestHub;

/** A fetch that records each answer (read from a clone, in the background: event streams end later). */
function recordingFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const request = input instanceof Request && !init ? input : new Request(input, init);
  return fetch(request).then((response) => {
    const path = new URL(request.url).pathname;
    const template = spec.template(request.method, path);
    if (!template) unmatched.push(`${request.method} ${path}`);
    const copy = response.clone();
    pending.push(
      copy.text().then((text) => {
        let body: unknown = text === '' ? undefined : text;
        try {
          body = JSON.parse(text);
        } catch {
          // Not JSON: checked by content type.
        }
        answers.push({ method: request.method, path: template ?? path, status: response.status, type: response.headers.get('content-type'), body });
      }),
    );
    return response;
  });
}

const settle = (p: Promise<unknown>) => p.then(() => undefined, () => undefined);

beforeAll(async () => {
  testHub = await startTestHub();
  const hub = new HubClient({ baseUrl: testHub.url, token: testHub.adminToken, fetch: recordingFetch, maxRetries: 0 });
  // The escape hatch answers { data, error, response } and never throws on a status: what a tour needs.
  const { api } = hub;

  // Hub.
  await new HubClient({ baseUrl: testHub.url, fetch: recordingFetch }).version();
  await hub.info();
  await hub.me();

  // Users, paged and plain, with the errors the hub gives.
  await hub.users.createMany(Array.from({ length: 12 }, (_, i) => `conf-${i}`));
  await settle(hub.users.createMany(['conf-0'])); // 409
  await api.POST('/hub/api/users', { body: { usernames: [] } }); // 400
  await hub.users.list();
  await api.GET('/hub/api/users', { params: { query: { include_stopped_servers: true } } });
  await api.GET('/hub/api/users', { params: { query: { state: 'nope' as 'active' } } }); // 400
  await hub.users.create('conf-ana');
  await settle(hub.users.create('conf-ana')); // 409
  await hub.users.get('conf-ana', { includeStoppedServers: true });
  await settle(hub.users.get('conf-nobody')); // 404
  await hub.users.update('conf-0', { admin: true });
  await settle(hub.users.update('conf-0', { name: 'conf-1' })); // 400
  await settle(hub.users.update('conf-nobody', { admin: true })); // 404
  await hub.users.delete('conf-11');
  await settle(hub.users.delete('conf-11')); // 404
  await api.POST('/hub/api/users/{name}/activity', { params: { path: { name: 'conf-ana' } }, body: { last_activity: new Date().toISOString() } });
  await api.POST('/hub/api/users/{name}/activity', { params: { path: { name: 'conf-ana' } }, body: {} }); // 400
  await api.POST('/hub/api/users/{name}/activity', { params: { path: { name: 'conf-nobody' } }, body: { last_activity: new Date().toISOString() } }); // 404

  // Servers: default and named, their progress streams, a failed spawn, and the refusals.
  await hub.servers.start('conf-ana');
  await hub.servers.waitReady('conf-ana');
  await hub.servers.start('conf-ana'); // 400 already running
  const starting = hub.servers.start('conf-ana', { name: 'lab' });
  // A spawn takes seconds (Python starting up): catch it while it is pending.
  for (let i = 0; i < 100 && (await hub.users.get('conf-ana')).servers?.lab?.pending !== 'spawn'; i++) await new Promise((r) => setTimeout(r, 100));
  await hub.servers.start('conf-ana', { name: 'lab' }); // 202 while it spawns
  await starting;
  await hub.servers.waitReady('conf-ana', { name: 'lab' });
  await hub.servers.start('conf-ana', { name: 'lab' }); // 400 already running
  await hub.servers.stop('conf-ana', { name: 'lab', remove: true });
  await settle(hub.servers.stop('conf-ana', { name: 'lab' })); // 404
  await settle(hub.servers.progress('conf-ana', { name: 'lab' }).next()); // 404
  await hub.servers.stop('conf-ana');
  await settle(hub.servers.progress('conf-ana').next()); // 400 not starting
  await settle(hub.servers.start('conf-nobody')); // 404
  await settle(hub.servers.start('conf-1', { options: { fail: true } })); // 500, then the failed event
  await settle(hub.servers.start('conf-nobody', { name: 'lab' })); // 404
  await settle(hub.servers.stop('conf-nobody')); // 404

  // Tokens.
  const token = await hub.tokens.create('conf-ana', { note: 'conformance', expiresIn: 600, scopes: ['read:users!user=conf-ana'] });
  await hub.tokens.list('conf-ana');
  await hub.tokens.get('conf-ana', token.id);
  await settle(hub.tokens.get('conf-ana', 'a99999')); // 404
  await settle(hub.tokens.create('conf-ana', { scopes: ['admin:users'] })); // 400
  await settle(hub.tokens.create('conf-nobody')); // 403
  const asAna = new HubClient({ baseUrl: testHub.url, token: token.token, fetch: recordingFetch, maxRetries: 0 });
  await asAna.me(); // a user's identity
  await settle(asAna.users.list()); // 403 scope
  await settle(asAna.info()); // 403 scope
  await hub.tokens.delete('conf-ana', token.id);
  await settle(hub.tokens.delete('conf-ana', token.id)); // 404

  // Groups, paged and plain.
  for (let i = 0; i < 11; i++) await hub.groups.create(`conf-g${i}`);
  await settle(hub.groups.create('conf-g0')); // 409
  await hub.groups.list();
  await api.GET('/hub/api/groups', {});
  await hub.groups.get('conf-g0');
  await settle(hub.groups.get('conf-nothing')); // 404
  await hub.groups.addUsers('conf-g0', ['conf-ana', 'conf-0']);
  await settle(hub.groups.addUsers('conf-g0', ['conf-nobody'])); // 400
  await settle(hub.groups.addUsers('conf-nothing', ['conf-ana'])); // 404
  await hub.groups.removeUsers('conf-g0', ['conf-0']);
  await settle(hub.groups.removeUsers('conf-g0', ['conf-nobody'])); // 400
  await settle(hub.groups.removeUsers('conf-nothing', ['conf-ana'])); // 404
  await hub.groups.delete('conf-g1');
  await settle(hub.groups.delete('conf-g1')); // 404

  // Services.
  await hub.services.list();
  await hub.services.get('sdk-admin');
  await api.GET('/hub/api/services/{name}', { params: { path: { name: 'conf-nothing' } } }); // 500

  // Proxy.
  await api.GET('/hub/api/proxy', {});
  await api.GET('/hub/api/proxy', { params: { query: { limit: 1 } }, headers: { accept: 'application/jupyterhub-pagination+json' } });
  await api.POST('/hub/api/proxy', {});
  await api.PATCH('/hub/api/proxy', { body: {} });
  await api.PATCH('/hub/api/proxy', { body: [] as unknown as object }); // 400

  // Last: shut this hub down.
  await api.POST('/hub/api/shutdown', { body: { proxy: 'maybe' as unknown as boolean } }); // 400
  await api.POST('/hub/api/shutdown', { body: { servers: true, proxy: true } });
  await Promise.all(pending);
}, 180_000);

afterAll(async () => {
  await testHub?.stop();
});

describe('spec/jupyterhub.yaml against JupyterHub 3.0', () => {
  it('matches every request of the tour to an operation of the spec', () => {
    expect(unmatched).toEqual([]);
  });

  it('reaches every operation of the spec', () => {
    const seen = new Set(answers.map((a) => `${a.method} ${a.path}`));
    expect(spec.operations().filter((op) => !seen.has(op))).toEqual([]);
  });

  it('sees the error statuses the spec documents', () => {
    const statuses = new Set(answers.map((a) => a.status));
    for (const status of [200, 201, 202, 204, 400, 403, 404, 409, 500]) expect(statuses, `status ${status}`).toContain(status);
  });

  it('describes every answer: status, content type, body and each key', () => {
    const problems = answers.flatMap((a) => spec.check(a.method, a.path, a.status, a.type, a.body));
    expect(problems).toEqual([]);
  });

  it('describes every progress event', () => {
    const streams = answers.filter((a) => a.status === 200 && /event-stream/.test(a.type ?? ''));
    const events = streams.flatMap((a) =>
      String(a.body)
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => JSON.parse(line.slice(5)) as unknown),
    );
    expect(events.some((e) => (e as { ready?: boolean }).ready)).toBe(true);
    expect(events.some((e) => (e as { failed?: boolean }).failed)).toBe(true);
    expect(events.flatMap((e) => spec.checkSchema('ProgressEvent', e))).toEqual([]);
  });
});
