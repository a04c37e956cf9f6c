/**
 * Same outputs as nbclient: Debian's python3-nbclient runs each test notebook
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
import { JupyterClient, runNotebook } from 'jupyter-sdk';

const { url, token } = inject('jupyter');
const jupyter = new JupyterClient({ baseUrl: url, token });
const fixtures = fileURLToPath(new URL('../fixtures/notebooks/', import.meta.url));
const names = (await readdir(fixtures)).filter((n) => n.endsWith('.ipynb')).sort();

// Runs every notebook named on the command line with nbclient and prints {name: notebook}.
const NBCLIENT = `
import json, os, sys
import nbformat, nbclient
out = {}
for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(nb, kernel_name='python3', allow_errors=True).execute()
    out[os.path.basename(path)] = nb
json.dump(out, sys.stdout)
`;

let theirs: Record<string, INotebookContent>;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'nbclient-parity-'));
  const { stdout } = await promisify(execFile)('/usr/bin/python3', ['-c', NBCLIENT, ...names.map((n) => join(fixtures, n))], {
    cwd: work,
    env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  theirs = JSON.parse(stdout);
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
  it('has test notebooks to compare', () => {
    expect(names.length).toBeGreaterThanOrEqual(5);
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
