import { describe, expect, it } from 'vitest';
import type { ICodeCell, IMarkdownCell } from '@jupyterlab/nbformat';
import { InvalidArgumentError, JupyterSDKError } from 'jupyter-sdk';
import {
  cellAllowsErrors,
  copyNotebook,
  executedCell,
  joinSource,
  nbclientTimestamp,
  recordTiming,
  skipReason,
  validateNotebook,
  InvalidNotebookError,
  type CellTiming,
} from '../../src/runner/cells.js';

const code = (source: string | string[], extra: Partial<ICodeCell> = {}): ICodeCell => ({
  cell_type: 'code',
  source,
  metadata: {},
  outputs: [],
  execution_count: null,
  ...extra,
});

describe('which cells run (nbclient rules)', () => {
  it('runs code cells with non-blank source, joined from a line list', () => {
    expect(skipReason(code(['print(1)\n', 'print(2)']), true)).toBeUndefined();
    expect(joinSource(['print(1)\n', 'print(2)'])).toBe('print(1)\nprint(2)');
  });

  it('skips markdown and raw cells, and code cells whose source is blank', () => {
    const md: IMarkdownCell = { cell_type: 'markdown', source: '# t', metadata: {} };
    expect(skipReason(md, true)).toBe('not-code');
    expect(skipReason({ cell_type: 'raw', source: 'x', metadata: {} }, true)).toBe('not-code');
    expect(skipReason(code('  \n\t'), true)).toBe('empty');
  });

  it('skips cells tagged skip-execution only while skipTagged is on', () => {
    const tagged = code('1', { metadata: { tags: ['other', 'skip-execution'] } });
    expect(skipReason(tagged, true)).toBe('tagged');
    expect(skipReason(tagged, false)).toBeUndefined();
  });

  it('lets a raises-exception cell fail without stopping the run, as nbclient does', () => {
    expect(cellAllowsErrors(code('1', { metadata: { tags: ['raises-exception'] } }), true)).toBe(true);
    expect(cellAllowsErrors(code('1'), true)).toBe(false);
    expect(cellAllowsErrors(code('1'), false)).toBe(true);
  });
});

describe('executedCell', () => {
  const timing = {
    'iopub.status.busy': '2026-01-01T00:00:00.000001Z',
    'iopub.execute_input': '2026-01-01T00:00:00.000002Z',
    'shell.execute_reply': '2026-01-01T00:00:00.000003Z',
    'iopub.status.idle': '2026-01-01T00:00:00.000004Z',
  };

  it('sets outputs, the execution count and metadata.execution, and keeps id, source and other metadata', () => {
    const cell = code(['x = 1\n', 'x'], {
      id: 'abc',
      metadata: { tags: ['t'], collapsed: false, execution: { old: 'x' } },
      outputs: [{ output_type: 'stream', name: 'stdout', text: 'stale' }],
      execution_count: 9,
    });
    const outputs = [{ output_type: 'execute_result' as const, data: { 'text/plain': '1' }, metadata: {}, execution_count: 1 }];
    const done = executedCell(cell, { outputs, executionCount: 1 }, 1, timing);
    expect(done).toEqual({
      cell_type: 'code',
      id: 'abc',
      source: ['x = 1\n', 'x'],
      metadata: { tags: ['t'], collapsed: false, execution: timing },
      outputs,
      execution_count: 1,
    });
  });

  it('does not change the cell it was given', () => {
    const cell = code('1', { metadata: { a: 1 } });
    const before = structuredClone(cell);
    executedCell(cell, { outputs: [{ output_type: 'stream', name: 'stdout', text: 'x' }], executionCount: 3 }, 3, timing);
    expect(cell).toEqual(before);
  });

  it("falls back to the kernel's execution count when the runner gives none", () => {
    expect(executedCell(code('1'), { outputs: [], executionCount: 7 }, null, undefined).execution_count).toBe(7);
  });
});

describe('nbclientTimestamp', () => {
  it('keeps the microseconds of a kernel header date and ends in Z', () => {
    expect(nbclientTimestamp('2026-11-22T05:24:46.366657Z')).toBe('2026-11-22T05:24:46.366657Z');
    expect(nbclientTimestamp('2026-11-22T05:24:46.366657+00:00')).toBe('2026-11-22T05:24:46.366657Z');
    expect(nbclientTimestamp('2026-11-22T05:24:46Z')).toBe('2026-11-22T05:24:46.000000Z');
  });

  it('formats epoch milliseconds as %Y-%m-%dT%H:%M:%S.%fZ', () => {
    expect(nbclientTimestamp(Date.UTC(2026, 0, 2, 3, 4, 5, 678))).toBe('2026-01-02T03:04:05.678000Z');
  });
});

describe('copyNotebook', () => {
  it('returns a deep copy', () => {
    const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [code('1')] };
    const copy = copyNotebook(nb);
    expect(copy).toEqual(nb);
    expect(copy.cells[0]).not.toBe(nb.cells[0]);
  });

  it('refuses what is not an nbformat 4 notebook', () => {
    expect(() => copyNotebook({ nbformat: 3, cells: [] })).toThrow(InvalidArgumentError);
    expect(() => copyNotebook({ nbformat: 4 })).toThrow(/cells/);
    expect(() => copyNotebook({ name: 'package' })).toThrow(/not a notebook/);
    expect(() => copyNotebook(null)).toThrow(InvalidArgumentError);
  });
});

describe('validateNotebook', () => {
  it('accepts an nbformat 4 notebook, with line-list or string sources', () => {
    const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [code(['a\n', 'b']), code('c')] };
    expect(validateNotebook(nb)).toBe(nb);
    expect(validateNotebook({ nbformat: 4, nbformat_minor: 4, metadata: {}, cells: [] }).cells).toEqual([]);
  });

  const problem = (value: unknown) => {
    try {
      validateNotebook(value);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidNotebookError);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error).toBeInstanceOf(JupyterSDKError);
      const e = error as InvalidNotebookError;
      expect(e.message).toBe(`not a runnable notebook: ${e.problem}`);
      return { problem: e.problem, cellIndex: e.cellIndex };
    }
    throw new Error('validateNotebook accepted it');
  };

  it('throws InvalidNotebookError saying what is wrong with JSON that is not a runnable notebook', () => {
    expect(problem({ name: 'package', version: '1.0.0' })).toEqual({ problem: 'no nbformat field (not a notebook)', cellIndex: undefined });
    expect(problem([1, 2]).problem).toBe('not a notebook object');
    expect(problem('text').problem).toBe('not a notebook object');
    expect(problem({ nbformat: 3, worksheets: [] }).problem).toBe('only nbformat 4 notebooks can run, got nbformat 3');
    expect(problem({ nbformat: 4, metadata: {} }).problem).toBe('no `cells` array');
    expect(problem({ nbformat: 4, cells: [code('a'), 7] })).toEqual({ problem: 'cells[1] is not a cell (no cell_type)', cellIndex: 1 });
    expect(problem({ nbformat: 4, cells: [{ cell_type: 'code', metadata: {} }] })).toEqual({ problem: 'cells[0] has no source string or list of lines', cellIndex: 0 });
    expect(problem({ nbformat: 4, cells: [], metadata: 3 }).problem).toBe('`metadata` is not an object');
  });
});

describe('recordTiming', () => {
  const msg = (msg_type: string, content: unknown, date?: string) => ({ header: { msg_type, ...(date ? { date } : {}) }, content });

  it("stamps each key from its own message's header date, as nbclient does", () => {
    const timing: CellTiming = {};
    recordTiming(timing, msg('status', { execution_state: 'busy' }, '2026-01-01T00:00:00.000001Z'));
    recordTiming(timing, msg('execute_input', { code: '1' }, '2026-01-01T00:00:00.000200Z'));
    recordTiming(timing, msg('stream', { name: 'stdout', text: 'x' }, '2026-01-01T00:00:05Z'));
    recordTiming(timing, msg('execute_reply', {}, '2026-01-01T00:00:00.300000+00:00'));
    recordTiming(timing, msg('status', { execution_state: 'idle' }, '2026-01-01T00:00:00.400000Z'));
    expect(timing).toEqual({
      'iopub.status.busy': '2026-01-01T00:00:00.000001Z',
      'iopub.execute_input': '2026-01-01T00:00:00.000200Z',
      'shell.execute_reply': '2026-01-01T00:00:00.300000Z',
      'iopub.status.idle': '2026-01-01T00:00:00.400000Z',
    });
  });

  it('falls back to the arrival time when the header has no usable date', () => {
    const timing: CellTiming = {};
    recordTiming(timing, msg('execute_input', {}), Date.UTC(2026, 0, 2, 3, 4, 5, 678));
    recordTiming(timing, msg('status', { execution_state: 'busy' }, 'not a date'), Date.UTC(2026, 0, 2, 3, 4, 5, 1));
    expect(timing).toEqual({ 'iopub.execute_input': '2026-01-02T03:04:05.678000Z', 'iopub.status.busy': '2026-01-02T03:04:05.001000Z' });
  });
});
