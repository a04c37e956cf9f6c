// Answers that are not what the API sends, from a real HTTP server written here: a 200 that is not
// JSON (garbage, cut short, an HTML page, nothing), a redirect to a login page (what a JupyterHub
// user server answers a bad token with once the server stopped), and paths no URL can carry.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { AuthenticationError, InvalidArgumentError, InvalidResponseError, JupyterClient } from 'jupyter-sdk';

const TOKEN = 'tok-7c2e9a41f0b3';
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_req, res) => res.end();
const requests: string[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = () => new JupyterClient({ baseUrl: `${base}/user/ana`, token: TOKEN, maxRetries: 2 });
const answer = (status: number, type: string | undefined, body: string, headers: Record<string, string> = {}): Handler => (_req, res) => {
  res.writeHead(status, { ...(type ? { 'content-type': type } : {}), ...headers });
  res.end(body);
};
async function failure(call: Promise<unknown>): Promise<Error> {
  const outcome = await call.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if ('value' in outcome) throw new Error(`resolved with ${JSON.stringify(outcome.value)}`);
  return outcome.error as Error;
}

const LOGIN_PAGE = `<!DOCTYPE html><html><head><title>JupyterHub</title></head><body>
<form action="/hub/login?next=%2Fuser%2Fana%2Fapi%2Fkernels" method="post">
<input type="text" name="username"><input type="password" name="password"><button>Sign in</button></form></body></html>`;

describe('a 2xx answer that is not the JSON it should be', () => {
  it.each([
    ['garbage labelled application/json', answer(200, 'application/json', 'this is not json'), 'application/json'],
    ['a truncated JSON body', answer(200, 'application/json', '[{"id": "k1", "name": "pyth'), 'application/json'],
    ['an HTML page', answer(200, 'text/html', '<html><body><h1>Welcome to nginx!</h1></body></html>'), 'text/html'],
  ])('rejects %s with InvalidResponseError carrying status, URL and an excerpt, and does not retry', async (_what, h, type) => {
    handler = h;
    requests.length = 0;
    const err = await failure(client().kernels.list());
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err).toMatchObject({ status: 200, method: 'GET', url: `${base}/user/ana/api/kernels` });
    expect(err.message).toMatch(new RegExp(`^200 GET ${base}/user/ana/api/kernels answered ${type} that is not JSON: ".+"$`));
    expect(requests).toHaveLength(1);
  });

  it('rejects an empty 200 where a model is due, for a list and for a file', async () => {
    handler = answer(200, 'application/json', '');
    for (const call of [client().kernels.list(), client().contents.get('a.txt')]) {
      const err = await failure(call);
      expect(err).toBeInstanceOf(InvalidResponseError);
      expect(err.message).toMatch(/answered with an empty body where JSON was due$/);
    }
  });

  it('cuts the excerpt short and keeps the token out of it', async () => {
    handler = answer(200, 'text/plain', `echo ${TOKEN} ${'x'.repeat(500)}`);
    const err = await failure(client().kernels.list());
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err.message.length).toBeLessThan(300);
    expect(inspect(err, { depth: 5 })).not.toContain(TOKEN);
  });

  it('still resolves a 204 without a body where the spec allows one', async () => {
    handler = answer(204, undefined, '');
    await expect(client().kernels.shutdown('k1')).resolves.toBeUndefined();
  });
});

describe('a login page where the API should have answered', () => {
  it('is AuthenticationError after a 302 -> 302 -> 200 text/html chain to the login form (a stopped JupyterHub user server)', async () => {
    handler = (req, res) => {
      if (req.url!.startsWith('/user/ana/')) answer(302, undefined, '', { location: `/hub/user/ana/api/kernels?token=${TOKEN}` })(req, res);
      else if (req.url!.startsWith('/hub/user/')) answer(302, undefined, '', { location: '/hub/login?next=%2Fhub%2Fuser%2Fana%2Fapi%2Fkernels' })(req, res);
      else answer(200, 'text/html; charset=UTF-8', LOGIN_PAGE)(req, res);
    };
    const err = await failure(client().kernels.list());
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err).toMatchObject({ status: 200, method: 'GET', url: `${base}/user/ana/api/kernels` });
    expect(err.message).toMatch(/was answered with a login page \(redirected to .*\/hub\/login\?next=.*\): the token is missing, wrong or expired$/);
    expect(inspect(err, { depth: 5 })).not.toContain(TOKEN);
  });

  it('is AuthenticationError for a login form answered directly, also for a call that resolves to nothing', async () => {
    handler = answer(200, 'text/html', LOGIN_PAGE);
    expect(await failure(client().kernels.list())).toBeInstanceOf(AuthenticationError);
    expect(await failure(client().kernels.shutdown('k1'))).toBeInstanceOf(AuthenticationError);
    expect(await failure(client().apiSpec())).toBeInstanceOf(AuthenticationError);
  });

  it('is AuthenticationError for a redirect to /login even when the page is not a form', async () => {
    handler = (req, res) =>
      req.url!.startsWith('/login') ? answer(200, 'text/html', '<html>Sign in</html>')(req, res) : answer(302, undefined, '', { location: '/login?next=x' })(req, res);
    expect(await failure(client().status())).toBeInstanceOf(AuthenticationError);
  });
});

describe('paths no URL can carry', () => {
  it.each([
    ['contents.get', (c: JupyterClient) => c.contents.get('notes/\uD83Dsplit.txt')],
    ['contents.rename (target)', (c: JupyterClient) => c.contents.rename('a.txt', 'b\uDC00.txt')],
    ['contents.upload', (c: JupyterClient) => c.contents.upload('x\uD800', 'data')],
    ['kernels.get', (c: JupyterClient) => c.kernels.get('k\uDFFF')],
    ['sessions.delete', (c: JupyterClient) => c.sessions.delete('\uD800')],
    ['checkpoints.list', (c: JupyterClient) => c.checkpoints.list('\uDBFFa.ipynb')],
    ['kernels.connect', (c: JupyterClient) => c.kernels.connect('\uD800')],
  ])('%s with a lone UTF-16 surrogate throws InvalidArgumentError before any request', async (_what, call) => {
    const fetch = vi.fn(async () => Response.json({}));
    const err = await failure(call(new JupyterClient({ baseUrl: base, token: TOKEN, fetch })));
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err.message).toMatch(/lone UTF-16 surrogate/);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('still sends paths whose surrogates are paired (emoji)', async () => {
    handler = answer(200, 'application/json', JSON.stringify({ name: '😀.txt', path: 'd/😀.txt', type: 'file', writable: true, created: 'x', last_modified: 'x', mimetype: null, format: 'text', content: '', size: 0 }));
    requests.length = 0;
    await client().contents.get('d/😀.txt');
    expect(requests).toEqual(['GET /user/ana/api/contents/d/%F0%9F%98%80.txt']);
  });
});
