/**
 * The `jupyter-sdk` command, spawned as a process. It is bundled from src/cli with esbuild first,
 * so the test always runs the current sources (dist/ may be stale in a dev loop).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ICodeCell, INotebookContent } from '@jupyterlab/nbformat';

const { url, token, rootDir } = inject('jupyter');
const repo = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = join(repo, 'test', 'fixtures', 'notebooks');
// Inside the repo (.tmp/ is git-ignored), so the bundle resolves `ws` from node_modules.
const cli = join(repo, '.tmp', `cli-test-${randomUUID()}`, 'cli.mjs');
const dir = `cli-${randomUUID()}`;
let work: string;

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string | undefined> = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: work,
      // No JUPYTER_URL/TOKEN from the developer's shell; non-TTY, so progress is one line per cell.
      env: { ...process.env, JUPYTER_URL: undefined, JUPYTER_TOKEN: undefined, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const readNotebook = async (path: string) => JSON.parse(await readFile(path, 'utf8')) as INotebookContent;
const text = (nb: INotebookContent, i: number) =>
  (nb.cells[i] as ICodeCell).outputs.map((o) => [(o as { text?: string[] }).text ?? []].flat().join('')).join('');

beforeAll(async () => {
  await build({
    entryPoints: [join(repo, 'src', 'cli', 'index.ts')],
    outfile: cli,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  work = await mkdtemp(join(tmpdir(), 'jupyter-sdk-cli-'));
  await mkdir(join(rootDir, dir));
});

afterAll(async () => {
  await rm(join(cli, '..'), { recursive: true, force: true });
  if (work) await rm(work, { recursive: true, force: true });
  await rm(join(rootDir, dir), { recursive: true, force: true });
});

describe('jupyter-sdk run', () => {
  it('runs a notebook on a local server it starts and stops, and writes NAME.out.ipynb beside it', async () => {
    await writeFile(join(work, 'data.txt'), 'local data');
    const nb = JSON.parse(await readFile(join(fixtures, 'basic.ipynb'), 'utf8')) as INotebookContent;
    nb.cells.push({ cell_type: 'code', source: "print(open('data.txt').read())", metadata: {}, outputs: [], execution_count: null });
    await writeFile(join(work, 'basic.ipynb'), JSON.stringify(nb));

    const result = await run(['run', 'basic.ipynb']);
    expect(result.stderr).not.toMatch(/at .*\.(js|ts):\d+/); // no stack trace
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^basic\.ipynb: ok in \d+\.\d+ s, written to basic\.out\.ipynb\n$/);
    // One line per executed cell when stderr is not a terminal.
    expect(result.stderr).toContain('basic.ipynb: cells[1] ok');
    expect(result.stderr.trim().split('\n')).toHaveLength(9);

    const out = await readNotebook(join(work, 'basic.out.ipynb'));
    expect(text(out, 1)).toBe('hello\nworld\n');
    expect(text(out, 11)).toBe('local data\n');
    expect((out.cells[2] as ICodeCell).execution_count).toBe(2);
    // Written as nbformat writes it: line lists and one-space indent.
    expect(await readFile(join(work, 'basic.out.ipynb'), 'utf8')).toMatch(/^\{\n "cells": \[/);
    expect(out.cells[1]!.source).toEqual(["print('hello')\n", "print('world')"]);
  });

  it('exits 1 naming the failing cell, and still writes what ran', async () => {
    const result = await run(['run', join(fixtures, 'errors.ipynb'), '--out', 'errors-run.ipynb', '--url', url, '--token', token]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('errors.ipynb: cells[1] (id errors-1) raised ZeroDivisionError: division by zero');
    expect(result.stderr).not.toContain(token);
    const out = await readNotebook(join(work, 'errors-run.ipynb'));
    expect((out.cells[1] as ICodeCell).outputs[0]).toMatchObject({ output_type: 'error', ename: 'ZeroDivisionError' });
  });

  it('records errors and exits 0 with --allow-errors; --timeout fails a slow cell with 1', async () => {
    const ok = await run(['run', join(fixtures, 'errors.ipynb'), '--out', 'allowed.ipynb', '--allow-errors', '--url', url, '--token', token]);
    expect(ok.status).toBe(0);
    expect(text(await readNotebook(join(work, 'allowed.ipynb')), 2)).toBe('after\n');

    await writeFile(
      join(work, 'slow.ipynb'),
      JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'code', id: 'z', source: 'import time; time.sleep(60)', metadata: {}, outputs: [], execution_count: null }] }),
    );
    const started = Date.now();
    const slow = await run(['run', 'slow.ipynb', '--timeout', '1', '--url', url, '--token', token]);
    expect(slow.status).toBe(1);
    expect(slow.stderr).toContain('cells[0] (id z) timed out after 1 s');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('runs a notebook that lives on the server with --remote --inplace', async () => {
    const path = `${dir}/remote.ipynb`;
    await writeFile(join(rootDir, path), await readFile(join(fixtures, 'skip.ipynb')));
    const result = await run(['run', path, '--remote', '--inplace', '--url', url, '--token', token]);
    expect(result.status).toBe(0);
    const saved = await readNotebook(join(rootDir, path));
    expect((saved.cells[2] as ICodeCell).execution_count).toBe(2);
  });

  it('exits 2 with a one-line reason, no stack trace and no token, when the server cannot be reached', async () => {
    const result = await run(['run', join(fixtures, 'basic.ipynb'), '--url', 'http://127.0.0.1:9', '--token', 'sekrit-token-value']);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^jupyter-sdk: cannot reach the Jupyter server: GET http:\/\/127\.0\.0\.1:9\/api\S* failed to connect.*\n$/);
    expect(result.stderr).not.toContain('sekrit-token-value');
  });

  it('exits 2 when the token is wrong, without echoing it', async () => {
    const result = await run(['run', join(fixtures, 'basic.ipynb'), '--url', url, '--token', 'wrong-token-value']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/refused the token \(403 Forbidden\)/);
    expect(result.stderr).not.toContain('wrong-token-value');
  });

  it('exits 2 on usage errors and a missing notebook', async () => {
    const usage = await run(['run']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toBe('jupyter-sdk: run needs at least one NOTEBOOK (see jupyter-sdk run --help)\n');
    const missing = await run(['run', 'nope.ipynb']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('jupyter-sdk: no such notebook: nope.ipynb\n');
  });

  it('says how to install Jupyter when no Python can run a server', async () => {
    await writeFile(join(work, 'tiny.ipynb'), JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }));
    const result = await run(['run', 'tiny.ipynb'], { JUPYTER_SDK_PYTHON: '/nonexistent/python3' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/apt-get install .*python3-jupyter-server/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('jupyter-sdk --help and the contents commands', () => {
  it('prints help for the program and each command, exit 0', async () => {
    const main = await run(['--help']);
    expect(main.status).toBe(0);
    expect(main.stdout).toMatch(/^Usage: jupyter-sdk <command>/);
    for (const command of ['run', 'ls', 'get', 'put', 'kernels']) {
      const help = await run([command, '--help']);
      expect(help.status, command).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: jupyter-sdk ${command}`));
    }
  });

  it('puts, lists and gets files, with the server from JUPYTER_URL and JUPYTER_TOKEN', async () => {
    const env = { JUPYTER_URL: url, JUPYTER_TOKEN: token };
    await writeFile(join(work, 'up.txt'), 'uploaded ✓');
    const put = await run(['put', 'up.txt', `${dir}/`], env);
    expect(put.status).toBe(0);
    expect(await readFile(join(rootDir, dir, 'up.txt'), 'utf8')).toBe('uploaded ✓');

    const ls = await run(['ls', dir], env);
    expect(ls.status).toBe(0);
    expect(ls.stdout).toMatch(/^file\s+\d+\s+\S+ \S+\s+up\.txt$/m);

    const get = await run(['get', `${dir}/up.txt`], env);
    expect(get.status).toBe(0);
    expect(get.stdout).toBe('uploaded ✓');

    const missing = await run(['get', `${dir}/missing.txt`], env);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/404 .*missing\.txt/);
  });

  it('lists kernels and kernelspecs', async () => {
    const result = await run(['kernels', '--url', url, '--token', token]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^kernelspecs: python3 \(default\)\n/);
  });
});
