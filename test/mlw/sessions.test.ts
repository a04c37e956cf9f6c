import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { AuthenticationError, MlwClient, PermissionDeniedError, type MlwSessionWithProject } from 'jupyter-sdk/mlw';
import { JNB_SESSIONS, NO_AUTH, ORIGIN, PROJECT, TOKEN, errorJson, expectRequest, recordAll, route, sessionModel, type S, type Seen } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () => new MlwClient({ baseUrl: ORIGIN, auth: { token: TOKEN } });

describe('mlw.sessions.list', () => {
  it('sends GET /service/mlw/jnb-sessions with the Bearer token and returns the sessions unwrapped from data', async () => {
    const seen: Seen[] = [];
    const sessions: S['SessionWithProject'][] = [
      { ...sessionModel({ id: 'e1b8e814-36c2-4e5a-ba2a-e3524fe2d03c' }), projectID: PROJECT, projectName: 'blah project', fileName: 'untitled.ipynb' },
      { ...sessionModel(), projectID: PROJECT, projectName: 'vinsy', fileName: 'untitled.ipynb' },
    ];
    server.use(route('get', JNB_SESSIONS, { data: sessions }, { seen }));
    const list: MlwSessionWithProject[] = await client().sessions.list();
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /service/mlw/jnb-sessions']);
    expectRequest(seen[0], { method: 'GET', path: '/service/mlw/jnb-sessions', headers: { accept: 'application/json', authorization: `Bearer ${TOKEN}` } });
    expect(list).toEqual(sessions);
    expect(list[1]!.projectName).toBe('vinsy');
    expect(list[0]!.kernel.name).toBe('python3');
  });

  it('returns an empty array when MLW has no sessions', async () => {
    server.use(route('get', JNB_SESSIONS, { data: [] }));
    expect(await client().sessions.list()).toEqual([]);
  });

  it('throws AuthenticationError with the platform message on 401', async () => {
    server.use(recordAll([], () => errorJson(401, NO_AUTH)));
    const err = await client().sessions.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as AuthenticationError).message).toBe('401 No auth information found');
  });

  it('throws PermissionDeniedError on 403', async () => {
    server.use(recordAll([], () => errorJson(403, { error: 'security/Forbidden', message: 'Access is denied' })));
    await expect(client().sessions.list()).rejects.toBeInstanceOf(PermissionDeniedError);
  });
});
