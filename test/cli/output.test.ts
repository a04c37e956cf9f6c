import { describe, expect, it } from 'vitest';
import type { INotebookContent } from '@jupyterlab/nbformat';
import { APIConnectionError, CellExecutionError, CellTimeoutError, PermissionDeniedError } from 'jupyter-sdk';
import { UsageError } from '../../src/cli/args.js';
import { formatListing, remotePathFor } from '../../src/cli/contents.js';
import { describeError } from '../../src/cli/main.js';
import { serializeNotebook } from '../../src/cli/nbjson.js';
import { lineReporter, renderBar } from '../../src/cli/progress.js';
import { commonDir, defaultOutputPath } from '../../src/cli/run.js';

describe('serializeNotebook', () => {
  it('writes like nbformat: sorted keys, one-space indent, line lists, JSON mime data left whole, final newline', () => {
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { z: 1, a: 'ü' },
      cells: [
        {
          id: 'x',
          cell_type: 'code',
          source: 'a\nb',
          metadata: {},
          execution_count: 1,
          outputs: [
            { output_type: 'stream', name: 'stdout', text: 'one\ntwo\n' },
            { output_type: 'display_data', metadata: {}, data: { 'text/html': '<b>\n</b>', 'application/json': { k: 'v\n' } } },
          ],
        },
      ],
    } as unknown as INotebookContent;
    const text = serializeNotebook(nb);
    expect(text.endsWith('}\n')).toBe(true);
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual(['cells', 'metadata', 'nbformat', 'nbformat_minor']);
    expect(Object.keys(parsed.cells[0])).toEqual(['cell_type', 'execution_count', 'id', 'metadata', 'outputs', 'source']);
    expect(parsed.cells[0].source).toEqual(['a\n', 'b']);
    expect(parsed.cells[0].outputs[0].text).toEqual(['one\n', 'two\n']);
    expect(parsed.cells[0].outputs[1].data).toEqual({ 'application/json': { k: 'v\n' }, 'text/html': ['<b>\n', '</b>'] });
    expect(text).toContain('"a": "ü"');
    expect(text).toMatch(/^\{\n "cells": \[\n  \{\n   "cell_type"/);
    expect(nb.cells[0]!.source).toBe('a\nb');
  });
});

describe('describeError', () => {
  it('maps cell failures to 1 and usage, connection and auth errors to 2, each on one line', () => {
    const cell = new CellExecutionError({ cellIndex: 2, cellId: 'c', ename: 'ValueError', evalue: 'x' });
    expect(describeError(cell)).toEqual({ message: 'cells[2] (id c) raised ValueError: x', status: 1 });
    expect(describeError(new CellTimeoutError({ cellIndex: 0, cellId: undefined, timeout: 2000 }))).toEqual({
      message: 'cells[0] timed out after 2 s',
      status: 1,
    });
    expect(describeError(new UsageError('bad'))).toEqual({ message: 'bad', status: 2 });
    const refused = new APIConnectionError('GET http://127.0.0.1:1/api failed to connect', {
      cause: Object.assign(new Error('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) })),
    });
    expect(describeError(refused)).toEqual({
      message: 'cannot reach the Jupyter server: GET http://127.0.0.1:1/api failed to connect (ECONNREFUSED)',
      status: 2,
    });
    const denied = new PermissionDeniedError({ status: 403, serverMessage: 'Forbidden', method: 'GET', url: 'http://h/api' });
    expect(describeError(denied)).toMatchObject({ message: expect.stringMatching(/refused the token \(403 Forbidden\)/), status: 2 });
    expect(describeError(new Error('first\nsecond'))).toEqual({ message: 'first', status: 2 });
  });
});

describe('CLI helpers', () => {
  it('names the default output <name>.out.ipynb beside the input', () => {
    expect(defaultOutputPath('dir/report.ipynb')).toBe('dir/report.out.ipynb');
    expect(defaultOutputPath('noext')).toBe('noext.out.ipynb');
  });

  it('finds the common folder of the notebooks', () => {
    expect(commonDir(['/a/b/c', '/a/b/d', '/a/b'])).toBe('/a/b');
    expect(commonDir(['/x', '/y'])).toBe('/');
  });

  it('puts an upload at PATH, or inside PATH when it ends in /', () => {
    expect(remotePathFor('/tmp/data.csv', undefined)).toBe('data.csv');
    expect(remotePathFor('/tmp/data.csv', 'in/')).toBe('in/data.csv');
    expect(remotePathFor('/tmp/data.csv', 'in/renamed.csv')).toBe('in/renamed.csv');
  });

  it('lists folders first, aligned, with a trailing /', () => {
    const listing = formatListing([
      { name: 'b.txt', path: 'b.txt', type: 'file', size: 12, last_modified: '2026-11-22T05:00:00.123456Z' },
      { name: 'sub', path: 'sub', type: 'directory', last_modified: '2026-11-22T05:00:00Z' },
    ] as never);
    expect(listing).toBe('directory   -  2026-11-22 05:00:00  sub/\nfile       12  2026-11-22 05:00:00  b.txt\n');
  });

  it('prints one line per finished code cell when not on a terminal', () => {
    let text = '';
    const r = lineReporter({ write: (t: string) => (text += t) });
    const cell = { cell_type: 'code', source: 'x', metadata: {}, outputs: [], execution_count: 1 } as never;
    r.update('nb.ipynb', { index: 0, count: 3, status: 'running', cell });
    r.update('nb.ipynb', { index: 0, count: 3, status: 'ok', cell, elapsed: 1234 });
    r.update('nb.ipynb', { index: 1, count: 3, status: 'skipped', cell: { cell_type: 'markdown', source: '', metadata: {} } });
    r.update('nb.ipynb', { index: 2, count: 3, status: 'error', cell, elapsed: 50 });
    expect(text).toBe('nb.ipynb: cells[0] ok 1.23 s (1/3)\nnb.ipynb: cells[2] error 0.05 s (3/3)\n');
  });

  it('draws a bar that fits the terminal', () => {
    expect(renderBar('nb.ipynb', 5, 10, 5, 1200, 80)).toBe('nb.ipynb [##########----------]  5/10 cells[5]  1.20 s');
    expect(renderBar('nb.ipynb', 0, 10, 0, 0, 80)).toBe('nb.ipynb [--------------------]  0/10 cells[0]  0.00 s');
    expect(renderBar('a-very-long-notebook-name.ipynb', 10, 10, undefined, 0, 50).length).toBeLessThanOrEqual(50);
  });
});
