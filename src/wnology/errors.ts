import { APIError, WaitTimeoutError } from '../core/errors.js';
import { parseJupyterErrorBody, type ParsedErrorBody } from '../core/api-errors.js';
import type { NotebookExecutionLog, NotebookExecutionStatus, WnologyErrorBody } from './models.js';

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/**
 * Reads WNology's `{type, message}` error bodies: the message is `message` (with any
 * `validationErrors` appended), the reason is `type` (`NotFound`, `Validation`, ...).
 */
export function parseWnologyErrorBody(body: unknown): ParsedErrorBody {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return parseJupyterErrorBody(body);
  const b = body as Record<string, unknown>;
  let message = str(b.message);
  if (Array.isArray(b.validationErrors)) {
    const details = b.validationErrors.map((v) => str((v as Record<string, unknown>)?.message)).filter(Boolean);
    if (details.length) message = message ? `${message}: ${details.join('; ')}` : details.join('; ');
  }
  return { message: message ?? str(b.type), reason: str(b.type) };
}

/**
 * The platform's own fields of an error thrown by {@link WnologyClient} (empty for other errors).
 * @example
 * catch (e) { if (wnologyErrorDetails(e).type === 'Validation') ... }
 */
export function wnologyErrorDetails(err: unknown): Partial<WnologyErrorBody> {
  const body = err instanceof APIError ? err.body : undefined;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const b = body as Record<string, unknown>;
  const out: Partial<WnologyErrorBody> = {};
  if (typeof b.type === 'string') out.type = b.type;
  if (typeof b.message === 'string') out.message = b.message;
  if (Array.isArray(b.validationErrors)) out.validationErrors = b.validationErrors as WnologyErrorBody['validationErrors'];
  return out;
}

/** `waitForExecution` gave up: the run was still queued or in progress when its `timeout` passed. */
export class ExecutionWaitTimeoutError extends WaitTimeoutError {
  override name = 'ExecutionWaitTimeoutError';
  readonly executionId: string;
  /** The last record seen, if the execution showed up in the logs at all. */
  readonly lastRecord: NotebookExecutionLog | undefined;
  constructor(executionId: string, timeout: number, lastRecord: NotebookExecutionLog | undefined) {
    const status: NotebookExecutionStatus | 'not yet listed' = lastRecord?.status ?? 'not yet listed';
    super(`Notebook execution ${executionId} was still ${status} after ${timeout} ms`, timeout);
    this.executionId = executionId;
    this.lastRecord = lastRecord;
  }
}
