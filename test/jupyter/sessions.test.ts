import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { HttpResponse } from 'msw';
import { InvalidArgumentError, JupyterClient } from 'jupyter-sdk';
import { BASE, KERNEL_ID, SESSION_ID, TOKEN, kernelModel, recordAll, sessionModel, type S, type Seen } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () => new JupyterClient({ baseUrl: BASE, token: TOKEN });
const line = (s: Seen) => `${s.method} ${s.path}`;

describe('sessions', () => {
  it('list sends GET /api/sessions and returns the sessions', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Session'][]>([sessionModel()])));
    const sessions = await client().sessions.list();
    expect(seen.map(line)).toEqual(['GET /user/ana/api/sessions']);
    expect(sessions[0]?.kernel.id).toBe(KERNEL_ID);
  });

  it('get sends GET /api/sessions/{id} and returns the session', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Session']>(sessionModel())));
    const s = await client().sessions.get(SESSION_ID);
    expect(seen.map(line)).toEqual([`GET /user/ana/api/sessions/${SESSION_ID}`]);
    expect(s.notebook?.path).toBe('work/a.ipynb');
  });

  it('create POSTs {path, type, name, kernel: {name}} and returns the session', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Session']>(sessionModel({ path: 'é #?.ipynb', name: 'n' }), { status: 201 })));
    const s = await client().sessions.create({ path: 'é #?.ipynb', type: 'notebook', name: 'n', kernel: { name: 'python3' } });
    expect(seen).toMatchObject([
      { method: 'POST', path: '/user/ana/api/sessions', body: { path: 'é #?.ipynb', type: 'notebook', name: 'n', kernel: { name: 'python3' } } },
    ]);
    expect(s.path).toBe('é #?.ipynb');
  });

  it('create can reuse a running kernel by id', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Session']>(sessionModel(), { status: 201 })));
    await client().sessions.create({ path: 'c', type: 'console', kernel: { id: KERNEL_ID } });
    expect(seen[0]!.body).toEqual({ path: 'c', type: 'console', kernel: { id: KERNEL_ID } });
  });

  it('update PATCHes the patch and returns the updated session', async () => {
    const seen: Seen[] = [];
    server.use(
      recordAll(seen, () =>
        HttpResponse.json<S['Session']>(sessionModel({ path: 'new.ipynb', kernel: kernelModel({ name: 'python3' }) })),
      ),
    );
    const s = await client().sessions.update(SESSION_ID, { path: 'new.ipynb', kernel: { name: 'python3' } });
    expect(seen).toMatchObject([
      { method: 'PATCH', path: `/user/ana/api/sessions/${SESSION_ID}`, body: { path: 'new.ipynb', kernel: { name: 'python3' } } },
    ]);
    expect(s.path).toBe('new.ipynb');
  });

  it('delete sends DELETE /api/sessions/{id} and resolves to undefined on 204', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => new HttpResponse(null, { status: 204 })));
    await expect(client().sessions.delete(SESSION_ID)).resolves.toBeUndefined();
    expect(seen.map(line)).toEqual([`DELETE /user/ana/api/sessions/${SESSION_ID}`]);
  });

  it.each([
    ['get', (c: JupyterClient) => c.sessions.get('')],
    ['update', (c: JupyterClient) => c.sessions.update('', { name: 'x' })],
    ['delete', (c: JupyterClient) => c.sessions.delete('..')],
  ])('%s refuses an empty or dot session id before any request', async (_name, call) => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json({})));
    await expect(call(client())).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(seen).toEqual([]);
  });
});
