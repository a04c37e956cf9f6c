import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { HttpResponse } from 'msw';
import { InvalidArgumentError, JupyterClient } from 'jupyter-sdk';
import { BASE, KERNEL_ID, TOKEN, kernelModel, kernelSpecModel, recordAll, type S, type Seen } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () => new JupyterClient({ baseUrl: BASE, token: TOKEN });
const line = (s: Seen) => `${s.method} ${s.path}`;

describe('kernels', () => {
  it('list sends GET /api/kernels and returns the kernels', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Kernel'][]>([kernelModel(), kernelModel({ id: 'k2', name: 'ir' })])));
    const kernels = await client().kernels.list();
    expect(seen.map(line)).toEqual(['GET /user/ana/api/kernels']);
    expect(kernels.map((k) => k.name)).toEqual(['python3', 'ir']);
  });

  it('get sends GET /api/kernels/{id} and returns the kernel', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Kernel']>(kernelModel({ execution_state: 'busy' }))));
    const k = await client().kernels.get(KERNEL_ID);
    expect(seen.map(line)).toEqual([`GET /user/ana/api/kernels/${KERNEL_ID}`]);
    expect(k).toMatchObject({ id: KERNEL_ID, execution_state: 'busy' });
  });

  it('encodes an id with reserved characters as one segment', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Kernel']>(kernelModel())));
    await client().kernels.get('a b#?%é');
    expect(seen.map(line)).toEqual(['GET /user/ana/api/kernels/a%20b%23%3F%25%C3%A9']);
  });

  it('start POSTs {name, path} to /api/kernels and returns the new kernel', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Kernel']>(kernelModel({ execution_state: 'starting' }), { status: 201 })));
    const k = await client().kernels.start({ name: 'python3', path: 'my dir' });
    expect(seen).toMatchObject([{ method: 'POST', path: '/user/ana/api/kernels', body: { name: 'python3', path: 'my dir' } }]);
    expect(k.execution_state).toBe('starting');
  });

  it('start without params POSTs an empty object for the default kernel', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Kernel']>(kernelModel(), { status: 201 })));
    await client().kernels.start();
    expect(seen[0]!.body).toEqual({});
  });

  it('interrupt POSTs to /interrupt and resolves to undefined on 204', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => new HttpResponse(null, { status: 204 })));
    await expect(client().kernels.interrupt(KERNEL_ID)).resolves.toBeUndefined();
    expect(seen.map(line)).toEqual([`POST /user/ana/api/kernels/${KERNEL_ID}/interrupt`]);
  });

  it('restart POSTs to /restart and returns the restarted kernel', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Kernel']>(kernelModel({ execution_state: 'idle' }))));
    const k = await client().kernels.restart(KERNEL_ID);
    expect(seen.map(line)).toEqual([`POST /user/ana/api/kernels/${KERNEL_ID}/restart`]);
    expect(k.id).toBe(KERNEL_ID);
  });

  it('shutdown sends DELETE /api/kernels/{id} and resolves to undefined on 204', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => new HttpResponse(null, { status: 204 })));
    await expect(client().kernels.shutdown(KERNEL_ID)).resolves.toBeUndefined();
    expect(seen.map(line)).toEqual([`DELETE /user/ana/api/kernels/${KERNEL_ID}`]);
  });

  describe.each([
    ['get', (c: JupyterClient, id: string) => c.kernels.get(id)],
    ['interrupt', (c: JupyterClient, id: string) => c.kernels.interrupt(id)],
    ['restart', (c: JupyterClient, id: string) => c.kernels.restart(id)],
    ['shutdown', (c: JupyterClient, id: string) => c.kernels.shutdown(id)],
  ])('%s', (_name, call) => {
    it.each(['', '   ', 'a/b', '.', '..', undefined as unknown as string])('refuses the kernel id %j before any request', async (id) => {
      const seen: Seen[] = [];
      server.use(recordAll(seen, () => HttpResponse.json({})));
      await expect(call(client(), id)).rejects.toBeInstanceOf(InvalidArgumentError);
      expect(seen).toEqual([]);
    });
  });
});

describe('kernelspecs', () => {
  it('list sends GET /api/kernelspecs and returns the default and the specs', async () => {
    const seen: Seen[] = [];
    server.use(
      recordAll(seen, () => HttpResponse.json<S['KernelSpecs']>({ default: 'python3', kernelspecs: { python3: kernelSpecModel() } })),
    );
    const specs = await client().kernelspecs.list();
    expect(seen.map(line)).toEqual(['GET /user/ana/api/kernelspecs']);
    expect(specs.default).toBe('python3');
    expect(specs.kernelspecs.python3?.spec.language).toBe('python');
  });

  it('get sends GET /api/kernelspecs/{name} with the name encoded', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['KernelSpec']>(kernelSpecModel('my env'))));
    const spec = await client().kernelspecs.get('my env');
    expect(seen.map(line)).toEqual(['GET /user/ana/api/kernelspecs/my%20env']);
    expect(spec.resources['logo-svg']).toBe('/kernelspecs/my env/logo-svg.svg');
  });

  it('refuses an empty kernelspec name before any request', async () => {
    await expect(client().kernelspecs.get('')).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
