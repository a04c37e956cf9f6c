import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { HttpResponse } from 'msw';
import { InvalidArgumentError, JupyterClient } from 'jupyter-sdk';
import { BASE, TOKEN, recordAll, type S, type Seen } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () => new JupyterClient({ baseUrl: BASE, token: TOKEN });

describe('config', () => {
  it('get sends GET /api/config/{section} and returns the section', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['ConfigSection']>({ theme: 'dark' })));
    expect(await client().config.get('notebook')).toEqual({ theme: 'dark' });
    expect(seen).toMatchObject([{ method: 'GET', path: '/user/ana/api/config/notebook' }]);
  });

  it('update PATCHes the patch (null deletes a key) and returns the merged section', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['ConfigSection']>({ a: { c: 2 } })));
    const merged = await client().config.update('my_section', { a: { b: null, c: 2 } });
    expect(seen).toMatchObject([{ method: 'PATCH', path: '/user/ana/api/config/my_section', body: { a: { b: null, c: 2 } } }]);
    expect(merged).toEqual({ a: { c: 2 } });
  });

  it('replace PUTs the whole section and resolves to undefined on 204', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => new HttpResponse(null, { status: 204 })));
    await expect(client().config.replace('s1', { x: [1, 2] })).resolves.toBeUndefined();
    expect(seen).toMatchObject([{ method: 'PUT', path: '/user/ana/api/config/s1', body: { x: [1, 2] } }]);
  });

  it.each(['', 'bad.name', 'a/b', 'a b', '..', 'é-x'])('refuses the section name %j before any request', async (section) => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json({})));
    await expect(client().config.get(section)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client().config.update(section, {})).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client().config.replace(section, {})).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(seen).toEqual([]);
  });

  it('refuses a patch or value that is not a plain object before any request (the server fails those with 500)', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json({})));
    for (const bad of [null, [1, 2], 'x', 3] as unknown as S['ConfigSection'][]) {
      await expect(client().config.update('s1', bad)).rejects.toThrow(/config patch must be a plain object/);
      await expect(client().config.replace('s1', bad)).rejects.toThrow(/config value must be a plain object/);
    }
    expect(seen).toEqual([]);
  });
});
