// What the client does about Jupyter Server 2.x answers that say less than 1.x's (MSW): identity
// with permissions, unknown kernel names, content hashes of directories.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { InternalServerError, InvalidArgumentError, JupyterClient, NotFoundError, type APIError } from 'jupyter-sdk';
import { BASE, TOKEN, dirModel, errorJson, fileModel, kernelSpecModel, recordAll, type S, type Seen } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () => new JupyterClient({ baseUrl: BASE, token: TOKEN });
const me: S['Me'] = { identity: { username: 'u1', name: 'Anonymous Io', display_name: 'Anonymous Io', initials: 'AI', avatar_url: null, color: null }, permissions: {} };
/** 2.x's answer to an uncaught exception: the traceback is always empty. */
const unhandled = () => errorJson(500, { message: 'Unhandled error', reason: null, traceback: '' });

describe('me', () => {
  it('me() and me(options) send no permissions; me({ permissions }, options) sends them as JSON', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json(me)));
    const jupyter = client();
    await jupyter.me();
    await jupyter.me({ timeout: 5000, headers: { 'x-trace': '1' } });
    await jupyter.me({ permissions: { contents: ['read', 'write'], kernels: ['execute'] } }, { headers: { 'x-trace': '2' } });
    await jupyter.me({ permissions: { events: ['read'] } });
    expect(seen.map((s) => [s.path, s.query, s.headers['x-trace']])).toEqual([
      ['/user/ana/api/me', {}, undefined],
      ['/user/ana/api/me', {}, '1'],
      ['/user/ana/api/me', { permissions: '{"contents":["read","write"],"kernels":["execute"]}' }, '2'],
      ['/user/ana/api/me', { permissions: '{"events":["read"]}' }, undefined],
    ]);
  });

  it('me(options) keeps the abort signal of a one-argument call', async () => {
    server.use(http.get(`${BASE}/api/me`, () => new Promise<Response>(() => {})));
    const controller = new AbortController();
    const call = client().me({ signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'APIUserAbortError' });
  });

  it('refuses a bag that mixes permissions with request options, or holds unknown keys, or bad permissions', async () => {
    const jupyter = client();
    const bad: unknown[][] = [
      [{ permissions: { contents: ['read'] }, signal: new AbortController().signal }],
      [{ permission: { contents: ['read'] } }],
      [{ timeout: 1 }, { timeout: 2 }],
      [{ permissions: { contents: 'read' } }],
      [{ permissions: ['contents'] }],
      ['contents'],
    ];
    for (const args of bad) await expect((jupyter.me as (...a: unknown[]) => Promise<unknown>)(...args)).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('throws NotFoundError on 1.x (an HTML 404 page)', async () => {
    server.use(http.get(`${BASE}/api/me`, () => new HttpResponse('<html><h1>404 : Not Found</h1></html>', { status: 404, headers: { 'content-type': 'text/html' } })));
    await expect(client().me()).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('errors that name what was asked', () => {
  it('kernels.start: 2.x\'s bare "500 Unhandled error" for an unknown name says there is no such kernelspec and lists those there are', async () => {
    server.use(
      http.post(`${BASE}/api/kernels`, unhandled),
      http.get(`${BASE}/api/kernelspecs`, () => HttpResponse.json<S['KernelSpecs']>({ default: 'python3', kernelspecs: { python3: kernelSpecModel(), ir: kernelSpecModel('ir') } })),
    );
    const err = (await client().kernels.start({ name: 'julia' }).catch((e: unknown) => e)) as InternalServerError;
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err.message).toBe("500 Unhandled error (no kernelspec named 'julia' on this server; it has ir, python3)");
    expect(err).toMatchObject({ status: 500, serverMessage: 'Unhandled error', method: 'POST', url: `${BASE}/api/kernels`, body: { traceback: '' } });
  });

  it('kernels.start: a known kernelspec that fails to start is named as the one being started', async () => {
    server.use(
      http.post(`${BASE}/api/kernels`, unhandled),
      http.get(`${BASE}/api/kernelspecs`, () => HttpResponse.json<S['KernelSpecs']>({ default: 'python3', kernelspecs: { python3: kernelSpecModel() } })),
    );
    await expect(client().kernels.start({ name: 'python3' })).rejects.toThrow("500 Unhandled error (starting kernel 'python3')");
  });

  it('kernels.start: a message that already names the kernel (1.x\'s traceback) is left as it is, with no extra request', async () => {
    const seen: Seen[] = [];
    server.use(
      recordAll(seen, () => errorJson(500, { message: 'Unhandled error', reason: null, traceback: 'Traceback ...\njupyter_client.kernelspec.NoSuchKernel: No such kernel named julia\n' })),
    );
    await expect(client().kernels.start({ name: 'julia' })).rejects.toThrow('500 Unhandled error (jupyter_client.kernelspec.NoSuchKernel: No such kernel named julia)');
    expect(seen.map((s) => s.path)).toEqual(['/user/ana/api/kernels']);
  });

  it('checkpoints.restore names the checkpoint and the file, and says when the file has no such checkpoint', async () => {
    server.use(
      http.post(`${BASE}/api/contents/*`, unhandled),
      http.get(`${BASE}/api/contents/*`, () => HttpResponse.json<S['Checkpoint'][]>([{ id: 'checkpoint', last_modified: '2026-11-22T05:00:00Z' }])),
    );
    await expect(client().checkpoints.restore('a/b.txt', 'nope')).rejects.toThrow("500 Unhandled error (no checkpoint 'nope' of 'a/b.txt')");
    await expect(client().checkpoints.restore('a/b.txt', 'checkpoint')).rejects.toThrow("500 Unhandled error (restoring checkpoint 'checkpoint' of 'a/b.txt')");
  });

  it('keeps the class and every field of the server\'s error', async () => {
    server.use(http.post(`${BASE}/api/contents/*`, () => errorJson(503, { message: 'Unhandled error', reason: 'busy' }, { 'retry-after': '1' })));
    const err = (await client().checkpoints.create('x.txt', { maxRetries: 0 }).catch((e: unknown) => e)) as APIError;
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err).toMatchObject({ status: 503, serverMessage: 'Unhandled error', reason: 'busy', headers: { 'retry-after': '1' } });
    expect(err.message).toBe("503 Unhandled error (creating a checkpoint of 'x.txt')");
  });
});

describe('contents hashes', () => {
  it('asks for the hash of a file and returns it', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json(fileModel('a.txt', { hash: 'abc', hash_algorithm: 'sha256' }))));
    const model = await client().contents.get('a.txt', { hash: true });
    expect(seen.map((s) => s.query)).toEqual([{ hash: '1' }]);
    expect(model).toMatchObject({ hash: 'abc', hash_algorithm: 'sha256' });
  });

  it('never asks for the root or a path asked as a directory', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json(dirModel('', []))));
    await client().contents.get('', { hash: true });
    await client().contents.get('d', { hash: true, type: 'directory' });
    await client().contents.list('d');
    expect(seen.map((s) => s.query)).toEqual([{}, { type: 'directory' }, { type: 'directory' }]);
  });

  it("asks again without hash when 2.20/2.21 refuse a directory's hash with 500 Keys unexpectedly None", async () => {
    const seen: Seen[] = [];
    server.use(
      recordAll(seen, (s) =>
        s.query.hash ? errorJson(500, { message: "Keys unexpectedly None: ['hash', 'hash_algorithm']", reason: null }) : HttpResponse.json(dirModel('d', [])),
      ),
    );
    const model = await client().contents.get('d', { hash: true, content: false });
    expect(model.type).toBe('directory');
    expect(seen.map((s) => s.query)).toEqual([{ content: '0', hash: '1' }, { content: '0' }]);
  });

  it('does not retry other 500s of a hashed get', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => errorJson(500, { message: 'disk on fire', reason: null })));
    await expect(client().contents.get('a.txt', { hash: true }, { maxRetries: 0 })).rejects.toThrow('500 disk on fire');
    expect(seen).toHaveLength(1);
  });
});
