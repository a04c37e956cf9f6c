/**
 * `jupyter-sdk/wnology`: the client for WNology (Losant) notebooks.
 * @example
 * import { WnologyClient } from 'jupyter-sdk/wnology';
 * const wn = new WnologyClient({ token });
 */
export { WnologyClient, DEFAULT_WNOLOGY_BASE_URL, type WnologyClientOptions } from './client.js';
export {
  DEFAULT_WAIT_INTERVAL_MS,
  DEFAULT_WAIT_TIMEOUT_MS,
  type WnologyNotebooksResource,
  type NotebookListParams,
  type NotebookLogsParams,
  type NotebookMinuteCountsParams,
  type WaitForExecutionOptions,
  type NotebookFile,
} from './notebooks.js';
export type { NotebookPage } from './pager.js';
export { wnologyErrorDetails, ExecutionWaitTimeoutError } from './errors.js';
export type * from './models.js';
export * from '../core/public.js';
