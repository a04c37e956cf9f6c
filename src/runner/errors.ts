/** Errors of the notebook runner; each extends {@link JupyterSDKError} or one of its subclasses. */
import type { INotebookContent } from '@jupyterlab/nbformat';
import { APIUserAbortError, JupyterSDKError, KernelChannelError, type KernelChannelErrorCode } from '../core/errors.js';

/** Where a failure happened: the cell's position in `notebook.cells` and its id when it has one. */
export interface CellLocation {
  /** Position of the cell in `notebook.cells` (0-based). */
  cellIndex: number;
  /** The cell's `id` (nbformat 4.5+), or `undefined`. */
  cellId: string | undefined;
}

function where({ cellIndex, cellId }: CellLocation): string {
  // 0-based like `notebook.cells[i]` and nbclient's cell_index; written so nobody reads it as 1-based.
  return cellId ? `cells[${cellIndex}] (id ${cellId})` : `cells[${cellIndex}]`;
}

/**
 * A code cell raised an exception and `stopOnError` was on (nbclient's `CellExecutionError`).
 * `notebook` holds the notebook as far as it ran, the failing cell's error output included.
 */
export class CellExecutionError extends JupyterSDKError {
  override name = 'CellExecutionError';
  readonly cellIndex: number;
  readonly cellId: string | undefined;
  /** Exception class name, e.g. `ZeroDivisionError`. */
  readonly ename: string;
  /** Exception message, e.g. `division by zero`. */
  readonly evalue: string;
  /** Traceback lines as the kernel sent them (with ANSI colours). */
  readonly traceback: string[];
  /** The notebook with every cell run so far, the failing one included. */
  readonly notebook: INotebookContent | undefined;

  constructor(
    init: CellLocation & { ename: string; evalue: string; traceback?: string[]; notebook?: INotebookContent },
  ) {
    super(`${where(init)} raised ${init.ename}${init.evalue ? `: ${init.evalue}` : ''}`);
    this.cellIndex = init.cellIndex;
    this.cellId = init.cellId;
    this.ename = init.ename;
    this.evalue = init.evalue;
    this.traceback = init.traceback ?? [];
    this.notebook = init.notebook;
  }
}

/**
 * A code cell ran longer than `cellTimeout`; the kernel was interrupted (and the kernel the
 * runner started was shut down).
 */
export class CellTimeoutError extends JupyterSDKError {
  override name = 'CellTimeoutError';
  readonly cellIndex: number;
  readonly cellId: string | undefined;
  /** The limit that was exceeded, in ms. */
  readonly timeout: number;
  /** The notebook as far as it ran: the cell that timed out holds what it printed before the limit. */
  readonly notebook: INotebookContent | undefined;

  constructor(init: CellLocation & { timeout: number; notebook?: INotebookContent }) {
    super(`${where(init)} timed out after ${formatMs(init.timeout)}`);
    this.cellIndex = init.cellIndex;
    this.cellId = init.cellId;
    this.timeout = init.timeout;
    this.notebook = init.notebook;
  }
}

/**
 * The kernel died, was restarted by the server, or its channel failed while a cell ran (nbclient's
 * `DeadKernelError`); `code` says which. `notebook` holds what ran, the cell's outputs so far included.
 */
export class KernelDiedError extends KernelChannelError {
  override name = 'KernelDiedError';
  readonly cellIndex: number;
  readonly cellId: string | undefined;
  /** The notebook as far as it ran. */
  readonly notebook: INotebookContent | undefined;

  constructor(init: CellLocation & { message: string; code: KernelChannelErrorCode; notebook?: INotebookContent; cause?: unknown }) {
    super(`${init.message} while running ${where(init)}`, init.code, { cause: init.cause });
    this.cellIndex = init.cellIndex;
    this.cellId = init.cellId;
    this.notebook = init.notebook;
  }
}

/**
 * The kernel never became usable: it died before it answered `kernel_info` (code `dead`, nbclient's
 * "Kernel died before replying to kernel_info"), or it did not answer within `startupTimeout`
 * (code `timeout`). The kernel was shut down.
 */
export class KernelStartupError extends KernelChannelError {
  override name = 'KernelStartupError';
  /** The kernelspec that was started. */
  readonly kernelName: string;
  /** The kernel's id on the server. */
  readonly kernelId: string;

  constructor(init: { kernelName: string; kernelId: string; code: 'dead' | 'timeout'; timeout?: number; cause?: unknown }) {
    super(
      init.code === 'dead'
        ? `kernel ${init.kernelName} died during startup, before it answered kernel_info`
        : `kernel ${init.kernelName} did not answer kernel_info within ${formatMs(init.timeout ?? 0)}`,
      init.code,
      { cause: init.cause },
    );
    this.kernelName = init.kernelName;
    this.kernelId = init.kernelId;
  }
}

/**
 * The run was aborted through its `signal`. An {@link APIUserAbortError}; `notebook` holds the
 * notebook as far as it ran, the interrupted cell's outputs so far included.
 */
export class RunAbortedError extends APIUserAbortError {
  override name = 'RunAbortedError';
  /** The notebook as far as it ran, or `undefined` when the abort came before the first cell. */
  readonly notebook: INotebookContent | undefined;
  /** The cell that was running, if one was. */
  readonly cellIndex: number | undefined;

  constructor(init: { notebook?: INotebookContent; cellIndex?: number; cause?: unknown } = {}) {
    super('Request was aborted.', { cause: init.cause });
    this.notebook = init.notebook;
    this.cellIndex = init.cellIndex;
  }
}

/** Errors whose `notebook` is the notebook as far as it ran. */
export type PartialRunError = CellExecutionError | CellTimeoutError | KernelDiedError | RunAbortedError;

/** The partial notebook a runner error carries, if any. */
export function partialNotebook(error: unknown): INotebookContent | undefined {
  if (
    error instanceof CellExecutionError ||
    error instanceof CellTimeoutError ||
    error instanceof KernelDiedError ||
    error instanceof RunAbortedError
  ) {
    return error.notebook;
  }
  return undefined;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(3)} s` : `${ms} ms`;
}
