// The example scripts run for real (tsx, as `npm run example` does) against a server of their
// own, so README's snippets, which live in examples/, are known to work and not only to compile.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startJupyterServer, type LocalJupyterServer } from 'jupyter-sdk/server';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
let server: LocalJupyterServer;

beforeAll(async () => {
  server = await startJupyterServer({ nodelay: true, python: inject('jupyter').python });
});
afterAll(async () => {
  await server?.stop();
});

async function example(name: string, env: Record<string, string> = {}) {
  const { stdout } = await run(`${repo}node_modules/.bin/tsx`, ['--tsconfig', 'examples/tsconfig.json', `examples/${name}`], {
    cwd: repo,
    env: { ...process.env, JUPYTER_URL: server.url, JUPYTER_TOKEN: server.token, ...env },
    timeout: 60_000,
  });
  return stdout;
}

const { major, version } = inject('jupyter');

describe('examples', () => {
  it('quickstart.ts reads a file back, meets a NotFoundError and runs code on a kernel', async () => {
    const out = await example('quickstart.ts');
    expect(out).toContain('read back: hello from jupyter-sdk');
    // 1.x and 2.x word a missing file differently; both name it.
    expect(out).toContain(major === 1 ? "as expected: 404 file or directory does not exist: 'missing.ipynb'" : "as expected: 404 file or directory '/missing.ipynb' does not exist");
    expect(out).toMatch(/^ok \[/m);
  });

  it('rest-tour.ts goes through every REST area', async () => {
    const out = await example('rest-tour.ts');
    expect(out).toContain('uploaded 3145728/3145728');
    expect(out).toContain('restored # Q3');
    expect(out).toMatch(/^kernel (starting|idle) 1$/m);
    expect(out).toContain("sessions [ 'reports/renamed.ipynb' ]");
    expect(out).toMatch(/^terminals \[ '\d+' \]$/m);
    expect(out).toContain("config { theme: 'dark' }");
    expect(out).toContain('operations seen GET /api/contents/{path}, GET /api/kernelspecs');
    expect(out).toContain('raw nbconvert exporters true');
  });

  it('kernel-channels.ts streams, answers input, introspects, talks over comms, interrupts and restarts', async () => {
    const out = await example('kernel-channels.ts');
    expect(out).toContain('0\n1\n2\nreply: ok');
    expect(out).toContain('run: ok 2 [{"output_type":"execute_result","execution_count":2,"data":{"text/plain":"2"},"metadata":{}}]');
    expect(out).toContain('hello Ada');
    expect(out).toMatch(/complete: \[ '\w/);
    expect(out).toContain('inspect: true');
    expect(out).toContain('isComplete: incomplete');
    expect(out).toContain('comm message from the kernel: {"n":1}');
    expect(out).toContain('comm echo: {"echo":{"ping":42}}');
    expect(out).toContain('interrupted: KeyboardInterrupt');
    expect(out).toContain('after restart, x defined: {"output_type":"execute_result"');
    expect(out).toContain('"text/plain":"False"');
    expect(out).toMatch(/statuses seen: .*busy.*idle.*restarting/);
    expect(out).toContain('after close: closed');
  });

  it('run-notebook.ts runs a notebook and prints its output', async () => {
    const out = await example('run-notebook.ts');
    expect(out).toContain('Hello from Python');
    expect(out).toContain('sum(0..100) = 5050');
  });

  it('run-notebooks.ts runs one notebook with three sets of parameters at once, one failing alone', async () => {
    const out = await example('run-notebooks.ts');
    expect(out).toContain('north: north 2025: 1276 units in');
    expect(out).toContain('south: south 2026: 1772 units in');
    expect(out).toContain("east: CellExecutionError: cells[3] (id report) raised TypeError: unsupported operand type(s) for -: 'str' and 'int'");
    expect(out).toContain('refused: invalid-name: parameter name "not a name" is not a valid Python identifier');
  });

  it('events.ts watches a directory\'s saves and emits an event (2.x); says the server lacks them (1.x)', async () => {
    const out = await example('events.ts');
    if (major === 1) {
      expect(out).toBe(`events: not supported by this server (${version})\n`);
      return;
    }
    expect(out).toBe(
      [
        'saved reports/q1.txt',
        'saved reports/q2.txt',
        'saved reports/from-disk.csv',
        'subscription closed: true',
        "refused: 400 'The requested schema, https://example.org/never-registered/v1, was not found in the schema registry. Are you sure it was previously registered?'",
        '',
      ].join('\n'),
    );
  });

  it('identity-and-hashes.ts shows a stable identity, granted permissions and a sha256 (2.x), or their absence (1.x)', async () => {
    const out = await example('identity-and-hashes.ts');
    if (major === 1) {
      expect(out).toBe('identity: none (this server has no /api/me)\nhash: not offered by this server\nroot: directory\n');
      return;
    }
    expect(out).toMatch(/^identity: Anonymous \w+ \(stable\)\n/);
    expect(out).toContain('granted: {"contents":["read","write"],"kernels":["execute"]}\n');
    // sha256 of "hello\n"
    expect(out).toContain('hash: sha256 5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03\n');
    expect(out).toContain('root: directory\n');
  });

  it('terminal.ts types into a terminal and reads the echo back', async () => {
    expect(await example('terminal.ts')).toContain('terminal said: sum=42');
  });

  it('errors-and-aborts.ts shows each error class', async () => {
    const out = await example('errors-and-aborts.ts');
    expect(out).toContain('409, nothing overwritten: File already exists: b.txt');
    expect(out).toMatch(major === 1 ? /^404 GET .*missing\.ipynb - file or directory does not exist: 'missing\.ipynb'$/m : /^404 GET .*missing\.ipynb - file or directory '\/missing\.ipynb' does not exist$/m);
    expect(out).toContain('403: 403 Forbidden');
    expect(out).toContain('refused before sending: path must not contain ".." segments');
    expect(out).toContain('aborted: true');
    expect(out).toContain('connection error: true');
    expect(out).not.toContain(server.token);
  });

  it('testing-with-msw.ts answers from MSW handlers without a server', async () => {
    const out = await example('testing-with-msw.ts', { JUPYTER_URL: '', JUPYTER_TOKEN: '' });
    expect(out).toContain("kernels: [ 'python3' ]");
    expect(out).toContain('not found: file or directory does not exist');
  });

  it.each(['mlw.ts', 'wnology.ts'])('%s names the credentials it needs when they are not set', async (name) => {
    const err = await example(name, { MLW_URL: '', MLW_USER: '', MLW_PASSWORD: '', MLW_TOKEN: '', WNOLOGY_TOKEN: '', WNOLOGY_APP_ID: '' }).catch((e: { code?: number; stderr?: string }) => e);
    expect((err as { code?: number }).code).not.toBe(0);
    expect(String((err as { stderr?: string }).stderr)).toMatch(/MLW_URL|WNOLOGY_TOKEN/);
  });
});
