/**
 * Same outputs as nbclient: the nbclient beside the shared server (Debian's python3-nbclient for
 * 1.23, the one in the 2.x venv for 2.x, so both sides run the same ipykernel) runs each test notebook
 * (`NotebookClient(nb, kernel_name='python3', allow_errors=True).execute()`), runNotebook runs it
 * with `stopOnError: false`, and the two results are compared cell by cell: output types, stream
 * names and text, mime data and metadata, errors, execution counts and which timing keys exist.
 * Timestamps, ids and the kernel's temp file names are left out. Consecutive stream outputs of
 * the same name are merged on both sides before comparing: nbclient 0.7 keeps one output per
 * stream message (how ipykernel chunks a stream depends on flush timing), our kernel channel
 * merges them as JupyterLab does; the text must be the same either way.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ICell, ICodeCell, INotebookContent, IOutput } from '@jupyterlab/nbformat';
import { CellExecutionError, JupyterClient, runNotebook } from 'jupyter-sdk';

const { url, token, python } = inject('jupyter');
const jupyter = new JupyterClient({ baseUrl: url, token });
const fixtures = fileURLToPath(new URL('../fixtures/notebooks/', import.meta.url));
const names = (await readdir(fixtures)).filter((n) => n.endsWith('.ipynb')).sort();

// Runs every notebook named on the command line with nbclient, with allow_errors and (for the
// notebooks in STOP_ON_ERROR) without, and prints both results.
const STOP_ON_ERROR = ['errors.ipynb'];
const NBCLIENT = `
import json, os, sys
import nbformat, nbclient
from nbclient.exceptions import CellExecutionError
stop_on_error = set(json.loads(sys.argv[1]))
out = {'allow_errors': {}, 'stop_on_error': {}}
for path in sys.argv[2:]:
    name = os.path.basename(path)
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(nb, kernel_name='python3', allow_errors=True).execute()
    out['allow_errors'][name] = nb
    if name in stop_on_error:
        nb = nbformat.read(path, as_version=4)
        error = None
        try:
            nbclient.NotebookClient(nb, kernel_name='python3').execute()
        except CellExecutionError as e:
            error = {'ename': e.ename, 'evalue': e.evalue}
        out['stop_on_error'][name] = {'notebook': nb, 'error': error}
json.dump(out, sys.stdout)
`;

let theirs: Record<string, INotebookContent>;
let theirsStopped: Record<string, { notebook: INotebookContent; error: { ename: string; evalue: string } | null }>;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'nbclient-parity-'));
  const args = ['-c', NBCLIENT, JSON.stringify(STOP_ON_ERROR), ...names.map((n) => join(fixtures, n))];
  const { stdout } = await promisify(execFile)(python, args, {
    cwd: work,
    env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const parsed = JSON.parse(stdout);
  theirs = parsed.allow_errors;
  theirsStopped = parsed.stop_on_error;
}, 120_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const join_ = (v: unknown) => (Array.isArray(v) ? v.join('') : v);
// ANSI colours stay (both sides get the same); the kernel's per-process temp file names do not.
const scrub = (line: string) => line.replace(/\/tmp\/ipykernel_\d+\/\d+\.py/g, '<cell file>');

function normalizeOutput(o: IOutput): unknown {
  switch (o.output_type) {
    case 'stream':
      return { output_type: o.output_type, name: o.name, text: join_(o.text) };
    case 'error':
      return { output_type: o.output_type, ename: o.ename, evalue: o.evalue, traceback: (o.traceback as string[]).map(scrub) };
    case 'execute_result':
    case 'display_data': {
      const data = Object.fromEntries(Object.entries((o.data ?? {}) as Record<string, unknown>).map(([k, v]) => [k, join_(v)]));
      return { ...o, data, metadata: o.metadata ?? {} };
    }
    default:
      return o;
  }
}

function normalizeCell(cell: ICell, countOffset: number): unknown {
  const { id: _id, ...rest } = cell;
  if (cell.cell_type !== 'code') return { ...rest, source: join_(cell.source) };
  const c = cell as ICodeCell;
  const { execution: timing, ...metadata } = (c.metadata ?? {}) as Record<string, unknown>;
  const shift = (n: unknown) => (typeof n === 'number' ? n - countOffset : n);
  return {
    cell_type: 'code',
    source: join_(c.source),
    metadata,
    timingKeys: timing ? Object.keys(timing).sort() : undefined,
    execution_count: shift(c.execution_count),
    outputs: mergeStreams(c.outputs).map((o) => {
      const n = normalizeOutput(o) as { execution_count?: unknown };
      return 'execution_count' in n ? { ...n, execution_count: shift(n.execution_count) } : n;
    }),
  };
}

function mergeStreams(outputs: IOutput[]): IOutput[] {
  const merged: IOutput[] = [];
  for (const o of outputs) {
    const last = merged[merged.length - 1];
    if (o.output_type === 'stream' && last?.output_type === 'stream' && last.name === o.name) {
      merged[merged.length - 1] = { ...last, text: `${join_(last.text)}${join_(o.text)}` };
    } else {
      merged.push(o);
    }
  }
  return merged;
}

/** Our counts minus theirs, from the first executed cell (0 when both start at 1). */
function countOffset(ours: INotebookContent, them: INotebookContent): number {
  const first = (nb: INotebookContent) => nb.cells.map((c) => (c as ICodeCell).execution_count).find((n) => typeof n === 'number') ?? 0;
  return first(ours) - first(them);
}

describe('runNotebook gives the same notebook as nbclient', () => {
  it('has test notebooks to compare, base64 image output among them', async () => {
    expect(names.length).toBeGreaterThanOrEqual(5);
    const images = Object.values(theirs).flatMap((nb) =>
      nb.cells.flatMap((c) => (c.cell_type === 'code' ? (c as ICodeCell).outputs : [])).filter((o) => (o.data as Record<string, unknown> | undefined)?.['image/png']),
    );
    expect(images.length).toBeGreaterThanOrEqual(2);
  });

  it.each(STOP_ON_ERROR)('%s with stopOnError: same cells executed and the same error as nbclient without allow_errors', async (name) => {
    const input = JSON.parse(await readFile(join(fixtures, name), 'utf8')) as INotebookContent;
    const error = await runNotebook(jupyter, input).catch((e: unknown) => e);
    const them = theirsStopped[name]!;
    expect(them.error, 'nbclient raised CellExecutionError').not.toBeNull();
    expect(error).toBeInstanceOf(CellExecutionError);
    const e = error as CellExecutionError;
    expect({ ename: e.ename, evalue: e.evalue }).toEqual(them.error);
    const ours = e.notebook!;
    expect(ours.cells.length).toBe(them.notebook.cells.length);
    const offset = countOffset(ours, them.notebook);
    for (let i = 0; i < them.notebook.cells.length; i++) {
      expect(normalizeCell(ours.cells[i]!, offset), `${name} cell ${i}`).toEqual(normalizeCell(them.notebook.cells[i]!, 0));
    }
    expect(ours.metadata.language_info).toEqual(them.notebook.metadata.language_info);
  });

  it.each(names)('%s: same cells, outputs, counts, timing keys and language_info', async (name) => {
    const input = JSON.parse(await readFile(join(fixtures, name), 'utf8')) as INotebookContent;
    const ours = await runNotebook(jupyter, input, { stopOnError: false });
    const them = theirs[name]!;
    expect(them, `nbclient result for ${name}`).toBeDefined();
    expect(ours.cells.length).toBe(them.cells.length);
    const offset = countOffset(ours, them);
    for (let i = 0; i < them.cells.length; i++) {
      expect(normalizeCell(ours.cells[i]!, offset), `${name} cell ${i}`).toEqual(normalizeCell(them.cells[i]!, 0));
    }
    expect(ours.metadata.language_info).toEqual(them.metadata.language_info);
    expect(ours.metadata.kernelspec).toEqual(them.metadata.kernelspec);
    expect(ours.nbformat_minor).toBe(them.nbformat_minor);
  });
});
