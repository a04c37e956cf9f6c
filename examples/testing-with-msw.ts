/**
 * Testing your own code with MSW: the client looks fetch up at call time, so handlers apply
 * whenever the mock server starts. No Jupyter server is needed.
 *   npm run example examples/testing-with-msw.ts
 */
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { JupyterClient, NotFoundError, type Kernel } from 'jupyter-sdk';

const kernel: Kernel = { id: '0b6d2b0a-3f6e-4c8e-9a57-1d2c3b4a5f60', name: 'python3', last_activity: '2026-11-22T05:00:00.000000Z', execution_state: 'idle', connections: 0 };
const server = setupServer(
  http.get('http://jupyter.test/api/kernels', () => HttpResponse.json<Kernel[]>([kernel])),
  http.get('http://jupyter.test/api/contents/*', () => HttpResponse.json({ message: 'file or directory does not exist', reason: null }, { status: 404 })),
);
server.listen({ onUnhandledRequest: 'error' });

const jupyter = new JupyterClient({ baseUrl: 'http://jupyter.test', token: 't' });
try {
  console.log('kernels:', (await jupyter.kernels.list()).map((k) => k.name));
  await jupyter.contents.get('missing.ipynb').catch((err: unknown) => {
    if (!(err instanceof NotFoundError)) throw err;
    console.log('not found:', err.serverMessage);
  });
} finally {
  server.close();
}
