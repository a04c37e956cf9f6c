/**
 * Pure helpers of the notebook runner: which cells run, and how a run result becomes a cell.
 * Nothing here talks to a server, so the rules are unit-tested on their own.
 */
import type { ICell, ICodeCell, INotebookContent, IOutput, MultilineString } from '@jupyterlab/nbformat';
import { InvalidArgumentError } from '../core/errors.js';

/** nbclient's tag for cells it leaves alone. */
export const SKIP_TAG = 'skip-execution';
/** nbclient's tag for cells whose exception is expected (recorded, never raised). */
export const RAISES_TAG = 'raises-exception';

/** The four timestamps nbclient records in `cell.metadata.execution` (`record_timing`). */
export interface CellTiming {
  'iopub.status.busy'?: string;
  'iopub.execute_input'?: string;
  'shell.execute_reply'?: string;
  'iopub.status.idle'?: string;
}

/** What the kernel channel's `run` gives back, as far as the runner uses it. */
export interface CellRunResult {
  status: 'ok' | 'error' | 'aborted';
  executionCount: number | null;
  outputs: IOutput[];
  error?: { ename: string; evalue: string; traceback: string[] } | undefined;
}

/** Joins a multiline string (`string[]` on disk, `string` from the contents API). */
export function joinSource(source: MultilineString | undefined): string {
  return Array.isArray(source) ? source.join('') : (source ?? '');
}

/** The cell's tags, tolerating malformed metadata. */
export function cellTags(cell: ICell): string[] {
  const tags = (cell.metadata as { tags?: unknown } | undefined)?.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}

/** The cell's id (nbformat 4.5+) when it has a usable one. */
export function cellId(cell: ICell): string | undefined {
  return typeof cell.id === 'string' && cell.id ? cell.id : undefined;
}

/** Why a cell is not executed, or `undefined` when it is. */
export type SkipReason = 'not-code' | 'empty' | 'tagged';

/**
 * Same rules as nbclient's `execute_cell`: only code cells with non-blank source run, and cells
 * tagged `skip-execution` are left alone when `skipTagged` is on.
 */
export function skipReason(cell: ICell, skipTagged: boolean): SkipReason | undefined {
  if (cell.cell_type !== 'code') return 'not-code';
  if (!joinSource(cell.source).trim()) return 'empty';
  if (skipTagged && cellTags(cell).includes(SKIP_TAG)) return 'tagged';
  return undefined;
}

/** Whether an exception in this cell is recorded rather than raised (nbclient's `allow_errors` or the `raises-exception` tag). */
export function cellAllowsErrors(cell: ICell, stopOnError: boolean): boolean {
  return !stopOnError || cellTags(cell).includes(RAISES_TAG);
}

/**
 * The executed cell: a new object with the run's outputs, the execution count and the timings
 * in `metadata.execution`. Every other field (id, source, other metadata) is kept as it was.
 */
export function executedCell(
  cell: ICodeCell,
  result: Pick<CellRunResult, 'outputs' | 'executionCount'>,
  executionCount: number | null,
  timing: CellTiming | undefined,
): ICodeCell {
  const metadata = { ...(cell.metadata ?? {}) };
  if (timing) metadata.execution = { ...timing };
  return {
    ...cell,
    metadata,
    execution_count: executionCount ?? result.executionCount ?? null,
    outputs: result.outputs,
  };
}

/**
 * Formats a time as nbclient does (`%Y-%m-%dT%H:%M:%S.%fZ`, microseconds, UTC). Accepts a Date,
 * epoch ms, or an ISO string such as a kernel message header's `date`.
 */
export function nbclientTimestamp(time: Date | number | string): string {
  if (typeof time === 'string') {
    // Keep the kernel's microseconds: Date would cut them to milliseconds.
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]00:?00)?$/.exec(time.trim());
    if (m) return `${m[1]}.${(m[2] ?? '').padEnd(6, '0').slice(0, 6)}Z`;
    time = new Date(time);
  }
  const iso = new Date(time).toISOString(); // 2026-11-22T05:19:04.123Z
  return `${iso.slice(0, 23)}000Z`;
}

/**
 * Something that is not a runnable nbformat 4 notebook: `problem` says what is wrong, and
 * `cellIndex` which cell when it is one.
 */
export class InvalidNotebookError extends InvalidArgumentError {
  override name = 'InvalidNotebookError';
  /** What is wrong, e.g. `no nbformat field (not a notebook)` or `cells[3] is not a cell (no cell_type)`. */
  readonly problem: string;
  /** The cell at fault, when the problem is one cell. */
  readonly cellIndex: number | undefined;

  constructor(problem: string, cellIndex?: number) {
    super(`not a runnable notebook: ${problem}`);
    this.problem = problem;
    this.cellIndex = cellIndex;
  }
}

/**
 * Checks that `notebook` can run and returns it, typed: an nbformat 4 notebook object whose
 * `cells` are cell objects with a `cell_type` and, for code cells, a string or line-list `source`.
 * Checks no more than the runner relies on (nbclient runs notebooks that fail stricter schema
 * checks, so this does too).
 * @throws InvalidNotebookError naming what is wrong
 * @example
 * const nb = validateNotebook(JSON.parse(await readFile('report.ipynb', 'utf8')));
 */
export function validateNotebook(notebook: unknown): INotebookContent {
  const nb = notebook as Partial<INotebookContent> | null;
  if (!nb || typeof nb !== 'object' || Array.isArray(nb)) throw new InvalidNotebookError('not a notebook object');
  if (nb.nbformat !== 4) {
    throw new InvalidNotebookError(
      nb.nbformat === undefined ? 'no nbformat field (not a notebook)' : `only nbformat 4 notebooks can run, got nbformat ${JSON.stringify(nb.nbformat)}`,
    );
  }
  if (!Array.isArray(nb.cells)) throw new InvalidNotebookError('no `cells` array');
  for (const [i, cell] of nb.cells.entries()) {
    if (!cell || typeof cell !== 'object' || typeof (cell as { cell_type?: unknown }).cell_type !== 'string') {
      throw new InvalidNotebookError(`cells[${i}] is not a cell (no cell_type)`, i);
    }
    const source = (cell as { source?: unknown }).source;
    const lines = Array.isArray(source) && source.every((l) => typeof l === 'string');
    if (cell.cell_type === 'code' && typeof source !== 'string' && !lines) {
      throw new InvalidNotebookError(`cells[${i}] has no source string or list of lines`, i);
    }
  }
  if (nb.metadata !== undefined && (typeof nb.metadata !== 'object' || nb.metadata === null)) {
    throw new InvalidNotebookError('`metadata` is not an object');
  }
  return nb as INotebookContent;
}

/**
 * Refuses what is not an nbformat 4 notebook ({@link validateNotebook}), and returns a deep copy
 * the runner may change (the caller's object is never mutated).
 */
export function copyNotebook(notebook: unknown): INotebookContent {
  const copy = structuredClone(validateNotebook(notebook));
  copy.metadata ??= {};
  return copy;
}

/** What {@link recordTiming} needs of a kernel message. */
interface TimedMessage {
  header: { msg_type: string; date?: string };
  content: unknown;
}

/**
 * Records the timing a message stands for, as nbclient's `process_message` does: the iopub
 * `status` busy and idle and `execute_input`, stamped with the message header's `date` (the
 * kernel's clock), or `arrival` when the header has none. Other messages are ignored.
 */
export function recordTiming(timing: CellTiming, msg: TimedMessage, arrival: number = Date.now()): void {
  const type = msg.header.msg_type;
  let key: keyof CellTiming | undefined;
  if (type === 'status') {
    const state = (msg.content as { execution_state?: string } | null)?.execution_state;
    key = state === 'busy' ? 'iopub.status.busy' : state === 'idle' ? 'iopub.status.idle' : undefined;
  } else if (type === 'execute_input') {
    key = 'iopub.execute_input';
  } else if (type === 'execute_reply') {
    key = 'shell.execute_reply';
  }
  if (key) timing[key] = stamp(msg.header.date, arrival);
}

function stamp(date: string | undefined, arrival: number): string {
  if (typeof date === 'string' && date) {
    try {
      return nbclientTimestamp(date);
    } catch {
      // an unparsable date: fall back to the arrival time
    }
  }
  return nbclientTimestamp(arrival);
}
