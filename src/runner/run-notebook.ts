/**
 * The notebook runner: runs the code cells of an nbformat 4 notebook in one kernel, in order,
 * as nbclient's `NotebookClient.execute()` does, and returns the executed notebook.
 */
import type { ICell, ICodeCell, INotebookContent } from '@jupyterlab/nbformat';
import { APIUserAbortError, InvalidArgumentError, JupyterSDKError, InternalServerError, KernelChannelError, NotFoundError } from '../core/errors.js';
import type { JupyterClient } from '../jupyter/client.js';
import type { NotebookContents } from '../jupyter/models.js';
import type { KernelConnection, RunResult } from '../kernel/connection.js';
import {
  cellAllowsErrors,
  cellId,
  copyNotebook,
  executedCell,
  joinSource,
  nbclientTimestamp,
  skipReason,
  type CellTiming,
} from './cells.js';
import { CellExecutionError, CellTimeoutError } from './errors.js';

/** What happened to a cell, as reported to `onProgress`. */
export type CellProgressStatus = 'running' | 'ok' | 'error' | 'skipped' | 'timeout' | 'aborted';

/** One progress report of {@link runNotebook}. */
export interface RunProgress {
  /** Position of the cell in `notebook.cells` (0-based). */
  index: number;
  /** Number of cells in the notebook. */
  count: number;
  /**
   * `running` when a code cell starts; then `ok`, `error` (it raised), `timeout` or `aborted`.
   * `skipped` for cells that do not run: markdown, raw, blank code, or tagged `skip-execution`.
   */
  status: CellProgressStatus;
  /** The cell: as it was before running for `running`/`skipped`, executed otherwise. */
  cell: ICell;
  /** Wall time of the cell in ms, once it has finished. */
  elapsed?: number;
}

/** Options of {@link runNotebook}. */
export interface RunNotebookOptions {
  /** Kernelspec to run. @default the notebook's `metadata.kernelspec.name`, else the server's default */
  kernelName?: string;
  /** Longest a single cell may run, in ms; then the kernel is interrupted and {@link CellTimeoutError} thrown. @default no limit */
  cellTimeout?: number;
  /**
   * `true`: the first cell that raises stops the run with {@link CellExecutionError}.
   * `false`: the error is recorded in the cell's outputs and the run goes on (nbclient's `allow_errors`).
   * Cells tagged `raises-exception` never stop the run.
   * @default true
   */
  stopOnError?: boolean;
  /** Leave cells tagged `skip-execution` alone. @default true */
  skipTagged?: boolean;
  /** Called when each cell starts and ends (and for each cell that does not run). */
  onProgress?: (progress: RunProgress) => void;
  /** Aborts the run: the running cell is interrupted, the kernel shut down, and {@link APIUserAbortError} thrown. */
  signal?: AbortSignal;
  /** When `notebookOrPath` is a path: write the executed notebook back to it. @default true */
  save?: boolean;
  /** How long the new kernel may take to answer its first `kernel_info_request`, in ms. @default 60000 (nbclient's startup_timeout) */
  startupTimeout?: number;
  /**
   * When `notebookOrPath` is a notebook object: the server path to run it "at", so the kernel starts
   * in that path's folder and relative file access works. @default none (a kernel in the server root)
   */
  path?: string;
}

/**
 * Runs the code cells of a notebook in order in one new kernel and returns the notebook with
 * outputs, execution counts and nbclient's `metadata.execution` timings. Markdown and raw cells,
 * cell ids and all other fields are kept; the input object is never changed.
 *
 * Given a path, the notebook is read with the contents API, run in a session at that path (so the
 * kernel's working directory is the notebook's folder), and saved back unless `save: false`.
 * The kernel or session the runner started is shut down in every case: success, error, timeout, abort.
 *
 * @throws CellExecutionError when a cell raises and `stopOnError` is on (the default)
 * @throws CellTimeoutError when a cell runs longer than `cellTimeout`
 * @throws APIUserAbortError when `signal` aborts
 * @throws InvalidArgumentError when the object is not an nbformat 4 notebook
 * @example
 * const nb = await runNotebook(jupyter, 'analysis/report.ipynb', { cellTimeout: 60_000 });
 */
export async function runNotebook(
  jupyter: JupyterClient,
  notebookOrPath: INotebookContent | string,
  options: RunNotebookOptions = {},
): Promise<INotebookContent> {
  const { signal } = options;
  checkAborted(signal);
  if (options.cellTimeout !== undefined && !(options.cellTimeout > 0)) {
    throw new InvalidArgumentError(`cellTimeout must be a positive number of ms, got ${String(options.cellTimeout)}`);
  }

  let nb: INotebookContent;
  let sessionPath: string | undefined;
  if (typeof notebookOrPath === 'string') {
    const model = (await jupyter.contents.get(notebookOrPath, { type: 'notebook' }, { signal })) as NotebookContents;
    nb = copyNotebook(model.content);
    sessionPath = model.path ?? notebookOrPath;
  } else {
    nb = copyNotebook(notebookOrPath);
    sessionPath = options.path;
  }

  const kernelName = options.kernelName ?? kernelspecName(nb) ?? (await jupyter.kernelspecs.list({ signal })).default;
  checkAborted(signal);

  const kernelHandle = await startKernel(jupyter, kernelName, sessionPath, signal);
  try {
    const connecting = jupyter.kernels.connect(kernelHandle.kernelId);
    let kernel: KernelConnection;
    try {
      kernel = await withAbort(connecting, signal);
    } catch (error) {
      // Aborted while the socket was opening: close it once it is open, or it would keep the process alive.
      connecting.then((k) => k.close(), () => {});
      throw error;
    }
    try {
      checkAborted(signal);
      const info = await withTimeout(withAbort(kernel.kernelInfo(), signal), options.startupTimeout ?? 60_000, kernelName);
      const languageInfo = languageInfoOf(info);
      if (languageInfo) nb.metadata.language_info = languageInfo;
      await runCells(kernel, nb, options);
    } finally {
      await ignoreErrors(() => kernel.close());
    }
  } finally {
    await ignoreErrors(() => kernelHandle.dispose());
  }

  if (typeof notebookOrPath === 'string' && options.save !== false) {
    await jupyter.contents.save(sessionPath!, { type: 'notebook', format: 'json', content: nb } as never, { signal });
  }
  return nb;
}

async function runCells(kernel: KernelConnection, nb: INotebookContent, options: RunNotebookOptions): Promise<void> {
  const { signal, onProgress } = options;
  const stopOnError = options.stopOnError ?? true;
  const skipTagged = options.skipTagged ?? true;
  const count = nb.cells.length;
  let executed = 0;

  for (let index = 0; index < count; index++) {
    const cell = nb.cells[index]!;
    if (skipReason(cell, skipTagged)) {
      onProgress?.({ index, count, status: 'skipped', cell });
      continue;
    }
    checkAborted(signal);
    const codeCell = cell as ICodeCell;
    const allowErrors = cellAllowsErrors(codeCell, stopOnError);
    const id = cellId(codeCell);
    onProgress?.({ index, count, status: 'running', cell: codeCell });

    const started = Date.now();
    const controller = new AbortController();
    const forward = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', forward, { once: true });
    let timedOut = false;
    const timer =
      options.cellTimeout === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            controller.abort(new CellTimeoutError({ cellIndex: index, cellId: id, timeout: options.cellTimeout! }));
          }, options.cellTimeout);

    let result: RunResult;
    try {
      const run = kernel.run(joinSource(codeCell.source), {
        signal: controller.signal,
        storeHistory: true,
        // As nbclient: a failing cell makes the kernel drop requests queued behind it.
        stopOnError: !allowErrors,
      });
      // The channel interrupts the kernel and rejects on abort; the race makes sure we never
      // wait on a kernel that does not answer the interrupt (it is shut down next anyway).
      result = await withAbort(run, controller.signal);
    } catch (error) {
      const elapsed = Date.now() - started;
      if (timedOut) {
        onProgress?.({ index, count, status: 'timeout', cell: codeCell, elapsed });
        throw new CellTimeoutError({ cellIndex: index, cellId: id, timeout: options.cellTimeout!, notebook: nb });
      }
      if (signal?.aborted) {
        onProgress?.({ index, count, status: 'aborted', cell: codeCell, elapsed });
        throw error instanceof APIUserAbortError ? error : new APIUserAbortError(undefined, { cause: error });
      }
      onProgress?.({ index, count, status: 'error', cell: codeCell, elapsed });
      if (error instanceof KernelChannelError) {
        // nbclient's DeadKernelError: say which cell took the kernel down.
        throw new KernelChannelError(`${error.message} while running cells[${index}]${id ? ` (id ${id})` : ''}`, error.code, { cause: error });
      }
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forward);
    }
    const finished = Date.now();

    // nbclient numbers executed cells itself (1, 2, 3, ...), whatever the kernel says.
    executed += 1;
    const timing = localTiming(started, finished);
    const done = executedCell(codeCell, result, executed, timing);
    nb.cells[index] = done;

    const failed = result.status !== 'ok';
    onProgress?.({ index, count, status: failed ? 'error' : 'ok', cell: done, elapsed: finished - started });
    if (failed && !allowErrors) {
      const error = result.error ?? { ename: result.status === 'aborted' ? 'ExecutionAborted' : 'Error', evalue: '', traceback: [] };
      throw new CellExecutionError({ cellIndex: index, cellId: id, ...error, notebook: nb });
    }
  }
}

/** Timings from our own clock, when the kernel channel does not report message times. */
function localTiming(started: number, finished: number): CellTiming {
  const start = nbclientTimestamp(started);
  const end = nbclientTimestamp(finished);
  return {
    'iopub.status.busy': start,
    'iopub.execute_input': start,
    'shell.execute_reply': end,
    'iopub.status.idle': end,
  };
}

interface KernelHandle {
  kernelId: string;
  dispose(): Promise<void>;
}

/**
 * Starts the kernel: in a session at `path` when there is one (the server then starts it in the
 * path's folder), else a bare kernel. Never aborted halfway: a POST cut off after the server
 * acted would leave a kernel nobody knows about, so the signal is checked once it is back.
 */
async function startKernel(
  jupyter: JupyterClient,
  kernelName: string,
  path: string | undefined,
  signal: AbortSignal | undefined,
): Promise<KernelHandle> {
  let handle: KernelHandle;
  if (path !== undefined) {
    // Jupyter Server 1.x answers a POST for a path that already has a session (the notebook open
    // in JupyterLab, say) with that session; running in, then shutting down, someone else's
    // kernel would be wrong, so such a path gets a name of its own in the same folder.
    const existing = await jupyter.sessions.list({ signal });
    const taken = new Set(existing.map((s) => s.path));
    let sessionPath = path;
    while (taken.has(sessionPath)) sessionPath = `${path}.run-${Math.random().toString(36).slice(2, 8)}`;
    const known = new Set(existing.map((s) => s.id));
    const session = await jupyter.sessions.create({ path: sessionPath, type: 'notebook', kernel: { name: kernelName } });
    const kernelId = session.kernel?.id;
    if (!kernelId) throw new JupyterSDKError(`the server started session ${session.id} without a kernel`);
    const ours = !known.has(session.id);
    handle = {
      kernelId,
      dispose: async () => {
        if (ours) await untilGone(() => jupyter.sessions.delete(session.id));
      },
    };
  } else {
    const kernel = await jupyter.kernels.start({ name: kernelName });
    handle = { kernelId: kernel.id, dispose: () => untilGone(() => jupyter.kernels.shutdown(kernel.id)) };
  }
  if (signal?.aborted) {
    await ignoreErrors(() => handle.dispose());
    throw new APIUserAbortError();
  }
  return handle;
}

/**
 * Deletes a session or kernel, retrying for a while: Jupyter Server 1.23 answers 500 to a
 * shutdown while its restarter brings a dead kernel back (the notebook's code killed it), and
 * only accepts it once the restart is through, about a second later. 404 means it is gone.
 */
async function untilGone(remove: () => Promise<void>, deadline = Date.now() + 15_000): Promise<void> {
  for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
    try {
      return await remove();
    } catch (error) {
      if (error instanceof NotFoundError) return;
      if (!(error instanceof InternalServerError) || Date.now() + delay > deadline) throw error;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

function kernelspecName(nb: INotebookContent): string | undefined {
  const name = nb.metadata?.kernelspec?.name;
  return typeof name === 'string' && name ? name : undefined;
}

function languageInfoOf(info: unknown): INotebookContent['metadata']['language_info'] | undefined {
  const i = info as { language_info?: unknown; content?: { language_info?: unknown } } | null | undefined;
  const li = i?.language_info ?? i?.content?.language_info;
  return li && typeof li === 'object' ? (li as INotebookContent['metadata']['language_info']) : undefined;
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new APIUserAbortError();
}

/** Races a promise against the signal (for calls that take none). */
function withAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new APIUserAbortError());
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, kernelName: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new KernelChannelError(`Kernel ${kernelName} did not answer kernel_info within ${ms} ms`, 'timeout')),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function ignoreErrors(fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch {
    // Cleanup is best effort: the original outcome matters more than a failed shutdown.
  }
}
