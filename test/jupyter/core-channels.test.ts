// The kernel channel of a resource built from a bare JupyterCore, against the fake server of the
// kernel tests (no MSW here: it would intercept the socket's handshake).
import { describe, expect, it } from 'vitest';
import { JupyterCore, KernelsResource } from 'jupyter-sdk';
import { startFakeServer, type FakeServer } from '../kernel/fake-kernel.js';

describe('KernelsResource built from a JupyterCore', () => {
  it('opens a kernel channel with the core\'s URL and token', async () => {
    let fake: FakeServer | undefined;
    try {
      fake = await startFakeServer();
      const core = new JupyterCore({ baseUrl: fake.url, token: fake.token });
      const kernel = await new KernelsResource(core).connect('k');
      try {
        expect((await kernel.run('1+1')).status).toBe('ok');
      } finally {
        await kernel.close();
      }
    } finally {
      await fake?.close();
    }
  });
});
