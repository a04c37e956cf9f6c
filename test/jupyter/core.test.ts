import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { HttpResponse } from 'msw';
import {
  CheckpointsResource,
  ConfigResource,
  ContentsResource,
  EventsResource,
  InvalidArgumentError,
  JupyterClient,
  JupyterCore,
  KernelSpecsResource,
  KernelsResource,
  NotFoundError,
  SessionsResource,
  TerminalsResource,
} from 'jupyter-sdk';
import { BASE, TOKEN, dirModel, fileModel, kernelModel, recordAll, sessionModel, type S, type Seen } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const line = (s: Seen) => `${s.method} ${s.path}`;

describe('JupyterCore and the resources built from it', () => {
  it('holds no resources of its own', () => {
    const core = new JupyterCore({ baseUrl: BASE, token: TOKEN });
    for (const name of ['contents', 'checkpoints', 'kernels', 'kernelspecs', 'sessions', 'terminals', 'config', 'events', 'status', 'me']) {
      expect(core, name).not.toHaveProperty(name);
    }
    expect(core.baseUrl).toBe(BASE);
  });

  it('sends every resource call with the core\'s token, headers and base URL', async () => {
    const seen: Seen[] = [];
    server.use(
      recordAll(seen, ({ path }) => {
        if (path.endsWith('/api/kernels')) return HttpResponse.json<S['Kernel']>(kernelModel(), { status: 201 });
        if (path.endsWith('/api/sessions')) return HttpResponse.json<S['Session'][]>([sessionModel()]);
        return HttpResponse.json<S['DirectoryContents']>(dirModel('', [fileModel('a.txt')]));
      }),
    );
    const core = new JupyterCore({ baseUrl: BASE, token: TOKEN, headers: { 'x-app': 'bare' } });
    const kernels = new KernelsResource(core);
    expect((await kernels.start({ name: 'python3' })).name).toBe('python3');
    expect((await new ContentsResource(core).list('')).map((e) => e.name)).toEqual(['a.txt']);
    expect(await new SessionsResource(core).list()).toHaveLength(1);
    expect(seen.map(line)).toEqual(['POST /user/ana/api/kernels', 'GET /user/ana/api/contents', 'GET /user/ana/api/sessions']);
    for (const s of seen) expect(s.headers).toMatchObject({ authorization: `token ${TOKEN}`, 'x-app': 'bare' });
  });

  it('takes a ?token= in the base URL as the token, as JupyterClient does, and keeps it out of the request URL', async () => {
    const seen: Seen[] = [];
    server.use(recordAll(seen, () => HttpResponse.json<S['Kernel'][]>([])));
    await new KernelsResource(new JupyterCore({ baseUrl: `${BASE}?token=${TOKEN}` })).list();
    expect(seen[0]!.headers.authorization).toBe(`token ${TOKEN}`);
    expect(seen[0]!.query).toEqual({});
  });

  it('throws the same typed errors as JupyterClient', async () => {
    server.use(recordAll([], () => HttpResponse.json({ message: 'Kernel does not exist: k' }, { status: 404 })));
    const kernels = new KernelsResource(new JupyterCore({ baseUrl: BASE, token: TOKEN }));
    await expect(kernels.get('k')).rejects.toThrow(NotFoundError);
  });

  it('refuses to build a resource from anything but a JupyterCore', () => {
    for (const Resource of [ContentsResource, CheckpointsResource, KernelsResource, KernelSpecsResource, SessionsResource, TerminalsResource, ConfigResource, EventsResource]) {
      expect(() => new Resource({ baseUrl: BASE } as unknown as JupyterCore), Resource.name).toThrow(InvalidArgumentError);
    }
  });

  it('is what JupyterClient is built on: a JupyterCore whose resources are the exported classes', () => {
    const jupyter = new JupyterClient({ baseUrl: BASE, token: TOKEN });
    expect(jupyter).toBeInstanceOf(JupyterCore);
    expect(jupyter.contents).toBeInstanceOf(ContentsResource);
    expect(jupyter.checkpoints).toBeInstanceOf(CheckpointsResource);
    expect(jupyter.kernels).toBeInstanceOf(KernelsResource);
    expect(jupyter.kernelspecs).toBeInstanceOf(KernelSpecsResource);
    expect(jupyter.sessions).toBeInstanceOf(SessionsResource);
    expect(jupyter.terminals).toBeInstanceOf(TerminalsResource);
    expect(jupyter.config).toBeInstanceOf(ConfigResource);
    expect(jupyter.events).toBeInstanceOf(EventsResource);
  });
});
