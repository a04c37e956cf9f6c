import type { INotebookContent } from '@jupyterlab/nbformat';
import type { Http, RequestOptions } from '../core/http.js';
import { APIUserAbortError, BadRequestError, InvalidArgumentError } from '../core/errors.js';
import { Deadline, sleep, type WaitOptions } from '../core/deadline.js';
import type {
  JobEnqueuedResult,
  Notebook,
  NotebookDataExportOptions,
  NotebookExecutionLog,
  NotebookExecutionOptions,
  NotebookMinuteCounts,
  NotebookPatch,
  NotebookPost,
  Notebooks,
  NotebookSortField,
  SuccessWithExecutionId,
  WnologySuccess,
} from './models.js';
import { ExecutionWaitTimeoutError } from './errors.js';
import { NotebookPage } from './pager.js';
import type { paths } from '../generated/wnology.js';

/** Query of {@link WnologyNotebooksResource.list}. */
export interface NotebookListParams {
  /** Zero-based page to start at. @default 0 */
  page?: number;
  /** Notebooks per page. @default 100 (server side) */
  perPage?: number;
  /** @default 'name' (server side) */
  sortField?: NotebookSortField;
  /** @default 'asc' (server side) */
  sortDirection?: 'asc' | 'desc';
  /** Glob on the notebook name, `*` as wildcard (sent with `filterField=name`). */
  filter?: string;
  /** Field `filter` applies to. @default 'name' when `filter` is set */
  filterField?: 'name';
}

/** Query of {@link WnologyNotebooksResource.logs}. */
export interface NotebookLogsParams {
  /** Most records to return, newest first. @default 1 (server side) */
  limit?: number;
  /** Only executions since this time (a Date or ms since the epoch). */
  since?: Date | number;
}

/** Query of {@link WnologyNotebooksResource.minuteCounts}. */
export interface NotebookMinuteCountsParams {
  /** Start of the range (a Date or ms since the epoch). */
  start?: Date | number;
  /** End of the range (a Date or ms since the epoch). */
  end?: Date | number;
}

/** Options of {@link WnologyNotebooksResource.waitForExecution}. */
export interface WaitForExecutionOptions extends WaitOptions {
  /** Milliseconds the whole wait may take; then `ExecutionWaitTimeoutError` (a `WaitTimeoutError`). @default 1800000 (30 minutes) */
  timeout?: number | undefined;
  /** Milliseconds between two polls of the logs. @default 3000 */
  interval?: number | undefined;
  /** Called with each record seen while the run is still pending. */
  onStatus?: ((record: NotebookExecutionLog) => void) | undefined;
}

/** A notebook file for {@link WnologyNotebooksResource.upload}: bytes, a Blob or File, notebook JSON text, or a notebook object. */
export type NotebookFile = Blob | Uint8Array | ArrayBuffer | string | INotebookContent | Record<string, unknown>;

const OBJECT_ID = /^[A-Fa-f\d]{24}$/;
// A run is pending while queued, running or being canceled; any other status is where it ended.
const PENDING = new Set(['queued', 'inProgress', 'canceling']);
/** How long `waitForExecution` waits for a run to end, in milliseconds, unless told otherwise (30 minutes). */
export const DEFAULT_WAIT_TIMEOUT_MS = 30 * 60_000;
/** Milliseconds between two polls of `waitForExecution`, unless told otherwise. */
export const DEFAULT_WAIT_INTERVAL_MS = 3000;
// Records asked for by waitForExecution's first poll, and the most it ever asks for (the server's
// maximum `limit` is not documented; a 400 for a larger one makes it settle for the last that worked).
const WAIT_LOGS_LIMIT = 25;
const WAIT_LOGS_LIMIT_CAP = 1000;

/** Refuses anything but a 24-hex-digit ObjectId, which is all WNology accepts as an id. */
function objectId(value: unknown, what: string): string {
  if (typeof value !== 'string' || !OBJECT_ID.test(value)) {
    throw new InvalidArgumentError(`${what} must be a 24-hex-digit id, got ${JSON.stringify(value)}`);
  }
  return value;
}

const ms = (t: Date | number | undefined) => (t instanceof Date ? t.getTime() : t);

/** Notebooks of a WNology application: configuration, file, runs, logs and usage. */
export class WnologyNotebooksResource {
  constructor(private readonly http: Http<paths>) {}

  private app(appId: string): { applicationId: string } {
    return { applicationId: objectId(appId, 'applicationId') };
  }

  private ids(appId: string, nbId: string): { applicationId: string; notebookId: string } {
    return { ...this.app(appId), notebookId: objectId(nbId, 'notebookId') };
  }

  /**
   * Notebooks of an application: `await` for one page, or `for await` over every notebook.
   * `GET /applications/{applicationId}/notebooks`
   * @throws InvalidArgumentError (through the promise and the loop) when `appId` is not an ObjectId.
   * @example
   * const { items, totalCount } = await wn.notebooks.list(appId, { perPage: 20 });
   * for await (const nb of wn.notebooks.list(appId, { filter: 'daily*' })) console.log(nb.name);
   */
  list(appId: string, params: NotebookListParams = {}, options?: RequestOptions): NotebookPage {
    const { page = 0, filter, filterField, ...rest } = params;
    const query = { ...rest, filter, filterField: filterField ?? (filter ? 'name' : undefined) };
    // The id is checked when a page is fetched, so a bad one rejects the awaited page and the
    // loop alike (with InvalidArgumentError, before any request) instead of throwing here.
    const fetchPage = async (p: number): Promise<Notebooks> =>
      this.http.call('get', '/applications/{applicationId}/notebooks', { path: this.app(appId), query: { ...query, page: p } }, options);
    return new NotebookPage(fetchPage, page, params.perPage);
  }

  /**
   * Creates a notebook (without a Jupyter file: {@link upload} one before executing it).
   * `POST /applications/{applicationId}/notebooks`
   */
  async create(appId: string, params: NotebookPost, options?: RequestOptions): Promise<Notebook> {
    return this.http.call('post', '/applications/{applicationId}/notebooks', { path: this.app(appId), body: params }, options);
  }

  /** One notebook, with its usage `stats`. `GET /applications/{applicationId}/notebooks/{notebookId}` @throws NotFoundError */
  async get(appId: string, nbId: string, options?: RequestOptions): Promise<Notebook> {
    return this.http.call('get', '/applications/{applicationId}/notebooks/{notebookId}', { path: this.ids(appId, nbId) }, options);
  }

  /** Updates a notebook; `inputs`/`outputs` replace the whole arrays. `PATCH /applications/{applicationId}/notebooks/{notebookId}` */
  async update(appId: string, nbId: string, patch: NotebookPatch, options?: RequestOptions): Promise<Notebook> {
    return this.http.call('patch', '/applications/{applicationId}/notebooks/{notebookId}', { path: this.ids(appId, nbId), body: patch }, options);
  }

  /** Deletes a notebook. `DELETE /applications/{applicationId}/notebooks/{notebookId}` */
  async delete(appId: string, nbId: string, options?: RequestOptions): Promise<void> {
    // The answer is `{ success: true }`; a failure is an error status, so there is nothing to return.
    await this.http.call('delete', '/applications/{applicationId}/notebooks/{notebookId}', { path: this.ids(appId, nbId) }, options, 'none');
  }

  /**
   * Queues a run and resolves to its `executionId` at once; see {@link waitForExecution}.
   * `POST /applications/{applicationId}/notebooks/{notebookId}/execute`
   */
  async execute(appId: string, nbId: string, params: NotebookExecutionOptions = {}, options?: RequestOptions): Promise<SuccessWithExecutionId> {
    return this.http.call('post', '/applications/{applicationId}/notebooks/{notebookId}/execute', { path: this.ids(appId, nbId), body: params }, options);
  }

  /**
   * Marks a run for cancellation; it then moves through `canceling` to `canceled`.
   * `POST /applications/{applicationId}/notebooks/{notebookId}/cancelExecution?executionId=`
   */
  async cancelExecution(appId: string, nbId: string, executionId: string, options?: RequestOptions): Promise<WnologySuccess> {
    const path = this.ids(appId, nbId);
    const query = { executionId: objectId(executionId, 'executionId') };
    // The vendor's client sends `{}` with every POST; doing the same keeps servers that insist on a JSON body happy.
    return this.http.call('post', '/applications/{applicationId}/notebooks/{notebookId}/cancelExecution', { path, query, body: {} }, options);
  }

  /**
   * Execution records, newest first; without `limit` only the latest one.
   * `GET /applications/{applicationId}/notebooks/{notebookId}/logs`
   */
  async logs(appId: string, nbId: string, params: NotebookLogsParams = {}, options?: RequestOptions): Promise<NotebookExecutionLog[]> {
    const query = { limit: params.limit, since: ms(params.since) };
    return this.http.call('get', '/applications/{applicationId}/notebooks/{notebookId}/logs', { path: this.ids(appId, nbId), query }, options);
  }

  /**
   * Execution minutes and outcomes per day.
   * `GET /applications/{applicationId}/notebooks/{notebookId}/notebookMinuteCounts`
   */
  async minuteCounts(appId: string, nbId: string, params: NotebookMinuteCountsParams = {}, options?: RequestOptions): Promise<NotebookMinuteCounts> {
    const query = { start: ms(params.start), end: ms(params.end) };
    return this.http.call('get', '/applications/{applicationId}/notebooks/{notebookId}/notebookMinuteCounts', { path: this.ids(appId, nbId), query }, options);
  }

  /**
   * Queues a zip of the input data a run would get, delivered by email or to `callbackUrl` (202).
   * `POST /applications/{applicationId}/notebooks/{notebookId}/requestInputDataExport`
   */
  async requestInputDataExport(
    appId: string,
    nbId: string,
    params: NotebookDataExportOptions = {},
    options?: RequestOptions,
  ): Promise<JobEnqueuedResult> {
    return this.http.call(
      'post',
      '/applications/{applicationId}/notebooks/{notebookId}/requestInputDataExport',
      { path: this.ids(appId, nbId), body: params },
      options,
    );
  }

  /**
   * Uploads the notebook's .ipynb as the multipart field `jupyterFile`. A `File` keeps its name;
   * anything else is sent as `notebook.ipynb`.
   * `POST /applications/{applicationId}/notebooks/{notebookId}/upload`
   * @throws InvalidArgumentError when a string is not notebook JSON (read a file path first).
   */
  async upload(appId: string, nbId: string, file: NotebookFile, options?: RequestOptions): Promise<Notebook> {
    const path = this.ids(appId, nbId);
    const jupyterFile = toFile(file);
    return this.http.call('post', '/applications/{applicationId}/notebooks/{notebookId}/upload', { path, form: { jupyterFile } }, options);
  }

  /**
   * Polls {@link logs} until the run is no longer queued, in progress or being canceled, and
   * resolves to its final record (`status` `completed`, `errored`, `timeout` or `canceled`).
   * The logs are newest first and cannot be looked up by execution id, so each poll asks for the
   * runs since this one was queued, 25 at first; while a full page does not hold this run (newer
   * runs pushed it down) the next poll follows at once with twice the limit, up to 1000.
   * @throws ExecutionWaitTimeoutError when `timeout` passes first.
   * @throws APIUserAbortError when `signal` aborts.
   * @example
   * const { executionId } = await wn.notebooks.execute(appId, nbId);
   * const run = await wn.notebooks.waitForExecution(appId, nbId, executionId, { timeout: 600_000 });
   */
  async waitForExecution(appId: string, nbId: string, executionId: string, options: WaitForExecutionOptions = {}): Promise<NotebookExecutionLog> {
    this.ids(appId, nbId);
    objectId(executionId, 'executionId');
    const { signal, timeout = DEFAULT_WAIT_TIMEOUT_MS, interval = DEFAULT_WAIT_INTERVAL_MS, onStatus } = options;
    if (signal?.aborted) throw new APIUserAbortError();
    // There is no lookup by execution id: ask for the runs since this one was queued. An ObjectId
    // starts with its creation time in seconds; a minute of slack covers clock and rounding.
    const since = parseInt(executionId.slice(0, 8), 16) * 1000 - 60_000;
    const deadline = new Deadline(timeout, signal);
    let last: NotebookExecutionLog | undefined;
    const stopped = (cause: unknown): Error => {
      if (deadline.aborted) return new APIUserAbortError(undefined, { cause });
      if (deadline.timedOut) return new ExecutionWaitTimeoutError(executionId, timeout, last);
      return cause as Error;
    };
    let limit = WAIT_LOGS_LIMIT;
    let cap = WAIT_LOGS_LIMIT_CAP;
    let accepted = 0;
    try {
      for (;;) {
        let records: NotebookExecutionLog[];
        try {
          records = await this.logs(appId, nbId, { since, limit }, { signal: deadline.signal });
          accepted = limit;
        } catch (err) {
          // A server that refuses so large a limit: settle for the largest one it took.
          if (err instanceof BadRequestError && accepted && limit > accepted && !deadline.signal.aborted) {
            cap = limit = accepted;
            continue;
          }
          throw stopped(err);
        }
        const page = Array.isArray(records) ? records : [];
        const record = page.find((r) => (r.id ?? r.notebookExecutionId) === executionId);
        if (record) {
          last = record;
          if (record.status && !PENDING.has(record.status)) return record;
          onStatus?.(record);
        } else if (page.length >= limit && limit < cap) {
          // A full page of newer runs: this one is further down, so look deeper now rather than later.
          limit = Math.min(limit * 2, cap);
          continue;
        }
        try {
          await sleep(interval, deadline.signal);
        } catch (err) {
          throw stopped(err);
        }
      }
    } finally {
      deadline.done();
    }
  }
}

function isBlob(v: unknown): v is Blob {
  return typeof Blob !== 'undefined' && v instanceof Blob;
}

function toBlob(file: NotebookFile): Blob {
  if (isBlob(file)) return file;
  if (file instanceof Uint8Array) return new Blob([new Uint8Array(file)], { type: 'application/x-ipynb+json' });
  if (file instanceof ArrayBuffer) return new Blob([file], { type: 'application/x-ipynb+json' });
  if (typeof file === 'string') {
    try {
      JSON.parse(file);
    } catch {
      throw new InvalidArgumentError('upload expects notebook JSON text, bytes, a Blob or a notebook object; to send a file, read it first');
    }
    return new Blob([file], { type: 'application/x-ipynb+json' });
  }
  if (file && typeof file === 'object') return new Blob([JSON.stringify(file)], { type: 'application/x-ipynb+json' });
  throw new InvalidArgumentError('upload expects notebook JSON text, bytes, a Blob or a notebook object');
}

/** The multipart part: a `File` as given (it keeps its name), anything else as `notebook.ipynb`. */
function toFile(file: NotebookFile): File {
  const blob = toBlob(file);
  if (blob instanceof File && blob.name) return blob;
  return new File([blob], 'notebook.ipynb', { type: blob.type || 'application/x-ipynb+json' });
}
