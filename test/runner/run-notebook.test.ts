/**
 * The runner's flow against a fake server and kernel: cell order, errors, timeouts, aborts, and
 * that the kernel it started is always shut down. The real server is in test/integration/.
 */
import { describe, expect, it } from 'vitest';
import type { ICodeCell, INotebookContent, IOutput } from '@jupyterlab/nbformat';
import {
  APIUserAbortError,
  CellExecutionError,
  CellTimeoutError,
  InternalServerError,
  runNotebook,
  type JupyterClient,
  type RunProgress,
} from 'jupyter-sdk';

type Result = { status: 'ok' | 'error'; outputs: IOutput[]; error?: { ename: string; evalue: string; traceback: string[] } };

function fakeServer(behaviour: (code: string, signal: AbortSignal) => Promise<Result> | Result) {
  const calls: string[] = [];
  const ran: string[] = [];
  let count = 0;
  const kernel = {
    async kernelInfo() {
      return { language_info: { name: 'python', version: '3.11.2' } };
    },
    async run(code: string, options: { signal: AbortSignal }) {
      ran.push(code);
      const r = await behaviour(code, options.signal);
      count += 1;
      return { ...r, executionCount: count };
    },
    async close() {
      calls.push('close');
    },
  };
  const files = new Map<string, INotebookContent>();
  const jupyter = {
    contents: {
      async get(path: string) {
        calls.push(`get ${path}`);
        return { type: 'notebook', path, content: structuredClone(files.get(path)) };
      },
      async save(path: string, model: { content: INotebookContent }) {
        calls.push(`save ${path}`);
        files.set(path, model.content);
      },
    },
    kernelspecs: { list: async () => ({ default: 'python3', kernelspecs: {} }) },
    sessions: {
      list: async () => [{ id: 'other', path: 'busy.ipynb' }],
      async create(body: { path: string; kernel: { name: string } }) {
        calls.push(`session ${body.path} ${body.kernel.name}`);
        return { id: 's1', path: body.path, kernel: { id: 'k1' } };
      },
      async delete(id: string) {
        calls.push(`delete session ${id}`);
      },
    },
    kernels: {
      async start(body: { name: string }) {
        calls.push(`start ${body.name}`);
        return { id: 'k2' };
      },
      async shutdown(id: string) {
        calls.push(`shutdown ${id}`);
      },
      connect: async () => kernel,
    },
  } as unknown as JupyterClient;
  return { jupyter, calls, ran, files };
}

const code = (source: string, extra: Partial<ICodeCell> = {}): ICodeCell => ({
  cell_type: 'code',
  source,
  metadata: {},
  outputs: [],
  execution_count: null,
  ...extra,
});
const notebook = (...cells: INotebookContent['cells']): INotebookContent => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
  cells,
});
const stdout = (text: string): IOutput => ({ output_type: 'stream', name: 'stdout', text });
const ok = (text: string): Result => ({ status: 'ok', outputs: [stdout(text)] });
const failure: Result = {
  status: 'error',
  outputs: [{ output_type: 'error', ename: 'ZeroDivisionError', evalue: 'division by zero', traceback: ['tb'] }],
  error: { ename: 'ZeroDivisionError', evalue: 'division by zero', traceback: ['tb'] },
};

describe('runNotebook (fake kernel)', () => {
  it('runs code cells in order, numbers them 1, 2, 3 and leaves other cells alone', async () => {
    const { jupyter, calls, ran } = fakeServer((c) => ok(`out ${c}`));
    const input = notebook(
      code('a', { id: 'c0' }),
      { cell_type: 'markdown', source: '# md', metadata: {}, id: 'm' },
      code('   '),
      code('b', { id: 'c3' }),
    );
    const frozen = structuredClone(input);
    const nb = await runNotebook(jupyter, input);
    expect(ran).toEqual(['a', 'b']);
    expect(nb.cells.map((c) => (c as ICodeCell).execution_count)).toEqual([1, undefined, null, 2]);
    expect((nb.cells[3] as ICodeCell).outputs).toEqual([stdout('out b')]);
    expect(nb.cells.map((c) => c.id)).toEqual(['c0', 'm', undefined, 'c3']);
    expect(nb.metadata.language_info).toEqual({ name: 'python', version: '3.11.2' });
    expect(Object.keys((nb.cells[0] as ICodeCell).metadata.execution as object).sort()).toEqual([
      'iopub.execute_input',
      'iopub.status.busy',
      'iopub.status.idle',
      'shell.execute_reply',
    ]);
    expect(input).toEqual(frozen);
    // A notebook object without `path` runs in a bare kernel, shut down at the end.
    expect(calls).toEqual(['start python3', 'close', 'shutdown k2']);
  });

  it('throws CellExecutionError naming the cell and the exception, and still shuts the kernel down', async () => {
    const { jupyter, calls, ran } = fakeServer((c) => (c === 'boom' ? failure : ok(c)));
    const error = await runNotebook(jupyter, notebook(code('a'), code('boom', { id: 'bad' }), code('never'))).catch((e) => e);
    expect(error).toBeInstanceOf(CellExecutionError);
    expect(error).toMatchObject({ cellIndex: 1, cellId: 'bad', ename: 'ZeroDivisionError', evalue: 'division by zero', traceback: ['tb'] });
    expect(error.message).toBe('cells[1] (id bad) raised ZeroDivisionError: division by zero');
    expect((error.notebook.cells[1] as ICodeCell).outputs).toEqual(failure.outputs);
    expect(ran).toEqual(['a', 'boom']);
    expect(calls.slice(-2)).toEqual(['close', 'shutdown k2']);
  });

  it('records the error and goes on with stopOnError: false', async () => {
    const { jupyter, ran } = fakeServer((c) => (c === 'boom' ? failure : ok(c)));
    const nb = await runNotebook(jupyter, notebook(code('a'), code('boom'), code('b')), { stopOnError: false });
    expect(ran).toEqual(['a', 'boom', 'b']);
    expect((nb.cells[1] as ICodeCell).outputs[0]).toMatchObject({ output_type: 'error', ename: 'ZeroDivisionError' });
    expect((nb.cells[2] as ICodeCell).execution_count).toBe(3);
  });

  it('interrupts a cell that runs past cellTimeout and throws CellTimeoutError', async () => {
    let aborted = false;
    const { jupyter, calls } = fakeServer(
      (_c, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new APIUserAbortError());
          });
        }),
    );
    const started = Date.now();
    const error = await runNotebook(jupyter, notebook(code('sleep', { id: 's' })), { cellTimeout: 50 }).catch((e) => e);
    expect(error).toBeInstanceOf(CellTimeoutError);
    expect(error).toMatchObject({ cellIndex: 0, cellId: 's', timeout: 50 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(aborted).toBe(true);
    expect(calls.slice(-2)).toEqual(['close', 'shutdown k2']);
  });

  it('aborts with APIUserAbortError when the signal fires mid-run, and shuts the kernel down', async () => {
    const controller = new AbortController();
    const { jupyter, calls } = fakeServer(
      (c, signal) =>
        new Promise((resolve, reject) => {
          if (c === 'a') return resolve(ok('a'));
          setTimeout(() => controller.abort(), 10);
          signal.addEventListener('abort', () => reject(new APIUserAbortError()));
        }),
    );
    const events: RunProgress[] = [];
    const error = await runNotebook(jupyter, notebook(code('a'), code('slow')), {
      signal: controller.signal,
      onProgress: (e) => events.push(e),
    }).catch((e) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(events.map((e) => `${e.index}:${e.status}`)).toEqual(['0:running', '0:ok', '1:running', '1:aborted']);
    expect(calls.slice(-2)).toEqual(['close', 'shutdown k2']);
  });

  it('reads a path, runs it in a session at that path, saves it back and deletes the session', async () => {
    const { jupyter, calls, files } = fakeServer((c) => ok(c));
    files.set('dir/nb.ipynb', notebook(code('x')));
    const nb = await runNotebook(jupyter, 'dir/nb.ipynb');
    expect(calls).toEqual(['get dir/nb.ipynb', 'session dir/nb.ipynb python3', 'close', 'delete session s1', 'save dir/nb.ipynb']);
    expect(files.get('dir/nb.ipynb')).toEqual(nb);
  });

  it('does not save with save: false, and uses kernelName over the notebook metadata', async () => {
    const f = fakeServer((c) => ok(c));
    f.files.set('a.ipynb', notebook(code('x')));
    await runNotebook(f.jupyter, 'a.ipynb', { save: false, kernelName: 'other' });
    expect(f.calls).toEqual(['get a.ipynb', 'session a.ipynb other', 'close', 'delete session s1']);
  });

  it("never takes over a session someone else holds for the same path", async () => {
    const f = fakeServer((c) => ok(c));
    f.files.set('busy.ipynb', notebook(code('x')));
    await runNotebook(f.jupyter, 'busy.ipynb', { save: false });
    expect(f.calls[1]).toMatch(/^session busy\.ipynb\.run-\w+ python3$/);
  });

  it('reports progress for every cell, skipped ones included', async () => {
    const { jupyter } = fakeServer((c) => ok(c));
    const events: string[] = [];
    await runNotebook(
      jupyter,
      notebook(code('a'), { cell_type: 'raw', source: 'r', metadata: {} }, code('b', { metadata: { tags: ['skip-execution'] } })),
      { onProgress: (e) => events.push(`${e.index}/${e.count}:${e.status}`) },
    );
    expect(events).toEqual(['0/3:running', '0/3:ok', '1/3:skipped', '2/3:skipped']);
  });

  it('retries the session delete while the server answers 500 (a kernel restarting after it died)', async () => {
    const f = fakeServer((c) => ok(c));
    f.files.set('a.ipynb', notebook(code('x')));
    let failures = 2;
    const sessions = (f.jupyter as unknown as { sessions: { delete(id: string): Promise<void> } }).sessions;
    const remove = sessions.delete.bind(sessions);
    sessions.delete = async (id) => {
      if (failures-- > 0) throw new InternalServerError({ status: 500, serverMessage: 'Unhandled error', method: 'DELETE', url: '/api/sessions/s1' });
      return remove(id);
    };
    await runNotebook(f.jupyter, 'a.ipynb', { save: false });
    expect(f.calls).toContain('delete session s1');
    expect(failures).toBe(-1);
  });

  it('refuses a bad cellTimeout before starting anything', async () => {
    const { jupyter, calls } = fakeServer((c) => ok(c));
    await expect(runNotebook(jupyter, notebook(code('a')), { cellTimeout: 0 })).rejects.toThrow(/cellTimeout/);
    expect(calls).toEqual([]);
  });
});
