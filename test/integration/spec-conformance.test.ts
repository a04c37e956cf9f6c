// Holds spec/jupyter-server.yaml to what the real Jupyter Server sends (1.23 and 2.x, one per project): every SDK call of a
// tour through the REST API (successes and the errors the server gives) is captured by
// openapi-fetch middleware on the client's one openapi-fetch client, and each answer's status and
// body are validated against the spec's response schema for that operation.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { JupyterClient } from 'jupyter-sdk';
import { SpecValidator } from '../support/spec-validator.js';

const { url, token } = inject('jupyter');
const spec = new SpecValidator('jupyter-server.yaml');

interface Answer {
  method: string;
  path: string;
  status: number;
  type: string | null;
  body: unknown;
}

// Operations a fetch-based REST tour cannot reach, with why.
const UNREACHABLE: Record<string, string> = {
  'GET /api/kernels/{kernel_id}/channels': 'a WebSocket upgrade (checked by the kernel channel tests)',
  'GET /terminals/websocket/{terminal_id}': 'a WebSocket upgrade (checked by the terminal tests)',
  'GET /api/notebooks/{path}': 'a redirect to /api/contents that fetch follows (checked in rest-server.test.ts)',
  'GET /api/events/subscribe': 'a WebSocket upgrade (checked by the events tests)',
};

const answers: Answer[] = [];
const failed = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e as Error).constructor.name);

beforeAll(async () => {
  const jupyter = new JupyterClient({ baseUrl: url, token, maxRetries: 0 });
  jupyter.api.use({
    async onResponse({ schemaPath, request, response }) {
      const text = await response.clone().text();
      let body: unknown = text === '' ? undefined : text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: validated as text against the declared content type.
      }
      answers.push({ method: request.method, path: schemaPath, status: response.status, type: response.headers.get('content-type'), body });
      return undefined;
    },
  });
  const dir = `conformance-${randomBytes(3).toString('hex')} é#?%`;

  await jupyter.status();
  await jupyter.version();
  await jupyter.nbconvertExporters();
  await jupyter.apiSpec();
  await failed(jupyter.me());
  await failed(jupyter.me({ permissions: { contents: ['read'] } }));
  // Events: 204 and 400 on 2.x, the HTML 404 on 1.x.
  await failed(jupyter.events.emit({ schema_id: 'https://events.jupyter.org/jupyter_server/contents_service/v1', version: 1, data: { action: 'get', path: 'conformance' } }));
  await failed(jupyter.events.emit({ schema_id: 'https://example.org/not-registered/v1', version: 1, data: {} }));

  // Contents, from the root and in a folder, with the errors the server gives.
  await jupyter.contents.get('');
  await jupyter.contents.get('', { content: false });
  const folder = await jupyter.contents.create('', { type: 'directory' });
  await jupyter.contents.rename(folder.path, dir);
  const nb = await jupyter.contents.create(dir, { type: 'notebook' });
  await jupyter.contents.create(dir, { type: 'file', ext: '.txt' });
  await jupyter.contents.save(`${dir}/a.txt`, { type: 'file', format: 'text', content: 'hello' });
  await jupyter.contents.save(`${dir}/b.bin`, { type: 'file', format: 'base64', content: Buffer.from([0, 255, 1]).toString('base64') });
  await jupyter.contents.get(`${dir}/b.bin`);
  await jupyter.contents.get(`${dir}/a.txt`, { hash: true });
  await jupyter.contents.get(dir, { hash: true, content: false }); // 2.20/2.21: 500, then again without hash
  await jupyter.contents.get(nb.path);
  await jupyter.contents.list(dir);
  await jupyter.contents.upload(`${dir}/big.bin`, randomBytes(10_000), { chunkSize: 4096 });
  await jupyter.contents.copy(`${dir}/a.txt`, dir);
  await failed(jupyter.contents.rename(`${dir}/a.txt`, `${dir}/b.bin`)); // 409
  await failed(jupyter.contents.get(`${dir}/missing.txt`)); // 404
  await failed(jupyter.contents.get(`${dir}/a.txt`, { type: 'directory' })); // 400
  await failed(jupyter.contents.create(`${dir}/a.txt`, { type: 'file' })); // 400: not a folder
  await failed(jupyter.contents.create(`${dir}/no such folder`, { type: 'file' })); // 404

  // Checkpoints.
  const cp = await jupyter.checkpoints.create(`${dir}/a.txt`);
  await jupyter.checkpoints.list(`${dir}/a.txt`);
  await jupyter.checkpoints.restore(`${dir}/a.txt`, cp.id);
  await jupyter.checkpoints.delete(`${dir}/a.txt`, cp.id);
  await failed(jupyter.checkpoints.restore(`${dir}/a.txt`, 'no-such-checkpoint'));
  await failed(jupyter.checkpoints.list(`${dir}/missing.txt`));

  // Kernelspecs and kernels.
  const specs = await jupyter.kernelspecs.list();
  await jupyter.kernelspecs.get(specs.default);
  await failed(jupyter.kernelspecs.get('no-such-kernel'));
  const kernel = await jupyter.kernels.start({ name: specs.default });
  await jupyter.kernels.list();
  await jupyter.kernels.get(kernel.id);
  await jupyter.kernels.interrupt(kernel.id);
  await jupyter.kernels.restart(kernel.id);
  await jupyter.kernels.shutdown(kernel.id);
  await failed(jupyter.kernels.get(kernel.id)); // 404 once shut down
  await failed(jupyter.kernels.start({ name: 'no-such-kernel' }));

  // Sessions.
  const session = await jupyter.sessions.create({ path: nb.path, type: 'notebook', name: 'n', kernel: { name: specs.default } });
  await jupyter.sessions.list();
  await jupyter.sessions.get(session.id);
  await jupyter.sessions.update(session.id, { path: `${dir}/renamed.ipynb` });
  await jupyter.sessions.delete(session.id);
  await failed(jupyter.sessions.get(session.id));

  // Terminals.
  const term = await jupyter.terminals.create();
  await jupyter.terminals.list();
  await jupyter.terminals.get(term.name);
  await jupyter.terminals.delete(term.name);
  await failed(jupyter.terminals.get(term.name));

  // Config.
  const section = `conformance_${randomBytes(3).toString('hex')}`;
  await jupyter.config.get(section);
  await jupyter.config.update(section, { a: { b: 1 }, c: 'x' });
  await jupyter.config.replace(section, { d: [1, 2] });

  await jupyter.contents.delete(`${dir}/a.txt`);
  await jupyter.contents.delete(dir);
}, 120_000);

describe('spec/jupyter-server.yaml against the real server', () => {
  it('declares the status of every answer and describes its body, key by key', () => {
    expect(answers.length).toBeGreaterThanOrEqual(55);
    const problems = answers.flatMap((a) => spec.check(a.method, a.path, a.status, a.type, a.body));
    expect(problems).toEqual([]);
  });

  it('is held to an answer from every REST operation it lists', () => {
    const reached = new Set(answers.map((a) => `${a.method} ${a.path}`));
    const missing = spec.operations().filter((op) => !reached.has(op) && !UNREACHABLE[op]);
    expect(missing).toEqual([]);
  });

  it('is held to error answers as well as successes', () => {
    const statuses = new Set(answers.map((a) => a.status));
    for (const s of [200, 201, 204, 400, 404, 409]) expect(statuses).toContain(s);
  });

  it('catches an answer that does not fit (the validator can fail)', () => {
    expect(spec.check('GET', '/api/kernels/{kernel_id}', 200, 'application/json', { id: 1 })).not.toEqual([]);
    expect(spec.check('GET', '/api/kernels/{kernel_id}', 418, 'application/json', {})).not.toEqual([]);
    expect(spec.check('GET', '/api/status', 200, 'text/html', '<html>')).not.toEqual([]);
    const kernel = { id: 'k', name: 'python3', last_activity: '2026-12-01T00:00:00Z', execution_state: 'idle', connections: 0 };
    expect(spec.check('GET', '/api/kernels/{kernel_id}', 200, 'application/json', kernel)).toEqual([]);
    expect(spec.check('GET', '/api/kernels/{kernel_id}', 200, 'application/json', { ...kernel, surprise: 1 })).toEqual([
      'GET /api/kernels/{kernel_id} 200: key .surprise is not described by the spec',
    ]);
    // A real directory listing, with one key added deep inside an entry.
    const listing = answers.find((a) => a.path === '/api/contents/{path}' && a.status === 200 && Array.isArray((a.body as { content?: unknown }).content) && (a.body as { type?: string }).type === 'directory')!;
    const changed = structuredClone(listing.body) as { content: Record<string, unknown>[] };
    changed.content[0]!.surprise = true;
    expect(spec.check('GET', listing.path, 200, listing.type, listing.body)).toEqual([]);
    expect(spec.check('GET', listing.path, 200, listing.type, changed)).toEqual(['GET /api/contents/{path} 200: key .content[0].surprise is not described by the spec']);
  });
});
