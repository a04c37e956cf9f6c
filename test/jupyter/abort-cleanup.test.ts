// An aborted kernels.start / sessions.create whose request reached the server leaves nothing behind.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { APIUserAbortError, JupyterClient } from 'jupyter-sdk';
import { BASE, KERNEL_ID, SESSION_ID, TOKEN, kernelModel, type S } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () => new JupyterClient({ baseUrl: BASE, token: TOKEN });

/** A POST handler that answers only when `release` is called, and records every request. */
function heldAnswer(reply: () => Response) {
  const log: string[] = [];
  let release!: () => void;
  let arrived!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const reached = new Promise<void>((r) => (arrived = r));
  const record = (request: Request) => log.push(`${request.method} ${new URL(request.url).pathname.replace('/user/ana', '')}`);
  return { log, release, reached, record, hold: async (request: Request) => (record(request), arrived(), await released, reply()) };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
};

const SESSION: S['Session'] = { id: SESSION_ID, path: 'a.ipynb', name: '', type: 'notebook', kernel: kernelModel() };

describe('an aborted kernels.start', () => {
  it('rejects at once with APIUserAbortError, then shuts down the kernel the server started', async () => {
    const h = heldAnswer(() => HttpResponse.json<S['Kernel']>(kernelModel(), { status: 201 }));
    server.use(
      http.post(`${BASE}/api/kernels`, ({ request }) => h.hold(request)),
      http.delete(`${BASE}/api/kernels/:id`, ({ request }) => (h.record(request), new HttpResponse(null, { status: 204 }))),
    );
    const ac = new AbortController();
    const start = client().kernels.start({ name: 'python3' }, { signal: ac.signal }).catch((e: unknown) => e);
    await h.reached;
    ac.abort();
    expect(await start).toBeInstanceOf(APIUserAbortError);
    expect(h.log).toEqual(['POST /api/kernels']);
    h.release();
    await until(() => h.log.length === 2);
    expect(h.log).toEqual(['POST /api/kernels', `DELETE /api/kernels/${KERNEL_ID}`]);
  });

  it('sends nothing when the signal aborted before the call', async () => {
    const err = await client().kernels.start({}, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIUserAbortError);
  });

  it('surfaces no second error when the start then fails, or the shutdown does', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      for (const [startStatus, deleteStatus] of [[500, 204], [201, 500]]) {
        const h = heldAnswer(() => (startStatus === 201 ? HttpResponse.json<S['Kernel']>(kernelModel(), { status: 201 }) : HttpResponse.json({ message: 'boom', reason: null }, { status: 500 })));
        server.use(
          http.post(`${BASE}/api/kernels`, ({ request }) => h.hold(request)),
          http.delete(`${BASE}/api/kernels/:id`, ({ request }) => (h.record(request), HttpResponse.json({ message: 'no', reason: null }, { status: deleteStatus }))),
        );
        const ac = new AbortController();
        const start = client().kernels.start({}, { signal: ac.signal, maxRetries: 0 }).catch((e: unknown) => e);
        await h.reached;
        ac.abort();
        expect(await start).toBeInstanceOf(APIUserAbortError);
        h.release();
        await until(() => h.log.length === (startStatus === 201 ? 2 : 1));
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('an aborted sessions.create', () => {
  it('deletes the new session (and so its kernel)', async () => {
    const h = heldAnswer(() => HttpResponse.json<S['Session']>(SESSION, { status: 201 }));
    server.use(
      http.get(`${BASE}/api/sessions`, () => HttpResponse.json<S['Session'][]>([])),
      http.post(`${BASE}/api/sessions`, ({ request }) => h.hold(request)),
      http.delete(`${BASE}/api/sessions/:id`, ({ request }) => (h.record(request), new HttpResponse(null, { status: 204 }))),
    );
    const ac = new AbortController();
    const create = client().sessions.create({ path: 'a.ipynb', type: 'notebook', kernel: { name: 'python3' } }, { signal: ac.signal }).catch((e: unknown) => e);
    await h.reached;
    ac.abort();
    expect(await create).toBeInstanceOf(APIUserAbortError);
    h.release();
    await until(() => h.log.length === 2);
    expect(h.log).toEqual(['POST /api/sessions', `DELETE /api/sessions/${SESSION_ID}`]);
  });

  it.each([
    ['the path already had (Jupyter Server 1.x answers with it)', [SESSION], { name: 'python3' }],
    ['runs on a kernel that was already running (deleting it would shut that kernel down)', [], { id: KERNEL_ID }],
  ])('leaves alone a session that %s', async (_what, existing, kernel) => {
    const h = heldAnswer(() => HttpResponse.json<S['Session']>(SESSION, { status: 201 }));
    server.use(
      http.get(`${BASE}/api/sessions`, () => HttpResponse.json<S['Session'][]>(existing)),
      http.post(`${BASE}/api/sessions`, ({ request }) => h.hold(request)),
      http.delete(`${BASE}/api/sessions/:id`, ({ request }) => (h.record(request), new HttpResponse(null, { status: 204 }))),
    );
    const ac = new AbortController();
    const create = client().sessions.create({ path: 'a.ipynb', type: 'notebook', kernel }, { signal: ac.signal }).catch((e: unknown) => e);
    await h.reached;
    ac.abort();
    expect(await create).toBeInstanceOf(APIUserAbortError);
    h.release();
    await new Promise((r) => setTimeout(r, 100));
    expect(h.log).toEqual(['POST /api/sessions']);
  });
});
