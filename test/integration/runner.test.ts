/** runNotebook against the real Jupyter Server of the integration project. */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { writeDyingKernelspec } from './dying-kernel.js';
import type { ICodeCell, INotebookContent, IOutput } from '@jupyterlab/nbformat';
import {
  APIUserAbortError,
  CellExecutionError,
  CellTimeoutError,
  JupyterClient,
  KernelChannelError,
  KernelStartupError,
  RunAbortedError,
  runNotebook,
  type RunProgress,
} from 'jupyter-sdk';
import { startJupyterServer } from 'jupyter-sdk/server';
import { code, notebook } from '../support/notebooks.js';

const { url, token, rootDir, python } = inject('jupyter');
const jupyter = new JupyterClient({ baseUrl: url, token });
// A folder of our own: the server and its root are shared by every integration test file.
const dir = `runner-${randomUUID()}`;
const fixtures = fileURLToPath(new URL('../fixtures/notebooks/', import.meta.url));

const fixture = async (name: string): Promise<INotebookContent> => JSON.parse(await readFile(join(fixtures, name), 'utf8'));
const outputsOf = (nb: INotebookContent, i: number): IOutput[] => (nb.cells[i] as ICodeCell).outputs;
const text = (o: IOutput | undefined): string => {
  const t = (o as { text?: string | string[] } | undefined)?.text;
  return Array.isArray(t) ? t.join('') : (t ?? '');
};
const plain = (o: IOutput | undefined): string => {
  const d = (o as { data?: Record<string, string | string[]> } | undefined)?.data?.['text/plain'];
  return Array.isArray(d) ? d.join('') : (d ?? '');
};

/** Kernels and sessions that exist now, to check that a run leaves none of its own behind. */
async function snapshot() {
  const [kernels, sessions] = await Promise.all([jupyter.kernels.list(), jupyter.sessions.list()]);
  return { kernels: new Set(kernels.map((k) => k.id)), sessions: new Set(sessions.map((s) => s.id)) };
}
async function expectNothingLeft(before: Awaited<ReturnType<typeof snapshot>>) {
  const after = await snapshot();
  expect([...after.kernels].filter((id) => !before.kernels.has(id))).toEqual([]);
  expect([...after.sessions].filter((id) => !before.sessions.has(id))).toEqual([]);
}

beforeAll(async () => {
  await mkdir(join(rootDir, dir), { recursive: true });
});
afterAll(async () => {
  await rm(join(rootDir, dir), { recursive: true, force: true });
});

describe('runNotebook on a real server', () => {
  it('fills outputs, execution counts and timings of a multi-cell notebook, keeping ids and other cells', async () => {
    const input = await fixture('basic.ipynb');
    const frozen = structuredClone(input);
    const before = await snapshot();
    const events: RunProgress[] = [];
    const nb = await runNotebook(jupyter, input, { onProgress: (e) => events.push(e) });

    expect(input).toEqual(frozen);
    expect(nb.cells.map((c) => c.id)).toEqual(input.cells.map((c) => c.id));
    expect(nb.cells[0]).toEqual(input.cells[0]); // markdown
    expect(nb.cells[7]).toEqual(input.cells[7]); // raw
    expect(nb.cells.map((c) => (c as ICodeCell).execution_count)).toEqual([
      undefined, 1, 2, 3, 4, 5, null, undefined, 6, 7, 8,
    ]);
    expect(outputsOf(nb, 1)).toEqual([{ output_type: 'stream', name: 'stdout', text: 'hello\nworld\n' }]);
    expect(outputsOf(nb, 2)).toEqual([
      { output_type: 'execute_result', execution_count: 2, metadata: {}, data: { 'text/plain': '42' } },
    ]);
    expect(plain(outputsOf(nb, 3)[0])).toBe("{'a': 1, 'b': [1, 2, 3], 'c': 'ünïcødé ✓'}");
    expect(outputsOf(nb, 4).map((o) => [(o as { name?: string }).name, text(o)])).toEqual([
      ['stdout', 'out 1\n'],
      ['stderr', 'err 1\n'],
      ['stdout', 'out 2\n'],
    ]);
    expect(outputsOf(nb, 5)).toEqual([]); // `1 + 1;` shows nothing
    expect(outputsOf(nb, 8).map((o) => o.output_type)).toEqual(['display_data', 'display_data', 'execute_result']);
    expect((outputsOf(nb, 8)[0] as { data: Record<string, unknown> }).data['text/html']).toBe('<b>bold</b>');
    expect((outputsOf(nb, 8)[1] as { data: Record<string, unknown> }).data['text/markdown']).toBe('*italic*');
    expect(text(outputsOf(nb, 9)[0])).toBe('0\n1\n2\n');
    expect(text(outputsOf(nb, 10)[0])).toBe('東京 – naïve café\n');
    expect(nb.metadata.language_info).toMatchObject({ name: 'python' });

    const timing = (nb.cells[1] as ICodeCell).metadata.execution as Record<string, string>;
    const keys = ['iopub.status.busy', 'iopub.execute_input', 'shell.execute_reply', 'iopub.status.idle'];
    expect(Object.keys(timing).sort()).toEqual([...keys].sort());
    for (const key of keys) expect(timing[key]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    // Each from its own message's header date (nbclient's timestamp(msg)), in protocol order.
    expect(timing['iopub.execute_input']).not.toBe(timing['iopub.status.busy']);
    expect(timing['iopub.status.busy']! <= timing['iopub.execute_input']!).toBe(true);
    expect(timing['iopub.execute_input']! <= timing['shell.execute_reply']!).toBe(true);
    expect(timing['shell.execute_reply']! <= timing['iopub.status.idle']!).toBe(true);

    expect(events.filter((e) => e.status === 'ok').map((e) => e.index)).toEqual([1, 2, 3, 4, 5, 8, 9, 10]);
    expect(events.every((e) => e.count === 11)).toBe(true);
    await expectNothingLeft(before);
  });

  it('stops at the first failing cell with CellExecutionError naming it, and shuts the kernel down', async () => {
    const before = await snapshot();
    const error = await runNotebook(jupyter, await fixture('errors.ipynb')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CellExecutionError);
    const e = error as CellExecutionError;
    expect(e).toMatchObject({ cellIndex: 1, cellId: 'errors-1', ename: 'ZeroDivisionError', evalue: 'division by zero' });
    expect(e.message).toBe('cells[1] (id errors-1) raised ZeroDivisionError: division by zero');
    expect(e.traceback.join('\n')).toContain('ZeroDivisionError');
    expect(outputsOf(e.notebook!, 1)[0]).toMatchObject({ output_type: 'error', ename: 'ZeroDivisionError' });
    expect(outputsOf(e.notebook!, 2)).toEqual([]); // never ran
    await expectNothingLeft(before);
  });

  it('records errors and goes on with stopOnError: false (nbclient allow_errors)', async () => {
    const nb = await runNotebook(jupyter, await fixture('errors.ipynb'), { stopOnError: false });
    expect(outputsOf(nb, 1)[0]).toMatchObject({ output_type: 'error', ename: 'ZeroDivisionError', evalue: 'division by zero' });
    expect(text(outputsOf(nb, 2)[0])).toBe('after\n');
    expect(plain(outputsOf(nb, 2)[1])).toBe('2');
    expect(outputsOf(nb, 3)[0]).toMatchObject({ output_type: 'error', ename: 'ValueError', evalue: 'bad value: ü' });
    expect(plain(outputsOf(nb, 4)[0])).toBe("'end'");
    expect(nb.cells.map((c) => (c as ICodeCell).execution_count)).toEqual([1, 2, 3, 4, 5]);
  });

  it('does not stop on a cell tagged raises-exception even with stopOnError on', async () => {
    const nb = await runNotebook(
      jupyter,
      notebook(code("raise KeyError('k')", { metadata: { tags: ['raises-exception'] } }), code("'next'")),
    );
    expect(outputsOf(nb, 0)[0]).toMatchObject({ output_type: 'error', ename: 'KeyError' });
    expect(plain(outputsOf(nb, 1)[0])).toBe("'next'");
  });

  it('interrupts time.sleep(60) after cellTimeout, throws CellTimeoutError and shuts the kernel down', async () => {
    const before = await snapshot();
    // The sleep outlasts the test's own time limit: only the cellTimeout can end the run in time.
    const error = await runNotebook(
      jupyter,
      notebook(code("print('start')"), code("import time\nprint('before the limit', flush=True)\ntime.sleep(600)", { id: 'sleepy' })),
      { cellTimeout: 1500 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CellTimeoutError);
    expect(error).toMatchObject({ cellIndex: 1, cellId: 'sleepy', timeout: 1500 });
    // What the cell printed before the limit is kept, as nbclient keeps it.
    const partial = (error as CellTimeoutError).notebook!;
    expect(outputsOf(partial, 1).map(text)).toEqual(['before the limit\n']);
    expect(outputsOf(partial, 0).map(text)).toEqual(['start\n']);
    expect((error as Error).message).toBe('cells[1] (id sleepy) timed out after 1.5 s');
    await expectNothingLeft(before);
  });

  it('runs a notebook by path in a session at that path (relative files work) and saves it back with save: true', async () => {
    await writeFile(join(rootDir, dir, 'data.txt'), 'beside the notebook');
    const path = `${dir}/by-path.ipynb`;
    const input = notebook(code("print(open('data.txt').read())", { id: 'read' }), code('import os, time\ntime.sleep(0.3)\nos.path.basename(os.getcwd())'));
    await writeFile(join(rootDir, path), JSON.stringify(input));
    const before = await snapshot();
    const sessionPaths: string[] = [];
    const nb = await runNotebook(jupyter, path, {
      save: true,
      onProgress: async (e) => {
        if (e.index === 0 && e.status === 'running') sessionPaths.push(...(await jupyter.sessions.list()).map((s) => s.path));
      },
    });
    expect(text(outputsOf(nb, 0)[0])).toBe('beside the notebook\n');
    expect(plain(outputsOf(nb, 1)[0])).toBe(`'${dir}'`);
    expect(sessionPaths).toContain(path);

    const saved = JSON.parse(await readFile(join(rootDir, path), 'utf8')) as INotebookContent;
    expect(text(outputsOf(saved, 0)[0])).toBe('beside the notebook\n');
    expect((saved.cells[1] as ICodeCell).execution_count).toBe(2);
    expect(saved.cells[0]!.id).toBe('read');
    await expectNothingLeft(before);
  });

  it('saves the notebook as far as it ran back to its path when a cell fails (as papermill does)', async () => {
    const path = `${dir}/fails.ipynb`;
    await writeFile(join(rootDir, path), JSON.stringify(await fixture('errors.ipynb')));
    const error = await runNotebook(jupyter, path, { save: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CellExecutionError);
    const saved = JSON.parse(await readFile(join(rootDir, path), 'utf8')) as INotebookContent;
    expect(outputsOf(saved, 0).map(text)).toEqual(['before 1\n']);
    expect(outputsOf(saved, 1)[0]).toMatchObject({ output_type: 'error', ename: 'ZeroDivisionError' });
    expect(outputsOf(saved, 2)).toEqual([]);
  });

  it('leaves the input file alone unless asked, and writes to outputPath when given one', async () => {
    const path = `${dir}/unsaved.ipynb`;
    const original = JSON.stringify(notebook(code('1 + 1')));
    await writeFile(join(rootDir, path), original);
    const nb = await runNotebook(jupyter, path);
    expect(plain(outputsOf(nb, 0)[0])).toBe('2');
    expect(await readFile(join(rootDir, path), 'utf8')).toBe(original);

    await runNotebook(jupyter, path, { outputPath: `${dir}/unsaved.out.ipynb` });
    expect(await readFile(join(rootDir, path), 'utf8')).toBe(original);
    const out = JSON.parse(await readFile(join(rootDir, dir, 'unsaved.out.ipynb'), 'utf8')) as INotebookContent;
    expect(plain(outputsOf(out, 0)[0])).toBe('2');
  });

  it('leaves cells tagged skip-execution alone, and runs them with skipTagged: false', async () => {
    const input = await fixture('skip.ipynb');
    const nb = await runNotebook(jupyter, input);
    expect(nb.cells[1]).toEqual(input.cells[1]);
    expect(plain(outputsOf(nb, 2)[0])).toBe('[0]');
    expect((nb.cells[2] as ICodeCell).execution_count).toBe(2);

    const error = await runNotebook(jupyter, input, { skipTagged: false }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'CellExecutionError', cellIndex: 1, ename: 'RuntimeError', evalue: 'should not run' });
  });

  it('does not add cell ids to an nbformat 4.4 notebook (nbclient does not either)', async () => {
    const nb = await runNotebook(jupyter, await fixture('no-ids.ipynb'));
    expect(nb.nbformat_minor).toBe(4);
    expect(nb.cells.every((c) => !('id' in c))).toBe(true);
    expect(plain(outputsOf(nb, 2)[0])).toBe('1024');
  });

  it('aborts mid-run: rejects with APIUserAbortError at once and shuts the kernel and session down', async () => {
    const path = `${dir}/abort.ipynb`;
    await writeFile(join(rootDir, path), JSON.stringify(notebook(code("print('one')"), code('import time\ntime.sleep(600)'), code("print('never')"))));
    const before = await snapshot();
    const controller = new AbortController();
    const error = await runNotebook(jupyter, path, {
      signal: controller.signal,
      onProgress: (e) => {
        if (e.index === 1 && e.status === 'running') {
          // The sleep outlasts the test's own time limit: only the abort can end the run in time.
          setTimeout(() => controller.abort(), 500);
        }
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(outputsOf((error as RunAbortedError).notebook!, 0).map(text)).toEqual(['one\n']);
    await expectNothingLeft(before);
    // Nothing was saved: the file on disk has no outputs.
    const onDisk = JSON.parse(await readFile(join(rootDir, path), 'utf8')) as INotebookContent;
    expect(outputsOf(onDisk, 0)).toEqual([]);
  });

  it('rejects an already aborted signal before starting a kernel', async () => {
    const before = await snapshot();
    await expect(runNotebook(jupyter, notebook(code('1')), { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(APIUserAbortError);
    await expectNothingLeft(before);
  });

  it('runs and saves a notebook under a non-ASCII path, reading a non-ASCII file beside it', async () => {
    const sub = `${dir}/ünï cødé 東京`;
    await mkdir(join(rootDir, sub), { recursive: true });
    await writeFile(join(rootDir, sub, 'données.txt'), 'ça marche ✓');
    const path = `${sub}/naïve café #1.ipynb`;
    await writeFile(join(rootDir, path), JSON.stringify(notebook(code("print(open('données.txt', encoding='utf-8').read())"))));
    const nb = await runNotebook(jupyter, path, { save: true });
    expect(text(outputsOf(nb, 0)[0])).toBe('ça marche ✓\n');
    const saved = JSON.parse(await readFile(join(rootDir, path), 'utf8')) as INotebookContent;
    expect(text(outputsOf(saved, 0)[0])).toBe('ça marche ✓\n');
  });

  it('fails with KernelChannelError naming the cell when the code kills its kernel, and cleans up', async () => {
    const before = await snapshot();
    const error = await runNotebook(jupyter, notebook(code("print('ok')"), code('import os\nos._exit(1)', { id: 'exit' })), {
      path: `${dir}/dying.ipynb`,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KernelChannelError);
    expect((error as KernelChannelError).code).toBe('dead');
    expect((error as Error).message).toMatch(/while running cells\[1\] \(id exit\)$/);
    await expectNothingLeft(before);
  });

  it('uses kernelName, and fails with a server error for an unknown one without leaving a kernel', async () => {
    const before = await snapshot();
    await expect(runNotebook(jupyter, notebook(code('1')), { kernelName: 'no-such-kernel' })).rejects.toMatchObject({
      name: 'InternalServerError',
    });
    await expectNothingLeft(before);
  });
});

describe('runNotebook with a kernel that dies during startup', () => {
  it('fails fast with KernelStartupError dead instead of waiting for kernel_info, and cleans up', async () => {
    // A kernelspec whose process exits at once, found through JUPYTER_PATH.
    const jupyterPath = await writeDyingKernelspec(await mkdtemp(join(tmpdir(), 'dying-kernel-')));
    // As the CLI starts its server: no restarts, so the server reports the death within ~1 s.
    const server = await startJupyterServer({ env: { JUPYTER_PATH: jupyterPath }, kernelRestarts: false, python });
    try {
      const local = new JupyterClient({ baseUrl: server.url, token: server.token });
      const error = await runNotebook(local, notebook(code('1')), { kernelName: 'dies', path: 'dying.ipynb' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KernelStartupError);
      expect(error).toBeInstanceOf(KernelChannelError);
      expect(error).toMatchObject({ code: 'dead', kernelName: 'dies', message: 'kernel dies died during startup, before it answered kernel_info' });
      // Not the kernel_info timeout (the server's 60 s, then ours: past the test's own limit, and
      // with a message of its own): the death itself was noticed.
      expect(await local.kernels.list()).toEqual([]);
      expect(await local.sessions.list()).toEqual([]);
    } finally {
      await server.stop();
      await rm(jupyterPath, { recursive: true, force: true });
    }
  });
});
