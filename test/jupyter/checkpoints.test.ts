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
const FILE = 'my dir/été #1?%.ipynb';
const ENC = '/user/ana/api/contents/my%20dir/%C3%A9t%C3%A9%20%231%3F%25.ipynb/checkpoints';

describe('checkpoints', () => {
  it('list sends GET {path}/checkpoints with the path encoded per segment', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Checkpoint'][]>([{ id: 'checkpoint', last_modified: WHEN }])));
    expect(await client().checkpoints.list(FILE)).toEqual([{ id: 'checkpoint', last_modified: WHEN }]);
    expect(seen.map(line)).toEqual([`GET ${ENC}`]);
  });

  it('create POSTs to {path}/checkpoints and returns the checkpoint', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Checkpoint']>({ id: 'checkpoint', last_modified: WHEN }, { status: 201 })));
    const cp = await client().checkpoints.create(FILE);
    expect(seen.map(line)).toEqual([`POST ${ENC}`]);
    expect(cp.id).toBe('checkpoint');
  });

  it('restore POSTs to {path}/checkpoints/{id} and resolves to undefined on 204', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => new HttpResponse(null, { status: 204 })));
    await expect(client().checkpoints.restore(FILE, 'check point')).resolves.toBeUndefined();
    expect(seen.map(line)).toEqual([`POST ${ENC}/check%20point`]);
  });

  it('delete sends DELETE {path}/checkpoints/{id} and resolves to undefined on 204', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => new HttpResponse(null, { status: 204 })));
    await expect(client().checkpoints.delete(FILE, 'checkpoint')).resolves.toBeUndefined();
    expect(seen.map(line)).toEqual([`DELETE ${ENC}/checkpoint`]);
  });

  it('refuses a ".." path, the root folder and an empty checkpoint id before any request', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json({})));
    await expect(client().checkpoints.list('a/../b')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client().checkpoints.create('')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client().checkpoints.restore('a.txt', '')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client().checkpoints.delete('a.txt', '..')).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(seen).toEqual([]);
  });
});
