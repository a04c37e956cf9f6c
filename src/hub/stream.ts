import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  errorClassFor,
  type APIError,
} from '../core/errors.js';
import { DEFAULT_TIMEOUT_MS, parseJupyterErrorBody, type RequestOptions } from '../core/http.js';
import type { HubClient } from './client.js';

/**
 * Opens a long-lived `text/event-stream` GET and resolves to its body once the headers are in.
 * The request carries the client's credentials and headers (`clientHeaders`); `timeout` bounds the wait for the
 * headers only (a spawn may stream for minutes), the caller's signal the whole stream. A non-2xx
 * answer becomes the same typed error a REST call gets.
 */
export async function openEventStream(
  client: HubClient,
  path: string,
  clientHeaders: () => Promise<Record<string, string>>,
  options: RequestOptions = {},
): Promise<EventStreamBody> {
  const url = client.http.url(path);
  const safeUrl = client.http.redact(url);
  const { signal } = options;
  if (signal?.aborted) throw new APIUserAbortError();
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const timeout = options.timeout ?? client.options.timeout ?? DEFAULT_TIMEOUT_MS;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeout);
  let response: Response;
  try {
    const headers = { ...(await clientHeaders()), accept: 'text/event-stream', ...options.headers };
    response = await client.fetch(url, { method: 'GET', headers, signal: controller.signal, cache: 'no-store' });
  } catch (cause) {
    signal?.removeEventListener('abort', onAbort);
    if (signal?.aborted) throw new APIUserAbortError(undefined, { cause });
    if (timedOut) throw new APIConnectionTimeoutError(`GET ${safeUrl} timed out after ${timeout} ms`, { method: 'GET', url: safeUrl });
    const detail = cause instanceof Error ? `: ${client.http.redact(String((cause as { cause?: Error }).cause?.message ?? cause.message))}` : '';
    throw new APIConnectionError(`GET ${safeUrl} failed to connect${detail}`, { method: 'GET', url: safeUrl });
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok || !response.body) {
    signal?.removeEventListener('abort', onAbort);
    throw await errorFrom(client, response, safeUrl);
  }
  return { body: response.body, release: () => signal?.removeEventListener('abort', onAbort) };
}

/** An open stream: its body, which the caller's signal aborts, and `release`, to call once done with it. */
export interface EventStreamBody {
  body: ReadableStream<Uint8Array>;
  release(): void;
}

async function errorFrom(client: HubClient, response: Response, url: string): Promise<APIError> {
  const text = client.http.redact(await response.text().catch(() => ''));
  let body: unknown = text || undefined;
  try {
    body = JSON.parse(text);
  } catch {
    // An HTML or text error page stays text.
  }
  const parsed = parseJupyterErrorBody(body);
  const Cls = errorClassFor(response.status);
  return new Cls({ status: response.status, serverMessage: parsed.message, reason: parsed.reason ?? (response.statusText || undefined), method: 'GET', url, body });
}
