import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { HttpResponse } from 'msw';
import { InvalidArgumentError, JupyterClient } from 'jupyter-sdk';
import { BASE, TOKEN, WHEN, recordAll, type S, type Seen } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () => new JupyterClient({ baseUrl: BASE, token: TOKEN });
const line = (s: Seen) => `${s.method} ${s.path}`;

describe('terminals', () => {
  it('list sends GET /api/terminals and returns the terminals', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Terminal'][]>([{ name: '1', last_activity: WHEN }])));
    expect(await client().terminals.list()).toEqual([{ name: '1', last_activity: WHEN }]);
    expect(seen.map(line)).toEqual(['GET /user/ana/api/terminals']);
  });

  it('create POSTs {name, cwd} and returns the terminal (the server answers 200)', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Terminal']>({ name: 'mine', last_activity: WHEN })));
    const t = await client().terminals.create({ name: 'mine', cwd: 'my dir' });
    expect(seen).toMatchObject([{ method: 'POST', path: '/user/ana/api/terminals', body: { name: 'mine', cwd: 'my dir' } }]);
    expect(t.name).toBe('mine');
  });

  it('create without params POSTs an empty object', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Terminal']>({ name: '1' })));
    await client().terminals.create();
    expect(seen[0]!.body).toEqual({});
  });

  it('get sends GET /api/terminals/{name} and returns the terminal', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Terminal']>({ name: 'my_term2', last_activity: WHEN })));
    const t = await client().terminals.get('my_term2');
    expect(seen.map(line)).toEqual(['GET /user/ana/api/terminals/my_term2']);
    expect(t.name).toBe('my_term2');
  });

  it('refuses names the server cannot route (only \\w+ reaches it) before any request, for create too', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Terminal']>({ name: 'x' })));
    for (const name of ['a b', 'my-term', 'é', 'a/b', '..']) {
      await expect(client().terminals.get(name)).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(client().terminals.delete(name)).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(client().terminals.create({ name })).rejects.toThrow(/terminal name must be letters, digits and _ only/);
      await expect(client().terminals.connect(name)).rejects.toBeInstanceOf(InvalidArgumentError);
    }
    expect(seen).toEqual([]);
  });

  it('delete sends DELETE /api/terminals/{name} and resolves to undefined on 204', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => new HttpResponse(null, { status: 204 })));
    await expect(client().terminals.delete('1')).resolves.toBeUndefined();
    expect(seen.map(line)).toEqual(['DELETE /user/ana/api/terminals/1']);
  });

  it('refuses an empty terminal name before any request', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json({})));
    await expect(client().terminals.get('')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client().terminals.delete(' ')).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(seen).toEqual([]);
  });
});
