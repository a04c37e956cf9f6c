import { connectionError, parseJupyterErrorBody, statusError, type ErrorContext } from '../core/api-errors.js';
import { APIConnectionTimeoutError, APIUserAbortError, type APIError } from '../core/errors.js';
import { DEFAULT_TIMEOUT_MS, type RequestOptions } from '../core/http.js';
import type { HubContext } from './context.js';

/**
 * Opens a long-lived `text/event-stream` GET and resolves to its body once the headers are in.
 * The request carries the client's credentials and headers; `timeout` bounds the wait for the
 * headers only (a spawn may stream for minutes), the caller's signal the whole stream. A non-2xx
 * answer becomes the same typed error a REST call gets.
 */
export async function openEventStream(hub: HubContext, path: string, options: RequestOptions = {}): Promise<EventStreamBody> {
  const url = hub.baseUrl + path;
  const ctx: ErrorContext = { method: 'GET', url: hub.redact(url), redact: hub.redact };
  const { signal } = options;
  if (signal?.aborted) throw new APIUserAbortError();
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const timeout = options.timeout ?? hub.timeout ?? DEFAULT_TIMEOUT_MS;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeout);
  let response: Response;
  try {
    const headers = { ...(await hub.headers()), accept: 'text/event-stream', ...options.headers };
    response = await hub.fetch(url, { method: 'GET', headers, signal: controller.signal, cache: 'no-store' });
  } catch (cause) {
    signal?.removeEventListener('abort', onAbort);
    if (signal?.aborted) throw new APIUserAbortError(undefined, { cause });
    if (timedOut) throw new APIConnectionTimeoutError(`GET ${ctx.url} timed out after ${timeout} ms`, ctx);
    throw connectionError(ctx, cause);
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok || !response.body) {
    signal?.removeEventListener('abort', onAbort);
    throw await errorFrom(ctx, response);
  }
  return { body: response.body, release: () => signal?.removeEventListener('abort', onAbort) };
}

/** An open stream: its body, which the caller's signal aborts, and `release`, to call once done with it. */
export interface EventStreamBody {
  body: ReadableStream<Uint8Array>;
  release(): void;
}

async function errorFrom(ctx: ErrorContext, response: Response): Promise<APIError> {
  const text = await response.text().catch(() => '');
  let body: unknown = text || undefined;
  try {
    body = JSON.parse(text);
  } catch {
    // An HTML or text error page stays text.
  }
  return statusError(ctx, response, body, parseJupyterErrorBody);
}
