/**
 * The notebook runner: runs the code cells of an nbformat 4 notebook in one kernel, in order,
 * as nbclient's `NotebookClient.execute()` does, and returns the executed notebook.
 */
import type { ICell, ICodeCell, INotebookContent } from '@jupyterlab/nbformat';
import { APIUserAbortError, InvalidArgumentError, JupyterSDKError, InternalServerError, KernelChannelError, NotFoundError } from '../core/errors.js';
import type { JupyterClient } from '../jupyter/client.js';
import type { NotebookContents } from '../jupyter/models.js';
import type { KernelConnection, RunResult } from '../kernel/connection.js';
import { OutputCollector, type DisplayRegistry } from '../kernel/outputs.js';
import { Deadline, sleep } from '../core/deadline.js';
import {
  definedEntries,
  injectParameters,
  ParameterError,
  recordParameters,
  renderPythonParameters,
  type ParameterRenderer,
  type Parameters,
} from './parameters.js';
import {
  cellAllowsErrors,
  cellId,
  copyNotebook,
  executedCell,
  joinSource,
  recordTiming,
  skipReason,
  type CellTiming,
} from './cells.js';
import { CellExecutionError, CellTimeoutError, KernelDiedError, KernelStartupError, RunAbortedError, partialNotebook } from './errors.js';

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
  /**
   * The notebook as far as it ran (the runner's working copy: read it, copy it to keep it, never
   * change it). Lets a caller write the output as the run goes.
   */
  notebook: INotebookContent;
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
  /**
   * Aborts the run: the running cell is interrupted, the kernel shut down, and {@link RunAbortedError}
   * (an `APIUserAbortError`) thrown, carrying the notebook as far as it ran. Nothing is saved.
   */
  signal?: AbortSignal;
  /**
   * Write the executed notebook back to the path it was read from (or, for a notebook object, to
   * `path`). The input is never overwritten unless asked: by this, or by `outputPath` naming it.
   * When a cell fails (raises with `stopOnError`, times out, or takes its kernel down) the notebook
   * as far as it ran is saved before the error is thrown, as papermill does.
   * @default false
   */
  save?: boolean;
  /**
   * Server path to save the executed notebook to (contents API), whatever the input was; on
   * failure the notebook as far as it ran is saved there, as with `save`. @default none
   */
  outputPath?: string;
  /**
   * Parameters, papermill's convention: a code cell tagged `injected-parameters` with one
   * assignment per parameter is put right after the cell tagged `parameters` (at the top when there
   * is none), replacing an earlier injected cell, and the values are recorded in
   * `metadata.papermill.parameters`. Python kernels get Python literals; other languages need
   * `renderParameters`. An empty object injects nothing; a name whose value is `undefined` is left out.
   * @throws ParameterError (before any kernel starts) for a name that is not an identifier, a value with no literal, or a language with no renderer
   */
  parameters?: Parameters;
  /** Writes the injected cell's source for kernels whose language the runner has no literals for (or to write them your way). */
  renderParameters?: ParameterRenderer;
  /**
   * How long the new kernel may take to accept the WebSocket and answer its first
   * `kernel_info_request`, in ms; then {@link KernelStartupError} `timeout`. A kernel that dies
   * during startup fails sooner, with {@link KernelStartupError} `dead`, as soon as the server
   * reports it gone.
   * @default 60000 (nbclient's startup_timeout)
   */
  startupTimeout?: number;
  /**
   * When `notebookOrPath` is a notebook object: the server path to run it "at", so the kernel starts
   * in that path's folder and relative file access works. @default none (a kernel in the server root)
   */
  path?: string;
}

/** How often the kernel's REST model is polled while it starts, to notice a kernel that died. */
const STARTUP_POLL_MS = 500;

/**
 * Runs the code cells of a notebook in order in one new kernel and returns the notebook with
 * outputs, execution counts and nbclient's `metadata.execution` timings. Markdown and raw cells,
 * cell ids and all other fields are kept; the input object is never changed.
 *
 * Given a path, the notebook is read with the contents API and run in a session at that path (so
 * the kernel's working directory is the notebook's folder); it is written back only with
 * `save: true`, or to `outputPath` (also when a cell fails, see {@link RunNotebookOptions.save}).
 * The kernel or session the runner started is shut down in every case: success, error, timeout, abort.
 *
 * @throws CellExecutionError when a cell raises and `stopOnError` is on (the default)
 * @throws CellTimeoutError when a cell runs longer than `cellTimeout`
 * @throws KernelDiedError (a KernelChannelError) when the kernel dies or restarts while a cell runs
 * @throws KernelStartupError (a KernelChannelError) when the kernel dies during startup or does not answer within `startupTimeout`
 * @throws RunAbortedError (an APIUserAbortError) when `signal` aborts
 * @throws InvalidNotebookError (an InvalidArgumentError) when the object is not an nbformat 4 notebook
 * @throws ParameterError (an InvalidArgumentError) for parameters that cannot be written, before any kernel starts
 * @example
 * const nb = await runNotebook(jupyter, 'analysis/report.ipynb', { parameters: { alpha: 0.5 }, cellTimeout: 60_000 });
 */
export async function runNotebook(
  jupyter: JupyterClient,
  notebookOrPath: INotebookContent | string,
  options: RunNotebookOptions = {},
): Promise<INotebookContent> {
  return runNotebookWith(jupyter, notebookOrPath, options, (cleanup) => cleanup);
}

/**
 * {@link runNotebook}, with the kernel's shutdown handed to `cleanup`, which returns what the run
 * awaits before it goes on. runNotebooks takes the shutdown (about 0.5-1 s on Jupyter Server: it
 * waits for the kernel process to exit) off the run's path, so the next notebook's kernel starts
 * meanwhile, and awaits every shutdown before the batch returns.
 */
export async function runNotebookWith(
  jupyter: JupyterClient,
  notebookOrPath: INotebookContent | string,
  options: RunNotebookOptions,
  cleanup: (shutdown: Promise<void>) => Promise<void> | void,
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

  const savePath = options.outputPath ?? (options.save ? sessionPath : undefined);
  if (options.save && savePath === undefined) {
    throw new InvalidArgumentError('save: true needs a notebook read from a path, or a `path` or `outputPath` to save to');
  }
  if (options.outputPath === '') throw new InvalidArgumentError('outputPath must not be empty');

  const parameters = options.parameters && definedEntries(options.parameters).length > 0 ? options.parameters : undefined;
  let specs: KernelSpecList | undefined;
  const kernelspecs = async () => (specs ??= await jupyter.kernelspecs.list({ signal }));
  const kernelName = options.kernelName ?? kernelspecName(nb) ?? (await kernelspecs()).default;
  if (parameters) {
    // Rendered before any kernel starts, so bad parameters cost nothing.
    const language = await kernelLanguage(nb, kernelName, kernelspecs);
    const source = renderParameterCell(parameters, options.renderParameters, kernelName, language);
    injectParameters(nb, source);
    recordParameters(nb, parameters);
  }
  checkAborted(signal);

  const kernelHandle = await startKernel(jupyter, kernelName, sessionPath, signal);
  let failure: { error: unknown } | undefined;
  let kernel: KernelConnection | undefined;
  try {
    const started = await connectKernel(jupyter, kernelHandle.kernelId, kernelName, options);
    kernel = started.kernel;
    const languageInfo = languageInfoOf(started.info);
    if (languageInfo) nb.metadata.language_info = languageInfo;
    await runCells(kernel, nb, options);
  } catch (error) {
    failure = { error };
  } finally {
    await ignoreErrors(() => kernel?.close());
    await cleanup(ignoreErrors(() => kernelHandle.dispose()));
  }

  if (savePath !== undefined) {
    // On failure, keep what ran (papermill does): the failing cell's traceback is the useful part.
    // An abort saves nothing: the caller asked for everything to stop.
    const toSave = failure ? (failure.error instanceof RunAbortedError ? undefined : partialNotebook(failure.error)) : nb;
    if (toSave) {
      const save = () => jupyter.contents.save(savePath, { type: 'notebook', format: 'json', content: toSave }, { signal });
      // A failed save must not hide why the run failed.
      if (failure) await ignoreErrors(save);
      else await save();
    }
  }
  if (failure) throw asSDKError(failure.error);
  return nb;
}

/** Every error the runner throws is a JupyterSDKError; anything else (a bug, say) is wrapped, keeping it as `cause`. */
function asSDKError(error: unknown): JupyterSDKError {
  if (error instanceof JupyterSDKError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new JupyterSDKError(`notebook run failed: ${message}`, { cause: error });
}

type KernelSpecList = Awaited<ReturnType<JupyterClient['kernelspecs']['list']>>;

/** The kernel's language: its kernelspec's, else the notebook's own record of it. */
async function kernelLanguage(nb: INotebookContent, kernelName: string, specs: () => Promise<KernelSpecList>): Promise<string | undefined> {
  const list = (await specs()).kernelspecs as Record<string, { spec?: { language?: unknown } } | undefined> | undefined;
  const fromSpec = list?.[kernelName]?.spec?.language;
  if (typeof fromSpec === 'string' && fromSpec) return fromSpec;
  const fromNotebook = nb.metadata?.kernelspec?.language ?? nb.metadata?.language_info?.name;
  return typeof fromNotebook === 'string' && fromNotebook ? fromNotebook : undefined;
}

function renderParameterCell(
  parameters: Parameters,
  render: ParameterRenderer | undefined,
  kernelName: string,
  language: string | undefined,
): string {
  if (!render) {
    if (language?.toLowerCase() === 'python') return renderPythonParameters(parameters);
    throw new ParameterError(
      `cannot write parameters for kernel ${kernelName} (language ${language ?? 'unknown'}): only Python literals are built in; pass renderParameters`,
      { code: 'unsupported-language', language },
    );
  }
  let source: unknown;
  try {
    source = render(parameters, { language, kernelName });
  } catch (error) {
    if (error instanceof JupyterSDKError) throw error;
    throw new ParameterError(`renderParameters threw: ${error instanceof Error ? error.message : String(error)}`, {
      code: 'renderer-failed',
      cause: error,
    });
  }
  if (typeof source !== 'string') {
    throw new ParameterError(`renderParameters must return the cell's source as a string, got ${typeof source}`, { code: 'renderer-failed' });
  }
  return source;
}

async function runCells(kernel: KernelConnection, nb: INotebookContent, options: RunNotebookOptions): Promise<void> {
  const { signal, onProgress } = options;
  const stopOnError = options.stopOnError ?? true;
  const skipTagged = options.skipTagged ?? true;
  const count = nb.cells.length;
  // Outputs by display id for the whole run, so update_display_data reaches earlier cells.
  const displays: DisplayRegistry = new Map();
  let executed = 0;

  for (let index = 0; index < count; index++) {
    const cell = nb.cells[index]!;
    if (skipReason(cell, skipTagged)) {
      onProgress?.({ index, count, status: 'skipped', cell, notebook: nb });
      continue;
    }
    if (signal?.aborted) throw new RunAbortedError({ notebook: nb });
    const codeCell = cell as ICodeCell;
    const allowErrors = cellAllowsErrors(codeCell, stopOnError);
    const id = cellId(codeCell);
    onProgress?.({ index, count, status: 'running', cell: codeCell, notebook: nb });

    const started = Date.now();
    const deadline = new Deadline(options.cellTimeout, signal);

    // As nbclient: the cell counts as executed once its request is sent.
    executed += 1;
    const collector = new OutputCollector(displays);
    const timing: CellTiming = {};
    let result: { status: RunResult['status']; error: RunResult['error'] };
    try {
      const run = kernel.execute(joinSource(codeCell.source), {
        signal: deadline.signal,
        storeHistory: true,
        // As nbclient: a failing cell makes the kernel drop requests queued behind it.
        stopOnError: !allowErrors,
      });
      const consume = async () => {
        for await (const msg of run) {
          recordTiming(timing, msg);
          collector.add(msg);
        }
        const reply = await run.reply;
        const status: RunResult['status'] = reply.status === 'ok' || reply.status === 'error' ? reply.status : 'aborted';
        const error = status === 'error' ? { ename: reply.ename ?? '', evalue: reply.evalue ?? '', traceback: reply.traceback ?? [] } : undefined;
        return { status, error };
      };
      // Timed from the reply's own header, as nbclient does, else from its arrival.
      void run.reply.then(
        () => recordTiming(timing, { header: { ...run.replyMessage?.header, msg_type: 'execute_reply' }, content: null }),
        () => {},
      );
      // The channel interrupts the kernel and rejects on abort; the race makes sure we never
      // wait on a kernel that does not answer the interrupt (it is shut down next anyway).
      result = await deadline.race(consume());
    } catch (error) {
      const elapsed = Date.now() - started;
      // Keep what the cell printed before it was stopped, as nbclient does.
      const partial = executedCell(codeCell, { outputs: collector.outputs, executionCount: null }, executed, timing);
      nb.cells[index] = partial;
      if (deadline.timedOut) {
        onProgress?.({ index, count, status: 'timeout', cell: partial, elapsed, notebook: nb });
        throw new CellTimeoutError({ cellIndex: index, cellId: id, timeout: options.cellTimeout!, notebook: nb });
      }
      if (signal?.aborted) {
        onProgress?.({ index, count, status: 'aborted', cell: partial, elapsed, notebook: nb });
        throw new RunAbortedError({ notebook: nb, cellIndex: index, cause: error });
      }
      onProgress?.({ index, count, status: 'error', cell: partial, elapsed, notebook: nb });
      if (error instanceof KernelChannelError) {
        // nbclient's DeadKernelError: say which cell took the kernel down.
        throw new KernelDiedError({ message: error.message, code: error.code, cellIndex: index, cellId: id, notebook: nb, cause: error });
      }
      throw error;
    } finally {
      deadline.done();
    }
    const finished = Date.now();

    // nbclient numbers executed cells itself (1, 2, 3, ...), whatever the kernel says.
    const done = executedCell(codeCell, { outputs: collector.outputs, executionCount: null }, executed, timing);
    nb.cells[index] = done;

    const failed = result.status !== 'ok';
    onProgress?.({ index, count, status: failed ? 'error' : 'ok', cell: done, elapsed: finished - started, notebook: nb });
    if (failed && !allowErrors) {
      const error = result.error ?? { ename: result.status === 'aborted' ? 'ExecutionAborted' : 'Error', evalue: '', traceback: [] };
      throw new CellExecutionError({ cellIndex: index, cellId: id, ...error, notebook: nb });
    }
  }
}

/**
 * Opens the kernel's channel and waits for its first kernel_info reply, within one
 * `startupTimeout`. Jupyter Server holds the WebSocket upgrade until the kernel answers
 * kernel_info (for up to its own 60 s), so a kernel that died at startup would make the handshake
 * hang: the kernel's REST model is polled meanwhile, and a 404 or `execution_state: dead` aborts
 * the handshake at once. (Jupyter Server 1.23 reports a dead kernel only once its restarter gives
 * up: 5 restarts, ~18 s, by default; ~1 s with `--KernelRestarter.restart_limit=0
 * --KernelRestarter.time_to_dead=1`.)
 */
async function connectKernel(
  jupyter: JupyterClient,
  kernelId: string,
  kernelName: string,
  options: RunNotebookOptions,
): Promise<{ kernel: KernelConnection; info: unknown }> {
  const { signal } = options;
  const startupTimeout = options.startupTimeout ?? 60_000;
  const deadline = new Deadline(startupTimeout, signal);
  let outcome: 'dead' | 'timeout' | undefined;
  deadline.signal.addEventListener('abort', () => void (deadline.timedOut && (outcome ??= 'timeout')), { once: true });
  const watching = new AbortController();
  void watchForDeath(jupyter, kernelId, watching.signal).then((dead) => {
    if (!dead) return;
    outcome ??= 'dead';
    deadline.abort();
  });

  let kernel: KernelConnection | undefined;
  try {
    const connecting = jupyter.kernels.connect(kernelId, { timeout: startupTimeout, signal: deadline.signal });
    try {
      kernel = await deadline.race(connecting);
    } catch (error) {
      // Aborted while the socket was opening: close it should it open after all.
      connecting.then((k) => k.close(), () => {});
      throw error;
    }
    const info = await deadline.race(kernel.kernelInfo());
    return { kernel, info };
  } catch (error) {
    await ignoreErrors(() => kernel?.close());
    if (signal?.aborted) throw new RunAbortedError({ cause: error });
    // A handshake that failed on its own may be a kernel that just died: ask once more.
    if (!outcome && error instanceof KernelChannelError && (await kernelIsDead(jupyter, kernelId))) outcome = 'dead';
    if (!outcome && error instanceof KernelChannelError && error.code === 'timeout') outcome = 'timeout';
    if (outcome) throw new KernelStartupError({ kernelName, kernelId, code: outcome, timeout: startupTimeout, cause: error });
    throw error;
  } finally {
    deadline.done();
    watching.abort();
  }
}

/** Resolves `true` once the server reports the kernel dead or gone, `false` when `stop` aborts. */
async function watchForDeath(jupyter: JupyterClient, kernelId: string, stop: AbortSignal): Promise<boolean> {
  while (!stop.aborted) {
    await sleep(STARTUP_POLL_MS, stop).catch(() => {});
    if (stop.aborted) return false;
    if (await kernelIsDead(jupyter, kernelId, stop)) return !stop.aborted;
  }
  return false;
}

async function kernelIsDead(jupyter: JupyterClient, kernelId: string, signal?: AbortSignal): Promise<boolean> {
  try {
    const model = await jupyter.kernels.get(kernelId, { signal, maxRetries: 0 });
    return model.execution_state === 'dead';
  } catch (error) {
    // Anything else (a slow or flaky server) proves nothing; the handshake has its own timeout.
    return error instanceof NotFoundError;
  }
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
    // Runs of this process starting at once (runNotebooks, or the same notebook with different
    // parameters) would all see the path free and share one session: each reserves the path it
    // picks, and a path another run has reserved counts as taken.
    const reserved = reservedPaths(jupyter);
    const existing = await jupyter.sessions.list({ signal });
    const taken = new Set([...existing.map((s) => s.path), ...reserved]);
    let sessionPath = path;
    while (taken.has(sessionPath)) sessionPath = `${path}.run-${Math.random().toString(36).slice(2, 8)}`;
    reserved.add(sessionPath);
    const release = () => reserved.delete(sessionPath);
    const known = new Set(existing.map((s) => s.id));
    let session: Awaited<ReturnType<JupyterClient['sessions']['create']>>;
    try {
      session = await jupyter.sessions.create({ path: sessionPath, type: 'notebook', kernel: { name: kernelName } });
    } catch (error) {
      release();
      throw error;
    }
    const kernelId = session.kernel?.id;
    const ours = !known.has(session.id);
    handle = {
      kernelId: kernelId ?? '',
      dispose: async () => {
        try {
          if (ours) await untilGone(() => jupyter.sessions.delete(session.id));
        } finally {
          release();
        }
      },
    };
    if (!kernelId) {
      await ignoreErrors(() => handle.dispose());
      throw new JupyterSDKError(`the server started session ${session.id} without a kernel`);
    }
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

const sessionPaths = new WeakMap<JupyterClient, Set<string>>();

function reservedPaths(jupyter: JupyterClient): Set<string> {
  let paths = sessionPaths.get(jupyter);
  if (!paths) sessionPaths.set(jupyter, (paths = new Set()));
  return paths;
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
      await sleep(delay);
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

async function ignoreErrors(fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch {
    // Cleanup is best effort: the original outcome matters more than a failed shutdown.
  }
}
