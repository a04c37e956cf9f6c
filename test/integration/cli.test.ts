/**
 * The `jupyter-sdk` command, spawned as a process. It is bundled from src/cli with esbuild first,
 * so the test always runs the current sources (dist/ may be stale in a dev loop).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { writeDyingKernelspec } from './dying-kernel.js';
import type { ICodeCell, INotebookContent, IOutput } from '@jupyterlab/nbformat';

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

interface Running {
  child: ChildProcess;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves once the process has exited and its output is drained. */
  done: Promise<Result & { signal: NodeJS.Signals | null }>;
}

function start(args: string[], env: Record<string, string | undefined> = {}, cwd = work): Running {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd,
    // No JUPYTER_URL/TOKEN from the developer's shell; non-TTY, so progress is one line per cell.
    env: { ...process.env, JUPYTER_URL: undefined, JUPYTER_TOKEN: undefined, JUPYTER_SDK_PYTHON: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<Result & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

function run(args: string[], env: Record<string, string | undefined> = {}, cwd = work): Promise<Result> {
  return start(args, env, cwd).done;
}

async function until(condition: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Live processes of a local server serving `root`: the server (its argv has
 * `--ServerApp.root_dir=<root>`) and its kernels (they run in `root`). Linux /proc.
 */
function serverProcesses(root: string): { servers: number[]; kernels: number[] } {
  const servers: number[] = [];
  const kernels: number[] = [];
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (argv.includes(`--ServerApp.root_dir=${root}`)) servers.push(Number(name));
      else if (argv.some((a) => a.includes('ipykernel')) && readlinkSync(`/proc/${name}/cwd`) === root) kernels.push(Number(name));
    } catch {
      // exited while we looked, or a zombie
    }
  }
  return { servers, kernels };
}

/** Whether `pid` is a live process (not gone, not a zombie waiting for its parent). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Waits until none are left (the CLI's exit hook kills them synchronously; their exit may still lag on a loaded machine). */
async function expectNoServerLeft(root: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  let left = serverProcesses(root);
  while ((left.servers.length || left.kernels.length) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = serverProcesses(root);
  }
  expect(left).toEqual({ servers: [], kernels: [] });
}

/** A `python` for JUPYTER_SDK_PYTHON: /usr/bin/python3 with PYTHONPATH=`pythonPath`, optionally without site-packages. */
async function fakePython(name: string, pythonPath: string, isolated: boolean): Promise<string> {
  const script = join(work, name);
  await writeFile(script, `#!/bin/sh\nPYTHONPATH=${pythonPath} exec /usr/bin/python3 ${isolated ? '-S ' : ''}"$@"\n`);
  await chmod(script, 0o755);
  return script;
}

const tinyNotebook = (...sources: string[]) =>
  JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: sources.map((source, i) => ({ cell_type: 'code', id: `c${i}`, source, metadata: {}, outputs: [], execution_count: null })),
  });

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

    // The server it started, and the kernel, are gone with it.
    await expectNoServerLeft(work);

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
    // Not "ok": the summary says that cells raised, and which.
    expect(ok.stdout).toMatch(/errors\.ipynb: finished in \d+\.\d+ s; 2 cells raised an exception \(cells\[1\], cells\[3\]\), recorded in the output; written to allowed\.ipynb\n$/);
    expect(ok.stdout).not.toMatch(/: ok in/);

    // The sleep outlasts the test's own time limit: only --timeout can end the run in time.
    await writeFile(join(work, 'slow.ipynb'), tinyNotebook("import time\nprint('started', flush=True)\ntime.sleep(600)"));
    const slow = await run(['run', 'slow.ipynb', '--timeout', '1', '--url', url, '--token', token]);
    expect(slow.status).toBe(1);
    expect(slow.stderr).toContain('cells[0] (id c0) timed out after 1 s; partial output written to slow.out.ipynb');
    // The partial output really holds what the cell printed before the limit.
    expect(text(await readNotebook(join(work, 'slow.out.ipynb')), 0)).toBe('started\n');
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

  it('says how to install Jupyter, how to name a Python and how to use a running server when none can run', async () => {
    await writeFile(join(work, 'tiny.ipynb'), JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }));
    const result = await run(['run', 'tiny.ipynb'], { JUPYTER_SDK_PYTHON: '/nonexistent/python3' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^jupyter-sdk: no Python with jupyter_server and ipykernel .*\(JUPYTER_SDK_PYTHON=\/nonexistent\/python3: not found\)/);
    expect(result.stderr).toMatch(/sudo apt-get install python3-jupyter-server python3-ipykernel python3-terminado/);
    expect(result.stderr).toMatch(/pip install jupyter_server ipykernel/);
    expect(result.stderr).toMatch(/set JUPYTER_SDK_PYTHON to a Python that has them/);
    expect(result.stderr).toMatch(/--url URL/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('says which module is missing: a Python with jupyter_server but without ipykernel cannot run notebooks', async () => {
    await mkdir(join(work, 'only-server'), { recursive: true });
    await rm(join(work, 'only-server', 'jupyter_server'), { force: true });
    const { symlink } = await import('node:fs/promises');
    await symlink('/usr/lib/python3/dist-packages/jupyter_server', join(work, 'only-server', 'jupyter_server'));
    const python = await fakePython('python-no-ipykernel', join(work, 'only-server'), true);
    const result = await run(['run', 'tiny.ipynb'], { JUPYTER_SDK_PYTHON: python });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`(JUPYTER_SDK_PYTHON=${python}: no ipykernel)`);
    expect(result.stderr).toContain('python3-ipykernel');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('gives the reason a local server failed to start, in one line without the token', async () => {
    // jupyter_server is found (the probe passes) but broken: the server exits at once.
    await mkdir(join(work, 'broken', 'jupyter_server'), { recursive: true });
    await writeFile(join(work, 'broken', 'jupyter_server', '__init__.py'), '');
    const python = await fakePython('python-broken-server', join(work, 'broken'), false);
    const result = await run(['run', 'tiny.ipynb'], { JUPYTER_SDK_PYTHON: python });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      "jupyter-sdk: the local Jupyter server did not start: Jupyter Server exited (code 1) before it was ready: ModuleNotFoundError: No module named 'jupyter_server.serverapp'\n",
    );
  });

  it('refuses a JSON file that is not a notebook before starting anything, naming it (exit 2)', async () => {
    await writeFile(join(work, 'package.json'), JSON.stringify({ name: 'not-a-notebook', version: '1.0.0' }));
    await writeFile(join(work, 'good.ipynb'), tinyNotebook('1'));
    // A Python that leaves a mark when anything (a server, a probe for jupyter_server) runs it.
    const marker = join(work, 'python-was-run');
    const python = join(work, 'python-marking');
    await writeFile(python, `#!/bin/sh\ntouch '${marker}'\nexec /usr/bin/python3 "$@"\n`);
    await chmod(python, 0o755);
    const result = await run(['run', 'good.ipynb', 'package.json'], { JUPYTER_SDK_PYTHON: python });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('jupyter-sdk: package.json is not an nbformat 4 notebook: no nbformat field (not a notebook)\n');
    // Nothing ran: Python was never started (so no server), the good notebook was not run.
    await expect(readFile(marker)).rejects.toThrow(/ENOENT/);
    await expect(readFile(join(work, 'good.out.ipynb'))).rejects.toThrow(/ENOENT/);
    expect(serverProcesses(work).servers).toEqual([]);

    await writeFile(join(work, 'v3.ipynb'), JSON.stringify({ nbformat: 3, nbformat_minor: 0, worksheets: [], metadata: {} }));
    const old = await run(['run', 'v3.ipynb', '--url', url, '--token', token]);
    expect(old.status).toBe(2);
    expect(old.stderr).toBe('jupyter-sdk: v3.ipynb is not an nbformat 4 notebook: only nbformat 4 notebooks can run, got nbformat 3\n');
  });

  it('fails fast, exit 2, naming the notebook and the kernel, when the kernel dies during startup; nothing is left behind', async () => {
    const dir = join(work, 'dying');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'nb.ipynb'), tinyNotebook('1'));
    const result = await run(['run', 'nb.ipynb', '--kernel', 'dies'], { JUPYTER_PATH: await writeDyingKernelspec(join(work, 'jupyter-path')) }, dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^jupyter-sdk: nb\.ipynb: kernel dies died during startup, before it answered kernel_info \(its last output: kernel refuses to start\)\n$/,
    );
    // The death itself was noticed, with the kernel's last words: not a kernel_info timeout (the
    // server's 60 s, then ours: past the test's own time limit, and worded "did not answer
    // kernel_info within 60000 ms").
    await expectNoServerLeft(dir);
  });

  it('leaves no server behind when it is SIGKILLed mid-run: the server notices and stops with its kernel', async () => {
    const dir = join(work, 'sigkill');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'long.ipynb'), tinyNotebook("print('ready')", 'import time\ntime.sleep(600)'));
    const running = start(['run', 'long.ipynb'], {}, dir);
    await until(() => running.stderr().includes('long.ipynb: cells[0] ok'), 'the first cell');
    const during = serverProcesses(dir);
    expect(during.servers).toHaveLength(1);
    expect(during.kernels).toHaveLength(1);
    // No exit hook runs: only the server itself can notice that its parent is gone.
    running.child.kill('SIGKILL');
    expect((await running.done).signal).toBe('SIGKILL');
    await until(() => [...during.servers, ...during.kernels].every((pid) => !alive(pid)), 'the server and its kernel to exit', 45_000);
    expect(serverProcesses(dir)).toEqual({ servers: [], kernels: [] });
  });

  it('stops cleanly on SIGINT mid-run: exit 130, and the server and its kernel are gone', async () => {
    const dir = join(work, 'sigint');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'long.ipynb'), tinyNotebook("print('ready')", 'import time\ntime.sleep(600)', "print('never')"));
    const running = start(['run', 'long.ipynb'], {}, dir);
    await until(() => running.stderr().includes('long.ipynb: cells[0] ok'), 'the first cell');
    // The check below can fail: while the run is on, the server and the kernel are there.
    const during = serverProcesses(dir);
    expect(during.servers).toHaveLength(1);
    expect(during.kernels).toHaveLength(1);
    // The sleep outlasts the test's own time limit: only the SIGINT can end the run in time.
    running.child.kill('SIGINT');
    const result = await running.done;
    expect(result.status).toBe(130);
    expect(result.stderr).toMatch(/jupyter-sdk: interrupted\n$/);
    await expectNoServerLeft(dir);
    for (const pid of [...during.servers, ...during.kernels]) expect(() => process.kill(pid, 0), `pid ${pid}`).toThrow();
  });

  it('refuses an unknown --kernel before starting one, listing the kernels there are (exit 2)', async () => {
    const result = await run(['run', join(fixtures, 'basic.ipynb'), '--kernel', 'nope', '--url', url, '--token', token]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('jupyter-sdk: no kernel named nope; available: python3\n');
  });

  it('labels notebooks by the path given, so two of the same name stay apart', async () => {
    for (const sub of ['a', 'b']) {
      await mkdir(join(work, sub), { recursive: true });
      await writeFile(join(work, sub, 'same.ipynb'), tinyNotebook(`print('${sub}')`));
    }
    const result = await run(['run', 'a/same.ipynb', 'b/same.ipynb', '--url', url, '--token', token]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^a\/same\.ipynb: ok in .* written to a\/same\.out\.ipynb$/m);
    expect(result.stdout).toMatch(/^b\/same\.ipynb: ok in .* written to b\/same\.out\.ipynb$/m);
    expect(result.stdout).toMatch(/^a\/same\.ipynb +ok +\d+\.\d+ s +a\/same\.out\.ipynb$/m);
    expect(result.stderr).toContain('a/same.ipynb: cells[0] ok');
    expect(result.stderr).toContain('b/same.ipynb: cells[0] ok');
  });
});

describe('jupyter-sdk --help and the contents commands', () => {
  it('prints the usage to stderr and exits 2 when given no command at all', async () => {
    const result = await run([]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Usage: jupyter-sdk <command>/);
  });

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

  it('get --out creates the local folder, and put creates missing folders on the server', async () => {
    const env = { JUPYTER_URL: url, JUPYTER_TOKEN: token };
    await writeFile(join(rootDir, dir, 'src.txt'), 'from the server');
    const get = await run(['get', `${dir}/src.txt`, '--out', 'new/folder/copy.txt'], env);
    expect(get.status).toBe(0);
    expect(await readFile(join(work, 'new', 'folder', 'copy.txt'), 'utf8')).toBe('from the server');

    await writeFile(join(work, 'deep.txt'), 'deep ✓');
    const put = await run(['put', 'deep.txt', `${dir}/x/y/`], env);
    expect(put.status).toBe(0);
    expect(put.stderr).toBe(`created folder ${dir}/x/\ncreated folder ${dir}/x/y/\n`);
    expect(await readFile(join(rootDir, dir, 'x', 'y', 'deep.txt'), 'utf8')).toBe('deep ✓');

    const intoFile = await run(['put', 'deep.txt', `${dir}/src.txt/inside.txt`], env);
    expect(intoFile.status).toBe(2);
    expect(intoFile.stderr).toBe(`jupyter-sdk: cannot upload into ${dir}/src.txt/: ${dir}/src.txt is a file, not a folder\n`);
  });

  it('lists kernels and kernelspecs', async () => {
    const result = await run(['kernels', '--url', url, '--token', token]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^kernelspecs: python3 \(default\)\n/);
  });
});

describe('jupyter-sdk run: parameters, many notebooks at once, output that survives a crash', () => {
  it('runs several notebooks with -p, -r and a YAML file, --jobs 2 and --out-dir: outputs, summary table, exit 1 for the one that failed', async () => {
    const sub = join(work, 'batch');
    await mkdir(sub, { recursive: true });
    const withParams = (body: string) =>
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
        cells: [
          { cell_type: 'code', id: 'defaults', source: "n = 1\nlabel = 'default'\nratio = 0.0", metadata: { tags: ['parameters'] }, outputs: [], execution_count: null },
          { cell_type: 'code', id: 'body', source: body, metadata: {}, outputs: [], execution_count: null },
        ],
      });
    await writeFile(join(sub, 'a.ipynb'), withParams("print(n, repr(label), ratio, region)"));
    await writeFile(join(sub, 'b.ipynb'), withParams("print(n * 2, type(ratio).__name__)"));
    await writeFile(join(sub, 'c.ipynb'), withParams('raise ValueError(label)'));
    await writeFile(join(sub, 'p.yaml'), 'region: north\nratio: 1\n');
    const inputs = await Promise.all(['a', 'b', 'c'].map((n) => readFile(join(sub, `${n}.ipynb`), 'utf8')));

    const result = await run(
      ['run', 'a.ipynb', 'b.ipynb', 'c.ipynb', '-p', 'n', '3', '-r', 'label', '007', '-f', 'p.yaml', '-p', 'ratio', '2.0', '--jobs', '2', '--out-dir', 'out'],
      {},
      sub,
    );
    expect(result.status).toBe(1);
    const a = await readNotebook(join(sub, 'out', 'a.ipynb'));
    expect(a.cells.map((c) => c.id)).toEqual(['defaults', a.cells[1]!.id, 'body']);
    expect(a.cells[1]!.metadata.tags).toEqual(['injected-parameters']);
    expect([a.cells[1]!.source].flat().join('')).toBe('# Parameters\nregion = "north"\nratio = 2.0\nn = 3\nlabel = "007"\n');
    expect(text(a, 2)).toBe("3 '007' 2.0 north\n");
    expect(a.metadata.papermill).toEqual({ parameters: { region: 'north', ratio: 2, n: 3, label: '007' } });
    expect(text(await readNotebook(join(sub, 'out', 'b.ipynb')), 2)).toBe('6 float\n');
    const c = await readNotebook(join(sub, 'out', 'c.ipynb'));
    expect((c.cells[2] as ICodeCell).outputs[0]).toMatchObject({ output_type: 'error', ename: 'ValueError', evalue: '007' });
    expect(result.stderr).toContain('c.ipynb: cells[2] (id body) raised ValueError: 007; partial output written to out/c.ipynb');
    // A table after the per-notebook lines, in the order given.
    const table = result.stdout.slice(result.stdout.indexOf('notebook ')).trimEnd().split('\n');
    expect(table[0]).toMatch(/^notebook +status +time +output$/);
    expect(table.slice(1, 4).map((l) => l.split(/ +/).slice(0, 2))).toEqual([
      ['a.ipynb', 'ok'],
      ['b.ipynb', 'ok'],
      ['c.ipynb', 'failed'],
    ]);
    expect(table[3]).toContain('out/c.ipynb  cells[2] (id body) raised ValueError: 007');
    expect(table[4]).toMatch(/^3 notebooks: 2 ok, 1 failed, in \d+\.\d+ s \(\d+\.\d+ notebooks\/s\)$/);
    // The inputs are untouched, and nothing is left running.
    expect(await Promise.all(['a', 'b', 'c'].map((n) => readFile(join(sub, `${n}.ipynb`), 'utf8')))).toEqual(inputs);
    await expectNoServerLeft(sub);
  });

  it('refuses bad parameters, and outputs that would overwrite an input, before starting anything (exit 2)', async () => {
    await writeFile(join(work, 'p1.ipynb'), tinyNotebook('1'));
    const bad = await run(['run', 'p1.ipynb', '-p', 'bad name', '1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('jupyter-sdk: parameter name "bad name" is not a valid Python identifier\n');
    const same = await run(['run', 'p1.ipynb', '--out-dir', '.']);
    expect(same.status).toBe(2);
    expect(same.stderr).toMatch(/p1\.ipynb would be overwritten by its own output .*pass --inplace/);
    const twice = await run(['run', 'p1.ipynb', 'p1.ipynb']);
    expect(twice.stderr).toBe('jupyter-sdk: p1.ipynb is given twice\n');
    const file = await run(['run', 'p1.ipynb', '-f', 'missing.yaml']);
    expect(file.stderr).toBe('jupyter-sdk: no such parameters file: missing.yaml\n');
    expect(serverProcesses(work).servers).toEqual([]);
  });

  it('leaves the notebook up to the running cell on disk when killed with SIGKILL', async () => {
    const jupyter = { url, token };
    const before = await listKernels(jupyter);
    await writeFile(
      join(work, 'killed.ipynb'),
      tinyNotebook("print('first')", "print('second')", "import time\nprint('sleeping', flush=True)\ntime.sleep(60)", "print('never')"),
    );
    const out = join(work, 'killed.out.ipynb');
    const running = start(['run', 'killed.ipynb', '--url', url, '--token', token]);
    const onDisk = async () => {
      try {
        return text(await readNotebook(out), 1);
      } catch {
        return '';
      }
    };
    // Written as the run goes: the second cell's output reaches disk while the third one sleeps.
    let seen = '';
    await until(() => {
      void onDisk().then((t) => (seen = t));
      return seen === 'second\n';
    }, 'the second cell on disk');
    running.child.kill('SIGKILL');
    const result = await running.done;
    expect(result.signal).toBe('SIGKILL');
    const partial = await readNotebook(out);
    expect(text(partial, 0)).toBe('first\n');
    expect(text(partial, 1)).toBe('second\n');
    expect((partial.cells[2] as ICodeCell).execution_count).toBeNull();
    expect((partial.cells[3] as ICodeCell).outputs).toEqual([]);
    // The killed CLI could not shut its kernel down: do it here.
    for (const id of (await listKernels(jupyter)).filter((k) => !before.includes(k))) await deleteKernel(jupyter, id);
  });

  it("passes nbclient's own notebook suite (test_run_all_notebooks, 12 notebooks) in full, run at once on a local server", async () => {
    const suite = '/usr/lib/python3/dist-packages/nbclient/tests/files';
    const names = [
      'Other Comms.ipynb',
      'Clear Output.ipynb',
      'Empty Cell.ipynb',
      'Factorials.ipynb',
      'HelloWorld.ipynb',
      'Inline Image.ipynb',
      'Skip Execution with Cell Tag.ipynb',
      'SVG.ipynb',
      'Unicode.ipynb',
      'UnicodePy3.ipynb',
      'update-display-id.ipynb',
      'Check History in Memory.ipynb',
    ];
    const sub = join(work, 'nbclient-suite');
    await mkdir(sub, { recursive: true });
    for (const name of [...names, 'python.png']) await writeFile(join(sub, name), await readFile(join(suite, name)));
    const result = await run(['run', ...names, '--out-dir', 'out', '--jobs', '4', '--progress', 'none', '--kernel', 'python3'], {}, sub);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    for (const name of names) {
      const expected = JSON.parse(await readFile(join(suite, name), 'utf8')) as INotebookContent;
      const actual = await readNotebook(join(sub, 'out', name));
      expect(actual.cells.length, name).toBe(expected.cells.length);
      for (const [i, cell] of expected.cells.entries()) {
        const got = actual.cells[i] as ICodeCell;
        expect(nbclientOutputs(got.outputs ?? []), `${name} cells[${i}]`).toEqual(nbclientOutputs((cell as ICodeCell).outputs ?? []));
        expect(got.execution_count ?? null, `${name} cells[${i}] execution_count`).toBe((cell as ICodeCell).execution_count ?? null);
      }
    }
    await expectNoServerLeft(sub);
  }, 120_000);
});

async function listKernels({ url, token }: { url: string; token: string }): Promise<string[]> {
  const response = await fetch(`${url}/api/kernels`, { headers: { Authorization: `token ${token}` } });
  return ((await response.json()) as Array<{ id: string }>).map((k) => k.id);
}

async function deleteKernel({ url, token }: { url: string; token: string }, id: string): Promise<void> {
  await fetch(`${url}/api/kernels/${id}`, { method: 'DELETE', headers: { Authorization: `token ${token}` } });
}

/**
 * nbclient's `normalize_output` (tests/test_client.py): no output metadata, hex addresses, widget
 * model ids, base64 line breaks, SVG attribute order, ANSI colours and IPython's cell names in
 * tracebacks masked. As in
 * the parity test, consecutive stream outputs of one name are merged on both sides (nbclient keeps
 * one output per stream message; the kernel's chunking depends on flush timing).
 */
function nbclientOutputs(outputs: IOutput[]): unknown[] {
  const join_ = (v: unknown) => (Array.isArray(v) ? v.join('') : v);
  const addr = (t: string) => t.replace(/0x[0-9a-f]{7,9}/g, '<HEXADDR>');
  const merged: Array<Record<string, unknown>> = [];
  for (const o of outputs as Array<Record<string, unknown>>) {
    const prev = merged[merged.length - 1];
    if (o.output_type === 'stream' && prev?.output_type === 'stream' && prev.name === o.name) prev.text = `${prev.text}${join_(o.text)}`;
    else merged.push({ ...o, ...(o.output_type === 'stream' ? { text: join_(o.text) } : {}) });
  }
  return merged.map((o) => {
    const { metadata: _metadata, ...rest } = o;
    if (typeof rest.text === 'string') rest.text = addr(rest.text);
    if (rest.data) {
      const data: Record<string, unknown> = {};
      for (const [mime, value] of Object.entries(rest.data as Record<string, unknown>)) {
        let v = join_(value);
        if (mime === 'text/plain' && typeof v === 'string') v = addr(v);
        if (mime === 'application/vnd.jupyter.widget-view+json') v = { ...(v as object), model_id: '<MODEL_ID>' };
        if (typeof v === 'string' && mime.startsWith('image/') && mime !== 'image/svg+xml') v = v.replace(/\n/g, '');
        // nbclient compares SVG parsed (xmltodict): attribute order does not count.
        if (typeof v === 'string' && mime === 'image/svg+xml') v = v.replace(/<(\w+)((?:\s+[\w:-]+="[^"]*")+)\s*(\/?)>/g, (_m, tag: string, attrs: string, end: string) => `<${tag} ${attrs.trim().split(/\s+(?=[\w:-]+=")/).sort().join(' ')}${end}>`);
        data[mime] = v;
      }
      rest.data = data;
    }
    if (Array.isArray(rest.traceback)) {
      rest.traceback = (rest.traceback as string[]).map((line) =>
        line
          .replace(/\x1b\[(.*?)([@-~])/g, '')
          .replace(/(<ipython-input-\d+-[0-9a-f]+>|<IPY-INPUT>) in (<module>|<cell line: \d>\(\))/g, '<IPY-INPUT>')
          .replace(/((Cell|Input) In\s?\[\d+\]|<IPY-INPUT>), (in )?(line \d|<module>|<cell line: \d>\(\))/g, '<IPY-INPUT>'),
      );
    }
    return rest;
  });
}

