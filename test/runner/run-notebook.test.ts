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
  KernelChannelError,
  NotFoundError,
  runNotebook,
  type JupyterClient,
  type RunProgress,
} from 'jupyter-sdk';
import { InvalidArgumentError, JupyterSDKError, KernelDiedError, KernelStartupError, ParameterError, RunAbortedError } from 'jupyter-sdk';

type Result = { status: 'ok' | 'error'; outputs: IOutput[]; error?: { ename: string; evalue: string; traceback: string[] } };
/** What a fake cell does: resolve with its result, or hang until `signal` aborts; `emit` sends an output at once. */
type Behaviour = (code: string, signal: AbortSignal, emit: (output: IOutput) => void) => Promise<Result> | Result;

interface FakeOptions {
  /** Header dates of busy, execute_input, execute_reply and idle; default: the current time. */
  dates?: [string, string, string, string];
  /** kernels.get for the kernel being started; default: an idle kernel. */
  getKernel?: (id: string) => Promise<unknown>;
  /** kernels.connect; default: resolves with the fake kernel at once. */
  connect?: (id: string, options: { signal?: AbortSignal; timeout?: number }) => Promise<unknown>;
}

const MSG_TYPE: Record<string, string> = { stream: 'stream', error: 'error', display_data: 'display_data', execute_result: 'execute_result' };

/** A kernel channel `Execution` look-alike: async-iterable iopub messages, `reply`, `replyMessage`. */
function fakeExecution(
  run: (emit: (output: IOutput) => void) => Promise<Result> | Result,
  signal: AbortSignal | undefined,
  nextCount: () => number,
  dates: FakeOptions['dates'],
) {
  const queue: unknown[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  let failure: unknown;
  const push = (msg: unknown) => {
    queue.push(msg);
    wake?.();
  };
  const end = (error?: unknown) => {
    ended = true;
    failure = error;
    wake?.();
  };
  const date = (i: number) => dates?.[i] ?? new Date().toISOString();
  const message = (msg_type: string, content: unknown, i?: number) => ({
    header: { msg_type, date: i === undefined ? new Date().toISOString() : date(i) },
    content,
  });
  let resolveReply!: (r: unknown) => void;
  let rejectReply!: (e: unknown) => void;
  const reply = new Promise((res, rej) => ((resolveReply = res), (rejectReply = rej)));
  reply.catch(() => {});
  const exec = {
    reply,
    replyMessage: undefined as unknown,
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (queue.length) {
          yield queue.shift();
          continue;
        }
        if (ended) {
          if (failure) throw failure;
          return;
        }
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
    },
  };
  const emit = (o: IOutput) => {
    const { output_type, ...content } = o as IOutput & Record<string, unknown>;
    push(message(MSG_TYPE[output_type as string]!, content));
  };
  push(message('status', { execution_state: 'busy' }, 0));
  push(message('execute_input', { code: '' }, 1));
  signal?.addEventListener('abort', () => {
    if (ended) return;
    const e = new APIUserAbortError();
    rejectReply(e);
    end(e);
  });
  Promise.resolve()
    .then(() => run(emit))
    .then(
      (r) => {
        if (ended) return;
        for (const o of r.outputs) emit(o);
        exec.replyMessage = { header: { msg_type: 'execute_reply', date: date(2) } };
        resolveReply({ status: r.status, execution_count: nextCount(), ...r.error });
        push(message('status', { execution_state: 'idle' }, 3));
        end();
      },
      (e) => {
        rejectReply(e);
        end(e);
      },
    );
  return exec;
}

function fakeServer(behaviour: Behaviour, fake: FakeOptions = {}) {
  const calls: string[] = [];
  const ran: string[] = [];
  let count = 0;
  const kernel = {
    async kernelInfo() {
      return { language_info: { name: 'python', version: '3.11.2' } };
    },
    execute(code: string, options: { signal?: AbortSignal }) {
      ran.push(code);
      const signal = options.signal ?? new AbortController().signal;
      return fakeExecution((emit) => behaviour(code, signal, emit), options.signal, () => ++count, fake.dates);
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
        files.set(path, structuredClone(model.content));
      },
    },
    kernelspecs: {
      list: async () => ({
        default: 'python3',
        kernelspecs: { python3: { name: 'python3', spec: { language: 'python' } }, ir: { name: 'ir', spec: { language: 'R' } } },
      }),
    },
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
      get: (id: string) => (fake.getKernel ? fake.getKernel(id) : Promise.resolve({ id, execution_state: 'idle' })),
      connect: (id: string, options: { signal?: AbortSignal; timeout?: number }) => (fake.connect ? fake.connect(id, options) : Promise.resolve(kernel)),
    },
  } as unknown as JupyterClient;
  return { jupyter, calls, ran, files, kernel };
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
    // The cell never ends by itself: only the cellTimeout can end the run.
    const error = await runNotebook(jupyter, notebook(code('sleep', { id: 's' })), { cellTimeout: 50 }).catch((e) => e);
    expect(error).toBeInstanceOf(CellTimeoutError);
    expect(error).toMatchObject({ cellIndex: 0, cellId: 's', timeout: 50 });
    expect(aborted).toBe(true);
    expect(calls.slice(-2)).toEqual(['close', 'shutdown k2']);
  });

  it('aborts at once when onProgress itself aborts as a cell starts', async () => {
    const controller = new AbortController();
    const { jupyter, calls } = fakeServer((_c, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new APIUserAbortError()))));
    const error = await runNotebook(jupyter, notebook(code('hang')), {
      signal: controller.signal,
      onProgress: (e) => e.status === 'running' && controller.abort(),
    }).catch((e) => e);
    expect(error).toBeInstanceOf(RunAbortedError);
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

  it('reads a path, runs it in a session at that path, saves it back with save: true and deletes the session', async () => {
    const { jupyter, calls, files } = fakeServer((c) => ok(c));
    files.set('dir/nb.ipynb', notebook(code('x')));
    const nb = await runNotebook(jupyter, 'dir/nb.ipynb', { save: true });
    expect(calls).toEqual(['get dir/nb.ipynb', 'session dir/nb.ipynb python3', 'close', 'delete session s1', 'save dir/nb.ipynb']);
    expect(files.get('dir/nb.ipynb')).toEqual(nb);
  });

  it('never overwrites the input notebook unless asked, and uses kernelName over the notebook metadata', async () => {
    const f = fakeServer((c) => ok(c));
    const input = notebook(code('x'));
    f.files.set('a.ipynb', input);
    const nb = await runNotebook(f.jupyter, 'a.ipynb', { kernelName: 'other' });
    expect(f.calls).toEqual(['get a.ipynb', 'session a.ipynb other', 'close', 'delete session s1']);
    expect(f.files.get('a.ipynb')).toBe(input);
    expect((nb.cells[0] as ICodeCell).outputs).toEqual([stdout('x')]);
  });

  it('saves to outputPath, leaving the input alone, for a path or a notebook object', async () => {
    const f = fakeServer((c) => ok(c));
    const input = notebook(code('x'));
    f.files.set('a.ipynb', input);
    const nb = await runNotebook(f.jupyter, 'a.ipynb', { outputPath: 'out/a.ipynb' });
    expect(f.calls.slice(-1)).toEqual(['save out/a.ipynb']);
    expect(f.files.get('out/a.ipynb')).toEqual(nb);
    expect(f.files.get('a.ipynb')).toBe(input);

    const g = fakeServer((c) => ok(c));
    await runNotebook(g.jupyter, notebook(code('y')), { outputPath: 'obj.ipynb' });
    expect((g.files.get('obj.ipynb')!.cells[0] as ICodeCell).outputs).toEqual([stdout('y')]);
  });

  it('refuses save: true for a notebook object with nowhere to save it, before starting anything', async () => {
    const { jupyter, calls } = fakeServer((c) => ok(c));
    await expect(runNotebook(jupyter, notebook(code('a')), { save: true })).rejects.toThrow(InvalidArgumentError);
    expect(calls).toEqual([]);
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

  it("records nbclient's timings from the header dates of busy, execute_input, execute_reply and idle", async () => {
    const dates: [string, string, string, string] = [
      '2026-01-01T00:00:00.000001Z',
      '2026-01-01T00:00:00.250002Z',
      '2026-01-01T00:00:01.500003+00:00',
      '2026-01-01T00:00:01.600004Z',
    ];
    const { jupyter } = fakeServer((c) => ok(c), { dates });
    const nb = await runNotebook(jupyter, notebook(code('a')));
    expect((nb.cells[0] as ICodeCell).metadata.execution).toEqual({
      'iopub.status.busy': '2026-01-01T00:00:00.000001Z',
      'iopub.execute_input': '2026-01-01T00:00:00.250002Z',
      'shell.execute_reply': '2026-01-01T00:00:01.500003Z',
      'iopub.status.idle': '2026-01-01T00:00:01.600004Z',
    });
  });

  it('keeps what a timed-out cell printed before the limit in the notebook the error carries', async () => {
    const { jupyter } = fakeServer((c, signal, emit) => {
      if (c === 'a') return ok('a');
      emit(stdout('started\n'));
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new APIUserAbortError())));
    });
    const error = await runNotebook(jupyter, notebook(code('a'), code('slow', { id: 's' }), code('never')), { cellTimeout: 100 }).catch((e) => e);
    expect(error).toBeInstanceOf(CellTimeoutError);
    const cells = (error as CellTimeoutError).notebook!.cells as ICodeCell[];
    expect(cells[1]!.outputs).toEqual([stdout('started\n')]);
    expect(cells[1]!.execution_count).toBe(2);
    expect(cells[1]!.id).toBe('s');
    expect(cells[2]!.outputs).toEqual([]);
  });

  it('keeps the partial outputs on abort too: RunAbortedError is an APIUserAbortError carrying the notebook', async () => {
    const controller = new AbortController();
    const { jupyter } = fakeServer((_c, signal, emit) => {
      emit(stdout('half\n'));
      setTimeout(() => controller.abort(), 10);
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new APIUserAbortError())));
    });
    const error = await runNotebook(jupyter, notebook(code('slow')), { signal: controller.signal }).catch((e) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(error).toBeInstanceOf(RunAbortedError);
    expect(((error as RunAbortedError).notebook!.cells[0] as ICodeCell).outputs).toEqual([stdout('half\n')]);
  });

  it('throws KernelDiedError (a KernelChannelError) naming the cell, with its outputs so far, when the kernel dies mid-cell', async () => {
    const { jupyter, calls } = fakeServer((c, _signal, emit) => {
      if (c === 'a') return ok('a');
      emit(stdout('last words\n'));
      return Promise.reject(new KernelChannelError('Kernel died', 'dead'));
    });
    const error = await runNotebook(jupyter, notebook(code('a'), code('os._exit(1)', { id: 'x' }))).catch((e) => e);
    expect(error).toBeInstanceOf(KernelChannelError);
    expect(error).toBeInstanceOf(KernelDiedError);
    expect(error).toMatchObject({ code: 'dead', cellIndex: 1, cellId: 'x', message: 'Kernel died while running cells[1] (id x)' });
    expect(((error as KernelDiedError).notebook!.cells[1] as ICodeCell).outputs).toEqual([stdout('last words\n')]);
    expect(calls.slice(-2)).toEqual(['close', 'shutdown k2']);
  });

  it('fails fast with KernelStartupError dead when the server reports the kernel gone during the handshake', async () => {
    let handshakeSignal: AbortSignal | undefined;
    let polls = 0;
    const { jupyter, calls } = fakeServer((c) => ok(c), {
      // Jupyter Server holds the upgrade until kernel_info is answered, which a dead kernel never does.
      connect: (_id, options) => {
        handshakeSignal = options.signal;
        return new Promise((_resolve, reject) => options.signal?.addEventListener('abort', () => reject(new APIUserAbortError())));
      },
      getKernel: async (id) => {
        if (++polls < 3) return { id, execution_state: 'starting' };
        throw new NotFoundError({ status: 404, serverMessage: `Kernel does not exist: ${id}`, method: 'GET', url: `/api/kernels/${id}` });
      },
    });
    // The handshake never ends by itself: the run gave up on it because the kernel was gone
    // (not through a timeout, whose error would say so).
    const error = await runNotebook(jupyter, notebook(code('a')), { kernelName: 'dies' }).catch((e) => e);
    expect(error).toBeInstanceOf(KernelStartupError);
    expect(error).toBeInstanceOf(KernelChannelError);
    expect(error).toMatchObject({ code: 'dead', kernelName: 'dies', kernelId: 'k2', message: 'kernel dies died during startup, before it answered kernel_info' });
    expect(handshakeSignal?.aborted).toBe(true);
    expect(calls).toEqual(['start dies', 'shutdown k2']);
  });

  it('fails with KernelStartupError timeout when the kernel does not answer within startupTimeout', async () => {
    const { jupyter, calls } = fakeServer((c) => ok(c), {
      connect: (_id, options) => new Promise((_resolve, reject) => options.signal?.addEventListener('abort', () => reject(new APIUserAbortError()))),
      getKernel: async (id) => ({ id, execution_state: 'starting' }),
    });
    const error = await runNotebook(jupyter, notebook(code('a')), { startupTimeout: 200 }).catch((e) => e);
    expect(error).toBeInstanceOf(KernelStartupError);
    expect(error).toMatchObject({ code: 'timeout', message: 'kernel python3 did not answer kernel_info within 200 ms' });
    expect(calls).toEqual(['start python3', 'shutdown k2']);
  });

  it('saves the notebook as far as it ran back to its path when a cell fails with save: true, and not by default', async () => {
    const f = fakeServer((c) => (c === 'boom' ? failure : ok(c)));
    f.files.set('a.ipynb', notebook(code('x'), code('boom'), code('never')));
    const error = await runNotebook(f.jupyter, 'a.ipynb', { save: true }).catch((e) => e);
    expect(error).toBeInstanceOf(CellExecutionError);
    expect(f.calls.slice(-3)).toEqual(['close', 'delete session s1', 'save a.ipynb']);
    const saved = f.files.get('a.ipynb')!.cells as ICodeCell[];
    expect(saved[0]!.outputs).toEqual([stdout('x')]);
    expect(saved[1]!.outputs).toEqual(failure.outputs);
    expect(saved[2]!.outputs).toEqual([]);

    const g = fakeServer((c) => (c === 'boom' ? failure : ok(c)));
    g.files.set('a.ipynb', notebook(code('boom')));
    await expect(runNotebook(g.jupyter, 'a.ipynb')).rejects.toBeInstanceOf(CellExecutionError);
    expect(g.calls).not.toContain('save a.ipynb');
  });

  it('saves nothing when the run is aborted', async () => {
    const controller = new AbortController();
    const f = fakeServer((_c, signal) => {
      setTimeout(() => controller.abort(), 10);
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new APIUserAbortError())));
    });
    f.files.set('a.ipynb', notebook(code('slow')));
    await expect(runNotebook(f.jupyter, 'a.ipynb', { signal: controller.signal, save: true })).rejects.toBeInstanceOf(RunAbortedError);
    expect(f.calls).not.toContain('save a.ipynb');
  });

  it('refuses a bad cellTimeout before starting anything', async () => {
    const { jupyter, calls } = fakeServer((c) => ok(c));
    await expect(runNotebook(jupyter, notebook(code('a')), { cellTimeout: 0 })).rejects.toThrow(/cellTimeout/);
    expect(calls).toEqual([]);
  });

  it('injects parameters after the parameters cell, records them, and runs the injected cell in order', async () => {
    const { jupyter } = fakeServer((c) => ok(c));
    const input = notebook(code('alpha = 1', { metadata: { tags: ['parameters'] } }), code('print(alpha)'));
    const nb = await runNotebook(jupyter, input, { parameters: { alpha: 0.5, name: 'x' } });
    expect(nb.cells.map((c) => c.source)).toEqual(['alpha = 1', '# Parameters\nalpha = 0.5\nname = "x"\n', 'print(alpha)']);
    expect(nb.cells.map((c) => (c as ICodeCell).execution_count)).toEqual([1, 2, 3]);
    expect(nb.metadata.papermill).toEqual({ parameters: { alpha: 0.5, name: 'x' } });
    expect(input.cells).toHaveLength(2);
  });

  it('injects nothing for empty parameters', async () => {
    const { jupyter } = fakeServer((c) => ok(c));
    const nb = await runNotebook(jupyter, notebook(code('a')), { parameters: {} });
    expect(nb.cells).toHaveLength(1);
    expect(nb.metadata.papermill).toBeUndefined();
  });

  it('refuses bad parameters with ParameterError before starting a kernel', async () => {
    const { jupyter, calls } = fakeServer((c) => ok(c));
    await expect(runNotebook(jupyter, notebook(code('a')), { parameters: { 'bad name': 1 } })).rejects.toMatchObject({
      name: 'ParameterError',
      code: 'invalid-name',
    });
    await expect(runNotebook(jupyter, notebook(code('a')), { parameters: { when: new Date() as never } })).rejects.toMatchObject({
      code: 'unsupported-value',
    });
    expect(calls).toEqual([]);
  });

  it('refuses parameters for a kernel of another language unless given a renderer, which it then uses', async () => {
    const { jupyter, calls, ran } = fakeServer((c) => ok(c));
    const error = await runNotebook(jupyter, notebook(code('a')), { kernelName: 'ir', parameters: { n: 1 } }).catch((e) => e);
    expect(error).toBeInstanceOf(ParameterError);
    expect(error).toMatchObject({ code: 'unsupported-language', language: 'R' });
    expect(calls).toEqual([]);

    const seen: unknown[] = [];
    const nb = await runNotebook(jupyter, notebook(code('a')), {
      kernelName: 'ir',
      parameters: { n: 1 },
      renderParameters: (params, context) => {
        seen.push(context);
        return Object.entries(params).map(([k, v]) => `${k} <- ${String(v)}\n`).join('');
      },
    });
    expect(seen).toEqual([{ language: 'R', kernelName: 'ir' }]);
    expect(nb.cells[0]!.source).toBe('n <- 1\n');
    expect(ran).toEqual(['n <- 1\n', 'a']);

    const thrown = await runNotebook(jupyter, notebook(code('a')), {
      kernelName: 'ir',
      parameters: { n: 1 },
      renderParameters: () => {
        throw new TypeError('nope');
      },
    }).catch((e) => e);
    expect(thrown).toMatchObject({ name: 'ParameterError', code: 'renderer-failed' });
    expect(thrown.cause).toBeInstanceOf(TypeError);
  });

  it('hands every progress event the notebook as far as it ran', async () => {
    const { jupyter } = fakeServer((c) => ok(c));
    const seen: string[] = [];
    await runNotebook(jupyter, notebook(code('a'), code('b')), {
      onProgress: (e) => seen.push(`${e.index}:${e.status}:${(e.notebook.cells[e.index] as ICodeCell).outputs.length}`),
    });
    expect(seen).toEqual(['0:running:0', '0:ok:1', '1:running:0', '1:ok:1']);
  });

  it('wraps anything but a JupyterSDKError that escapes a run, keeping it as cause', async () => {
    const { jupyter } = fakeServer(() => {
      throw new RangeError('bug');
    });
    const error = await runNotebook(jupyter, notebook(code('a'))).catch((e) => e);
    expect(error).toBeInstanceOf(JupyterSDKError);
    expect(error.cause).toBeInstanceOf(RangeError);
  });
});
