/** Errors of the notebook runner; both extend {@link JupyterSDKError}. */
import type { INotebookContent } from '@jupyterlab/nbformat';
import { JupyterSDKError } from '../core/errors.js';

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
  /** The notebook with every cell run before the one that timed out. */
  readonly notebook: INotebookContent | undefined;

  constructor(init: CellLocation & { timeout: number; notebook?: INotebookContent }) {
    super(`${where(init)} timed out after ${formatMs(init.timeout)}`);
    this.cellIndex = init.cellIndex;
    this.cellId = init.cellId;
    this.timeout = init.timeout;
    this.notebook = init.notebook;
  }
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(3)} s` : `${ms} ms`;
}
