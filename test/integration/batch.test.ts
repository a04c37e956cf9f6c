/** Parameters and runNotebooks against the real Jupyter Server of the integration project. */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ICodeCell, INotebookContent, IOutput } from '@jupyterlab/nbformat';
import {
  BatchAbortedError,
  CellExecutionError,
  JupyterClient,
  PythonFloat,
  RunAbortedError,
  runNotebook,
  runNotebooks,
  type BatchProgress,
  type NotebookJob,
} from 'jupyter-sdk';
import { code, notebook } from '../support/notebooks.js';

const { url, token, rootDir } = inject('jupyter');
const jupyter = new JupyterClient({ baseUrl: url, token });
const dir = `batch-${randomUUID()}`;

const text = (nb: INotebookContent, i: number): string =>
  (nb.cells[i] as ICodeCell).outputs.map((o: IOutput) => [(o as { text?: string | string[] }).text ?? ''].flat().join('')).join('');

async function kernelIds(): Promise<Set<string>> {
  return new Set((await jupyter.kernels.list()).map((k) => k.id));
}
async function expectNoNewKernels(before: Set<string>): Promise<void> {
  const sessions = await jupyter.sessions.list();
  expect(sessions.filter((s) => s.path?.startsWith(dir))).toEqual([]);
  expect([...(await kernelIds())].filter((id) => !before.has(id))).toEqual([]);
}

beforeAll(async () => {
  await mkdir(join(rootDir, dir), { recursive: true });
});
afterAll(async () => {
  await rm(join(rootDir, dir), { recursive: true, force: true });
});

describe('parameters through a real Python kernel', () => {
  // Each value, and the repr Python 3.11 gives of the literal the runner writes for it.
  const cases: Array<[string, unknown, string]> = [
    ['int', 42, '42'],
    ['neg', -7, '-7'],
    ['big', 123456789012345678901234567890n, '123456789012345678901234567890'],
    ['flt', 0.1, '0.1'],
    ['tiny', 1.5e-7, '1.5e-07'],
    ['huge', 1e300, '1e+300'],
    ['two', new PythonFloat(2), '2.0'],
    ['nan', NaN, 'nan'],
    ['inf', Infinity, 'inf'],
    ['ninf', -Infinity, '-inf'],
    ['yes', true, 'True'],
    ['no', false, 'False'],
    ['nothing', null, 'None'],
    ['empty', '', "''"],
    ['quotes', `it's "quoted"`, `'it\\'s "quoted"'`],
    ['lines', 'a\nb\tc\r\\d', "'a\\nb\\tc\\r\\\\d'"],
    ['unicode', 'é東京😀', "'é東京😀'"],
    ['control', '\x00\x07\x7f', "'\\x00\\x07\\x7f'"],
    ['lst', [1, 'two', [3.5, null], []], "[1, 'two', [3.5, None], []]"],
    ['dct', { a: 1, 'b c': { d: [true] }, '3': 'x' }, "{'3': 'x', 'a': 1, 'b c': {'d': [True]}}"],
  ];

  it('writes every value as a literal that Python reads back to the same value (repr round trip)', async () => {
    const parameters = Object.fromEntries(cases.map(([name, value]) => [name, value])) as Record<string, never>;
    const printing = cases.map(([name]) => `print(${JSON.stringify(name)}, repr(${name}), sep='\\t')`).join('\n');
    const nb = await runNotebook(jupyter, notebook(code(printing)), { parameters });
    const lines = text(nb, 1).trimEnd().split('\n');
    expect(Object.fromEntries(lines.map((l) => l.split('\t')))).toEqual(Object.fromEntries(cases.map(([name, , repr]) => [name, repr])));
    // The injected cell ran first, as cell 1.
    expect(nb.cells[0]!.metadata.tags).toEqual(['injected-parameters']);
    expect((nb.cells[0] as ICodeCell).execution_count).toBe(1);
    expect(JSON.parse(JSON.stringify(nb.metadata.papermill))).toMatchObject({ parameters: { nan: 'nan', big: '123456789012345678901234567890' } });
  });

  it('overrides the defaults of the parameters cell, and replaces its own cell on a re-run of its output', async () => {
    const input = notebook(code('alpha = 1\nname = "default"', { metadata: { tags: ['parameters'] } }), code('print(alpha, name)'));
    const first = await runNotebook(jupyter, input, { parameters: { alpha: 0.5, name: 'x' } });
    expect(text(first, 2)).toBe('0.5 x\n');
    const second = await runNotebook(jupyter, first, { parameters: { alpha: 2 } });
    expect(second.cells).toHaveLength(3);
    expect(second.cells[1]!.source).toBe('# Parameters\nalpha = 2\n');
    expect(text(second, 2)).toBe('2 default\n');
    expect(second.metadata.papermill).toMatchObject({ parameters: { alpha: 2 } });
  });
});

describe('runNotebooks on a real server', () => {
  it('runs 8 notebooks with jobs 4: outputs right, results in order, one failure isolated, no kernel left behind', async () => {
    const before = await kernelIds();
    // The same notebook file eight times at once with different parameters: each must get a
    // kernel of its own, though they all run at one path.
    const path = `${dir}/square.ipynb`;
    await writeFile(
      join(rootDir, path),
      JSON.stringify(
        notebook(
          code('n = 0', { metadata: { tags: ['parameters'] } }),
          code('import os, time\ntime.sleep(0.5)\nif n == 5:\n    1 / 0\nprint(n * n, os.getpid())'),
        ),
      ),
    );
    const items: NotebookJob[] = Array.from({ length: 8 }, (_, n) => ({ notebook: path, parameters: { n } }));
    let running = 0;
    let peak = 0;
    const events: Array<BatchProgress['type']> = [];
    const results = await runNotebooks(jupyter, items, {
      jobs: 4,
      onProgress: (e) => {
        events.push(e.type);
        if (e.type === 'started') peak = Math.max(peak, ++running);
        if (e.type === 'finished') running -= 1;
      },
    });

    expect(results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(results.map((r) => r.item)).toEqual(items);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true, false, true, true]);
    const pids = new Set<string>();
    for (const r of results) {
      if (!r.ok) continue;
      const [square, pid] = text(r.notebook, 2).trim().split(' ');
      expect(Number(square)).toBe((r.item.parameters!.n as number) ** 2);
      pids.add(pid!);
    }
    expect(pids.size).toBe(7);
    const failed = results[5]!;
    expect(failed.ok).toBe(false);
    if (!failed.ok) {
      expect(failed.error).toBeInstanceOf(CellExecutionError);
      expect((failed.error as CellExecutionError).ename).toBe('ZeroDivisionError');
      expect(failed.notebook?.cells[1]!.source).toBe('# Parameters\nn = 5\n');
    }
    expect(peak).toBe(4);
    expect(events.filter((t) => t === 'started')).toHaveLength(8);
    expect(events.filter((t) => t === 'finished')).toHaveLength(8);
    // Nothing saved unless asked: the input is as it was.
    expect(JSON.parse(await readFile(join(rootDir, path), 'utf8')).cells).toHaveLength(2);
    await expectNoNewKernels(before);
  });

  it('saves each result to its out path, and spreads work over several targets', async () => {
    const before = await kernelIds();
    const second = new JupyterClient({ baseUrl: url, token });
    const items = [0, 1, 2, 3].map((i) => ({ notebook: notebook(code(`print(${i})`)), out: `${dir}/out-${i}.ipynb` }));
    const results = await runNotebooks([jupyter, second], items, { jobs: 2 });
    expect(results.every((r) => r.ok)).toBe(true);
    expect(new Set(results.map((r) => r.target))).toEqual(new Set([0, 1]));
    for (const i of [0, 1, 2, 3]) {
      const saved = JSON.parse(await readFile(join(rootDir, dir, `out-${i}.ipynb`), 'utf8')) as INotebookContent;
      expect(text(saved, 0)).toBe(`${i}\n`);
    }
    await expectNoNewKernels(before);
  });

  it('aborts mid-batch: running notebooks are interrupted, the rest never start, every kernel is shut down', async () => {
    const before = await kernelIds();
    const controller = new AbortController();
    const items = Array.from({ length: 6 }, (_, i) => ({ notebook: notebook(code(`print('started ${i}', flush=True)`), code('import time\ntime.sleep(60)')) }));
    let started = 0;
    const error = await runNotebooks(jupyter, items, {
      jobs: 2,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.type === 'cell' && e.progress.index === 1 && e.progress.status === 'running' && ++started === 2) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchAbortedError);
    const { results } = error as BatchAbortedError;
    expect(results).toHaveLength(6);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.name))).toEqual(Array(6).fill('RunAbortedError'));
    expect(results.every((r) => !r.ok && r.error instanceof RunAbortedError)).toBe(true);
    // The two that ran carry what they printed; the four others never started.
    const partial = results.map((r) => (!r.ok && r.notebook ? text(r.notebook, 0) : undefined));
    expect(partial).toEqual(['started 0\n', 'started 1\n', undefined, undefined, undefined, undefined]);
    await expectNoNewKernels(before);
  });
});
