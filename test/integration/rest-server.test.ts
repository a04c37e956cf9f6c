// Server-level REST calls, identity, kernelspecs and config against the real Jupyter Server
// (1.23 in the `integration` project, 2.x in `integration-2x`).
import { randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { JupyterClient, NotFoundError, PermissionDeniedError, InvalidArgumentError, type APIError } from 'jupyter-sdk';
import { startJupyterServer } from 'jupyter-sdk/server';

const { url, token, python, version, major } = inject('jupyter');
const jupyter = new JupyterClient({ baseUrl: url, token });

describe('server', () => {
  it('status returns counts and ISO timestamps', async () => {
    const status = await jupyter.status();
    expect(status.kernels).toEqual(expect.any(Number));
    expect(status.connections).toEqual(expect.any(Number));
    expect(Number.isNaN(Date.parse(status.started))).toBe(false);
    expect(Number.isNaN(Date.parse(status.last_activity))).toBe(false);
  });

  it('version returns the version of the jupyter_server package the server runs', async () => {
    expect(await jupyter.version()).toEqual({ version });
    expect(version).toMatch(major === 1 ? /^1\.23\./ : /^2\.\d+\.\d+$/);
  });

  it('nbconvertExporters lists the exporters with their output types', async () => {
    const exporters = await jupyter.nbconvertExporters();
    expect(exporters.html).toEqual({ output_mimetype: 'text/html' });
    expect(exporters.notebook).toEqual({ output_mimetype: 'application/json' });
  });

  it("apiSpec returns the server's own Swagger description as YAML text", async () => {
    const text = await jupyter.apiSpec();
    expect(text).toMatch(/^swagger: "2\.0"/m);
    expect(text).toContain('/api/contents/{path}');
  });

  it('keeps the token out of the error for the HTML 404 page, which embeds the token', async () => {
    // A kernel id that is not UUID-shaped matches no route: the HTML page, on 1.x and 2.x.
    const err = (await jupyter.kernels.get('not-a-uuid').catch((e: unknown) => e)) as NotFoundError;
    expect(err).toBeInstanceOf(NotFoundError);
    expect(typeof err.body).toBe('string');
    // The page carries data-jupyter-api-token and a ?token= link; both must be scrubbed.
    expect(err.body as string).toContain('data-jupyter-api-token');
    for (const text of [err.message, err.url, err.body as string, JSON.stringify(err), String(err), String(err.stack)]) {
      expect(text).not.toContain(token);
    }
  });

  it('keeps the login cookie of an error reply out of the error: it works as well as the token', async () => {
    // A client of its own: the server sets the cookie on the first answer to a client without it.
    const fresh = new JupyterClient({ baseUrl: url, token });
    const err = (await fresh.contents.get('no-such-file.txt').catch((e: unknown) => e)) as APIError;
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.headers['set-cookie']).toBe('***');
    expect(JSON.stringify(err)).not.toMatch(/username-127-0-0-1-\d+=/);
  });

  it('keeps a token with characters the HTML page escapes or encodes out of every error', async () => {
    const odd = `a&b<c>d"e f'g+h/i%j-${randomBytes(4).toString('hex')}`;
    const server = await startJupyterServer({ token: odd, python });
    try {
      const c = new JupyterClient({ baseUrl: server.url, token: odd });
      expect((await c.version()).version).toBe(version);
      const errors = [await c.kernels.get('not-a-uuid').catch((e: unknown) => e), await c.kernels.get('00000000-0000-0000-0000-000000000000').catch((e: unknown) => e)];
      expect(errors.map((e) => (e as Error).name)).toEqual(['NotFoundError', 'NotFoundError']);
      // The page embeds it percent-encoded in an attribute and HTML-escaped in links.
      expect((errors[0] as APIError).body as string).toContain('data-jupyter-api-token');
      const parts = odd.split(/[&<>"' +/%]/).filter((p) => p.length >= 1);
      for (const e of errors) {
        const text = JSON.stringify(e) + String((e as Error).stack);
        for (const form of [odd, encodeURIComponent(odd), odd.replace(/&/g, '&amp;').replace(/"/g, '&quot;')]) expect(text).not.toContain(form);
        expect(text).not.toContain(parts.at(-1));
      }
    } finally {
      await server.stop();
    }
  });

  it('throws PermissionDeniedError "403 Forbidden" with a wrong token', async () => {
    const wrong = new JupyterClient({ baseUrl: url, token: 'not-the-token' });
    const err = await wrong.status().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect(err).toMatchObject({ status: 403, message: '403 Forbidden', serverMessage: 'Forbidden' });
    expect(JSON.stringify(err)).not.toContain('not-the-token');
  });

  it('throws PermissionDeniedError without a token', async () => {
    await expect(new JupyterClient({ baseUrl: url }).kernels.list()).rejects.toBeInstanceOf(PermissionDeniedError);
  });

  it('accepts a token from an async function', async () => {
    const c = new JupyterClient({ baseUrl: url, token: async () => token });
    expect((await c.version()).version).toBe(version);
    expect((await c.status()).kernels).toEqual(expect.any(Number));
  });

  it('works with the URL printed by `jupyter server list` (base URL with /?token=)', async () => {
    const c = new JupyterClient({ baseUrl: `${url}/?token=${token}` });
    expect((await c.status()).kernels).toEqual(expect.any(Number));
  });
});

describe('the escape hatch, jupyter.api', () => {
  it('is authenticated like the SDK: GET /api/kernels answers 200 with the typed list, a wrong token 403', async () => {
    const { data, error, response } = await new JupyterClient({ baseUrl: url, token: async () => token }).api.GET('/api/kernels');
    expect(response.status).toBe(200);
    expect(error).toBeUndefined();
    expect(Array.isArray(data)).toBe(true);
    const refused = await new JupyterClient({ baseUrl: url, token: 'wrong-token-123' }).api.GET('/api/kernels');
    expect(refused.response.status).toBe(403);
  });
});

describe('kernelspecs', () => {
  it('list returns the default python3 kernelspec', async () => {
    const specs = await jupyter.kernelspecs.list();
    expect(specs.default).toBe('python3');
    const py = specs.kernelspecs.python3!;
    expect(py.name).toBe('python3');
    expect(py.spec.language).toBe('python');
    expect(py.spec.argv).toContain('ipykernel_launcher');
    expect(py.resources['logo-svg']).toMatch(/^\/kernelspecs\/python3\//);
  });

  it('get returns one kernelspec', async () => {
    const spec = await jupyter.kernelspecs.get('python3');
    expect(spec.name).toBe('python3');
    expect(spec.spec.display_name).toEqual(expect.any(String));
  });

  it('get throws NotFoundError with the server message for an unknown kernelspec', async () => {
    const err = await jupyter.kernelspecs.get('nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).serverMessage).toBe('Kernel spec nope not found');
  });
});

describe('config', () => {
  // A section of our own: the config dir is shared by every integration file.
  const section = `rest_${randomBytes(6).toString('hex')}`;

  it('get returns {} for a section never written', async () => {
    expect(await jupyter.config.get(section + '_unset')).toEqual({});
  });

  it('update deep-merges, null deletes a key, and get reads the result back', async () => {
    expect(await jupyter.config.update(section, { a: { b: 1, c: 2 }, keep: 'é #?' })).toEqual({ a: { b: 1, c: 2 }, keep: 'é #?' });
    expect(await jupyter.config.update(section, { a: { b: null, d: 3 } })).toEqual({ a: { c: 2, d: 3 }, keep: 'é #?' });
    expect(await jupyter.config.get(section)).toEqual({ a: { c: 2, d: 3 }, keep: 'é #?' });
  });

  it('replace overwrites the whole section', async () => {
    await jupyter.config.update(section, { old: true });
    await expect(jupyter.config.replace(section, { fresh: [1, 2] })).resolves.toBeUndefined();
    expect(await jupyter.config.get(section)).toEqual({ fresh: [1, 2] });
    await jupyter.config.replace(section, {});
    expect(await jupyter.config.get(section)).toEqual({});
  });

  it('refuses a section name the server cannot route before sending it', async () => {
    await expect(jupyter.config.get('bad.name')).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
