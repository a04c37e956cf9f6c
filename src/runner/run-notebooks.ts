/**
 * Many notebooks at once: each in its own kernel, up to `jobs` at a time, spread over one server
 * or several (each notebook goes to the least-busy one).
 */
import type { INotebookContent } from '@jupyterlab/nbformat';
import { APIUserAbortError, InvalidArgumentError, JupyterSDKError } from '../core/errors.js';
import type { JupyterClient } from '../jupyter/client.js';
import { partialNotebook, RunAbortedError } from './errors.js';
import type { Parameters } from './parameters.js';
import { runNotebookWith, type RunNotebookOptions, type RunProgress } from './run-notebook.js';

/** One notebook of a batch. */
export interface NotebookJob {
  /** A server path (read with the contents API and run in its folder) or a notebook object. */
  notebook: string | INotebookContent;
  /** Parameters for this notebook (see {@link RunNotebookOptions.parameters}). */
  parameters?: Parameters;
  /** Server path (on the server that ran it) to save the executed notebook to. @default not saved */
  out?: string;
  /** For a notebook object: the server path to run it at, so its kernel starts in that folder. */
  path?: string;
  /** Save the executed notebook back to the path it was read from. @default false */
  save?: boolean;
}

/** What became of one notebook of a batch. */
export type NotebookResult<I extends NotebookJob = NotebookJob> =
  | {
      item: I;
      /** Position of the item in `items`. */
      index: number;
      ok: true;
      /** The executed notebook. */
      notebook: INotebookContent;
      /** Wall time of the run, kernel start and shutdown included. */
      seconds: number;
      /** Position of the server that ran it in `targets`. */
      target: number;
    }
  | {
      item: I;
      index: number;
      ok: false;
      /** Why it failed: a runner error (CellExecutionError, CellTimeoutError, KernelDiedError, RunAbortedError, ...) or an API error. */
      error: JupyterSDKError;
      /** The notebook as far as it ran, when it started running. */
      notebook?: INotebookContent | undefined;
      seconds: number;
      /** The server it was given to, unless the batch was aborted before it started. */
      target?: number | undefined;
    };

/** Progress of {@link runNotebooks}: a notebook started, one of its cells moved, or it finished. */
export type BatchProgress<I extends NotebookJob = NotebookJob> =
  | { type: 'started'; index: number; item: I; target: number }
  | { type: 'cell'; index: number; item: I; target: number; progress: RunProgress }
  | { type: 'finished'; index: number; item: I; result: NotebookResult<I> };

/** Options of {@link runNotebooks}: those of runNotebook that apply to every notebook, and the batch's own. */
export interface RunNotebooksOptions<I extends NotebookJob = NotebookJob>
  extends Omit<RunNotebookOptions, 'onProgress' | 'signal' | 'parameters' | 'outputPath' | 'path' | 'save'> {
  /**
   * Notebooks running at once, over all targets. A finished notebook's kernel shuts down while the
   * next notebook's starts (Jupyter Server takes about a second to stop a kernel), so for a moment
   * a target can hold a kernel more than its share; every kernel is shut down before the batch returns.
   * @default one target: the CPUs the runtime reports (`navigator.hardwareConcurrency`), else 4; several: one per target
   */
  jobs?: number;
  /** Called as notebooks start, run their cells and finish. */
  onProgress?: (event: BatchProgress<I>) => void;
  /** Aborts the batch: running notebooks are interrupted and their kernels shut down, the rest never start. */
  signal?: AbortSignal;
}

/**
 * The batch was aborted through its `signal` (an {@link APIUserAbortError}), once every kernel it
 * started was shut down. `results` holds every item in order: those that finished, and the
 * interrupted and never started ones as failures with a {@link RunAbortedError}.
 */
export class BatchAbortedError<I extends NotebookJob = NotebookJob> extends APIUserAbortError {
  override name = 'BatchAbortedError';
  readonly results: NotebookResult<I>[];

  constructor(results: NotebookResult<I>[]) {
    const done = results.filter((r) => r.ok).length;
    super(`batch aborted: ${done} of ${results.length} notebooks had finished`);
    this.results = results;
  }
}

/**
 * Runs many notebooks, each in a new kernel, up to `jobs` at a time. With one target all kernels
 * run on that server; with several, each notebook goes to the target with the fewest running
 * (ties: the one given the fewest so far). One failing notebook never stops the others: results
 * come back in the items' order, each `ok: true` with the notebook or `ok: false` with the error.
 *
 * @throws BatchAbortedError (an APIUserAbortError) when `signal` aborts, after every kernel started was shut down
 * @throws InvalidArgumentError for no targets, a bad `jobs`, or items that are not `{ notebook }` objects
 * @example
 * const results = await runNotebooks(jupyter, [
 *   { notebook: 'report.ipynb', parameters: { region: 'north' }, out: 'out/north.ipynb' },
 *   { notebook: 'report.ipynb', parameters: { region: 'south' }, out: 'out/south.ipynb' },
 * ], { jobs: 2 });
 * for (const r of results) console.log(r.item.out, r.ok ? 'ok' : r.error.message);
 */
export async function runNotebooks<I extends NotebookJob>(
  targets: JupyterClient | readonly JupyterClient[],
  items: readonly I[],
  options: RunNotebooksOptions<I> = {},
): Promise<NotebookResult<I>[]> {
  const servers: readonly JupyterClient[] = Array.isArray(targets) ? targets : [targets as JupyterClient];
  if (servers.length === 0) throw new InvalidArgumentError('runNotebooks needs at least one target');
  if (!Array.isArray(items)) throw new InvalidArgumentError('items must be an array of { notebook } objects');
  for (const [i, item] of items.entries()) {
    const nb = (item as { notebook?: unknown } | null)?.notebook;
    if (typeof nb !== 'string' && (typeof nb !== 'object' || nb === null)) {
      throw new InvalidArgumentError(`items[${i}] needs a notebook: a server path or a notebook object`);
    }
  }
  const jobs = options.jobs ?? defaultJobs(servers.length);
  if (!Number.isSafeInteger(jobs) || jobs < 1) throw new InvalidArgumentError(`jobs must be a whole number of at least 1, got ${String(options.jobs)}`);
  const { jobs: _jobs, onProgress, signal, ...runOptions } = options;

  // A throwing onProgress must not leave runs or kernels behind: the first error it throws is
  // kept and thrown once everything has stopped.
  let callbackError: { error: unknown } | undefined;
  const report = (event: BatchProgress<I>) => {
    if (!onProgress) return;
    try {
      onProgress(event);
    } catch (error) {
      callbackError ??= { error };
    }
  };

  const results: Array<NotebookResult<I> | undefined> = new Array(items.length);
  const running = servers.map(() => 0);
  const given = servers.map(() => 0);
  let next = 0;
  const shutdowns: Promise<void>[] = [];

  const runOne = async (index: number, target: number): Promise<NotebookResult<I>> => {
    const item = items[index]!;
    const started = Date.now();
    report({ type: 'started', index, item, target });
    try {
      const notebook = await runNotebookWith(servers[target]!, item.notebook, {
        ...runOptions,
        parameters: item.parameters,
        outputPath: item.out,
        path: item.path,
        save: item.save,
        signal,
        onProgress: (progress) => report({ type: 'cell', index, item, target, progress }),
      }, (shutdown) => void shutdowns.push(shutdown));
      return { item, index, ok: true, notebook, seconds: (Date.now() - started) / 1000, target };
    } catch (error) {
      const failure = error instanceof JupyterSDKError ? error : new JupyterSDKError(String(error), { cause: error });
      return { item, index, ok: false, error: failure, notebook: partialNotebook(error), seconds: (Date.now() - started) / 1000, target };
    }
  };

  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const index = next++;
      const target = leastBusy(running, given);
      running[target]! += 1;
      given[target]! += 1;
      try {
        const result = await runOne(index, target);
        results[index] = result;
        report({ type: 'finished', index, item: result.item, result });
      } finally {
        running[target]! -= 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
  // A kernel shuts down while the next notebook's starts; none is left running once the batch returns.
  await Promise.all(shutdowns);

  if (callbackError) throw callbackError.error;
  // Array.from, not map: items never started are holes, which map would skip.
  const complete = Array.from(
    results,
    (r, index): NotebookResult<I> => r ?? { item: items[index]!, index, ok: false, error: new RunAbortedError(), seconds: 0 },
  );
  if (signal?.aborted) throw new BatchAbortedError(complete);
  return complete;
}

function leastBusy(running: readonly number[], given: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < running.length; i++) {
    if (running[i]! < running[best]! || (running[i] === running[best] && given[i]! < given[best]!)) best = i;
  }
  return best;
}

function defaultJobs(targets: number): number {
  if (targets > 1) return targets;
  const cpus = (globalThis as { navigator?: { hardwareConcurrency?: unknown } }).navigator?.hardwareConcurrency;
  return typeof cpus === 'number' && cpus >= 1 ? Math.floor(cpus) : 4;
}
