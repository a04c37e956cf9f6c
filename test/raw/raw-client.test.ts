import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { JupyterClient } from 'jupyter-sdk';
import { createRawClient, type components } from 'jupyter-sdk/raw';

const BASE = 'http://jupyter.test/user/ana';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('createRawClient', () => {
  it('sends the token and keeps "/" between encoded path segments', async () => {
    let seen: { url: string; auth: string | null } | undefined;
    server.use(
      http.get(`${BASE}/api/contents/*`, ({ request }) => {
        seen = { url: request.url, auth: request.headers.get('authorization') };
        return HttpResponse.json<components['schemas']['Contents']>({
          name: 'b c#.txt', path: 'a/b c#.txt', type: 'file', writable: true, created: 'x',
          last_modified: 'x', mimetype: 'text/plain', format: 'text', content: 'hi', size: 2,
        });
      }),
    );
    const raw = createRawClient(new JupyterClient({ baseUrl: BASE, token: async () => 'tok-123' }));
    const { data, error } = await raw.GET('/api/contents/{path}', { params: { path: { path: 'a/b c#.txt' } } });
    expect(error).toBeUndefined();
    expect(data?.name).toBe('b c#.txt');
    expect(seen).toEqual({ url: `${BASE}/api/contents/a/b%20c%23.txt`, auth: 'token tok-123' });
  });

  it('returns the error body instead of throwing', async () => {
    server.use(http.get(`${BASE}/api/kernels/:id`, () => HttpResponse.json({ message: 'Kernel does not exist', reason: null }, { status: 404 })));
    const raw = createRawClient(new JupyterClient({ baseUrl: BASE, token: 't0k3n' }));
    const { data, error, response } = await raw.GET('/api/kernels/{kernel_id}', { params: { path: { kernel_id: 'k/1' } } });
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(response.url).toBe(`${BASE}/api/kernels/k%2F1`);
    expect(error).toMatchObject({ message: 'Kernel does not exist' });
  });

  it('sends the query of the base URL with every request, as JupyterClient does', async () => {
    const urls: string[] = [];
    server.use(http.get(`${BASE}/api/kernels`, ({ request }) => (urls.push(request.url), HttpResponse.json([]))));
    const jupyter = new JupyterClient({ baseUrl: `${BASE}?proxy=1&x=a%20b`, token: 't0k3n' });
    await createRawClient(jupyter).GET('/api/kernels');
    await jupyter.kernels.list();
    expect(urls).toEqual([`${BASE}/api/kernels?proxy=1&x=a+b`, `${BASE}/api/kernels?proxy=1&x=a+b`]);
  });
});
