import { backoffDelay, sleep } from './backoff.js';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  InvalidArgumentError,
  errorClassFor,
} from './errors.js';
import { MASK, redact, redactValue } from './redact.js';
import { fillPath, type CallInput, type Method, type Operation, type PathsWith, type Success } from './operation.js';

/** Per-call options, accepted as the last parameter of every SDK method. */
export interface RequestOptions {
  /** Aborts the request; the call then rejects with `APIUserAbortError`. */
  signal?: AbortSignal | undefined;
  /** Milliseconds before the attempt fails with `APIConnectionTimeoutError`. Overrides the client's. */
  timeout?: number | undefined;
  /** Retries for requests that are safe to repeat. Overrides the client's. */
  maxRetries?: number | undefined;
  /** Extra headers for this call. */
  headers?: Record<string, string> | undefined;
}

/** What a platform's error body says, pulled out by its own parser. */
export interface ParsedErrorBody {
  message?: string | undefined;
  reason?: string | undefined;
}

/** Configuration shared by every client built on {@link HttpClient}. */
export interface HttpClientConfig {
  baseUrl: string;
  /** Looked up at call time, so MSW or a test can replace `globalThis.fetch` after the client exists. */
  fetch?: typeof fetch | undefined;
  headers?: Record<string, string> | undefined;
  /** @default 60000 */
  timeout?: number | undefined;
  /** @default 2 */
  maxRetries?: number | undefined;
  /** Credentials for one request; called before every attempt so rotating tokens work. */
  authHeaders?: () => Record<string, string> | Promise<Record<string, string>>;
  /** Values to scrub from errors (tokens, passwords). */
  secrets?: () => readonly (string | undefined)[];
  /** Extracts message and reason from a platform's error body. */
  parseErrorBody?: (body: unknown) => ParsedErrorBody;
  /** Extra RequestInit fields (e.g. `credentials: 'include'`). */
  init?: Omit<RequestInit, 'body' | 'headers' | 'method' | 'signal'> | undefined;
}

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | undefined | null;

/** One request, with its path already encoded. */
export interface RequestSpec {
  method: HttpMethod;
  /** Encoded path starting with `/`, relative to the base URL. */
  path: string;
  query?: Record<string, QueryValue> | undefined;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (FormData, Blob, ...); the runtime sets its content type. */
  rawBody?: BodyInit | undefined;
  headers?: Record<string, string> | undefined;
  /** How to read a 2xx body. @default 'json' */
  parse?: 'json' | 'text' | 'none';
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RETRIES = 2;

// Only requests whose repetition cannot create a second resource are retried. A repeated POST
// starts a second kernel in Jupyter, and PATCH renames are not safe to replay after a lost answer.
const IDEMPOTENT = new Set<HttpMethod>(['GET', 'HEAD', 'PUT', 'DELETE']);
// 409 means "already exists": never retried, whatever the method.
const RETRY_STATUS = new Set([429, 502, 503, 504]);

/**
 * Sends requests with auth, timeouts, retries and typed errors. Shared by every client.
 * @typeParam Paths the generated `paths` of the client's spec, which type {@link HttpClient.call}
 */
export class HttpClient<Paths = never> {
  /** Base URL without its query, fragment or trailing slash. */
  readonly baseUrl: string;
  /** Query of the base URL (without `?`), sent with every request. */
  readonly baseQuery: string;

  constructor(readonly config: HttpClientConfig) {
    // A base URL may carry a query (`http://host/?foo=1`): the request path goes before it, not after.
    const noHash = config.baseUrl.split('#')[0]!;
    const q = noHash.indexOf('?');
    this.baseUrl = (q < 0 ? noHash : noHash.slice(0, q)).replace(/\/+$/, '');
    this.baseQuery = q < 0 ? '' : noHash.slice(q + 1);
  }

  /** Full URL for an encoded path and query. */
  url(path: string, query?: Record<string, QueryValue>): string {
    let url = this.baseUrl + path;
    const params = new URLSearchParams(this.baseQuery);
    if (query) for (const [k, v] of Object.entries(query)) if (v != null) params.append(k, String(v));
    const qs = params.toString();
    if (qs) url += '?' + qs;
    return url;
  }

  /** Scrubs configured secrets and credential-shaped values from a string. */
  redact(text: string): string {
    return redact(text, this.secrets());
  }

  /** Configured secrets plus credentials carried in the base URL's query. */
  private secrets(): (string | undefined)[] {
    const fromUrl: string[] = [];
    new URLSearchParams(this.baseQuery).forEach((v, k) => {
      if (/^(token|access_token|password|_xsrf|api_key|apikey)$/i.test(k)) fromUrl.push(v);
    });
    return [...(this.config.secrets?.() ?? []), ...fromUrl];
  }

  /**
   * Sends the spec operation `method path`: path parameters filled in and encoded, query, JSON or
   * multipart body; resolves to the success body the spec declares.
   */
  call<M extends Method, P extends PathsWith<Paths, M>>(
    method: M,
    path: P,
    input: CallInput<Operation<Paths, P, M>>,
    options?: RequestOptions,
    extra?: Pick<RequestSpec, 'parse' | 'headers'>,
  ): Promise<Success<Operation<Paths, P, M>>> {
    const { path: params, query, body, form } = input as {
      path?: Record<string, unknown>;
      query?: Record<string, QueryValue>;
      body?: unknown;
      form?: Record<string, Blob | string>;
    };
    let rawBody: FormData | undefined;
    if (form) {
      rawBody = new FormData();
      for (const [name, value] of Object.entries(form)) rawBody.append(name, value);
    }
    const spec: RequestSpec = { method: method.toUpperCase() as HttpMethod, path: fillPath(path, params), query, body, rawBody, ...extra };
    return this.request(spec, options);
  }

  /** Sends one request; resolves to the parsed body or throws a typed error. */
  async request<T>(spec: RequestSpec, options: RequestOptions = {}): Promise<T> {
    const url = this.url(spec.path, spec.query);
    const maxRetries = options.maxRetries ?? this.config.maxRetries ?? DEFAULT_MAX_RETRIES;
    const canRetry = IDEMPOTENT.has(spec.method);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt<T>(spec, url, options);
      } catch (err) {
        const retryable =
          canRetry &&
          attempt < maxRetries &&
          !(err instanceof APIConnectionTimeoutError) &&
          (err instanceof APIConnectionError || (err instanceof APIError && RETRY_STATUS.has(err.status)));
        if (!retryable) throw err;
        const retryAfter = err instanceof APIError ? retryAfterMs(err.headers['retry-after']) : NaN;
        const delay = retryAfter >= 0 && retryAfter <= 60_000 ? retryAfter : backoffDelay(attempt);
        try {
          await sleep(delay, options.signal);
        } catch (reason) {
          throw new APIUserAbortError(undefined, { cause: reason });
        }
      }
    }
  }

  private async attempt<T>(spec: RequestSpec, url: string, options: RequestOptions): Promise<T> {
    const { signal } = options;
    const safeUrl = this.redact(url);
    if (signal?.aborted) throw new APIUserAbortError();
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timeout = options.timeout ?? this.config.timeout ?? DEFAULT_TIMEOUT_MS;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeout);
    // Rejects once this attempt is aborted (by the caller or the timeout), so a token function or a
    // fetch that ignores its signal cannot hold the call past its timeout or the caller's abort.
    const stopped = new Promise<never>((_, reject) =>
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }),
    );
    stopped.catch(() => undefined);
    const guard = <V>(work: V | Promise<V>): Promise<V> => Promise.race([work, stopped]);
    const fail = (cause: unknown): never => {
      if (signal?.aborted) throw new APIUserAbortError(undefined, { cause });
      if (timedOut)
        throw new APIConnectionTimeoutError(`${spec.method} ${safeUrl} timed out after ${timeout} ms`, {
          method: spec.method,
          url: safeUrl,
        });
      const detail = cause instanceof Error ? `: ${this.redact(String((cause as any).cause?.message ?? cause.message))}` : '';
      throw new APIConnectionError(`${spec.method} ${safeUrl} failed to connect${detail}`, {
        method: spec.method,
        url: safeUrl,
      });
    };
    try {
      let auth: Record<string, string> | undefined;
      try {
        auth = await guard(this.config.authHeaders?.());
      } catch (cause) {
        if (controller.signal.aborted) return fail(cause);
        throw cause;
      }
      const headers: Record<string, string> = {
        accept: 'application/json',
        ...this.config.headers,
        ...auth,
        ...spec.headers,
        ...options.headers,
      };
      checkHeaders(headers);
      let body: BodyInit | undefined = spec.rawBody;
      if (spec.body !== undefined) {
        body = JSON.stringify(spec.body);
        headers['content-type'] = 'application/json';
      }
      const doFetch = this.config.fetch ?? globalThis.fetch;
      let response: Response;
      try {
        response = await guard(doFetch(url, { ...this.config.init, method: spec.method, headers, body, signal: controller.signal }));
      } catch (cause) {
        return fail(cause);
      }
      let text: string;
      try {
        text = spec.parse === 'none' && response.ok ? '' : await guard(response.text());
      } catch (cause) {
        return fail(cause);
      }
      if (!response.ok) throw this.apiError(spec.method, safeUrl, response, text);
      if (spec.parse === 'text') return text as T;
      if (!text || spec.parse === 'none') return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        // A 2xx with a body that is not JSON: hand back the text rather than fail the call.
        return text as T;
      }
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private apiError(method: string, url: string, response: Response, text: string): APIError {
    const secrets = this.secrets();
    let body: unknown = text ? redact(text, secrets) : undefined;
    try {
      body = redactValue(JSON.parse(text), secrets);
    } catch {
      // Plain-text or HTML error pages stay as text.
    }
    const parsed = (this.config.parseErrorBody ?? parseJupyterErrorBody)(body);
    const headers: Record<string, string> = {};
    // A server or proxy may echo credentials in a header (a redirect Location with ?token=, ...),
    // and Jupyter answers even errors with a login cookie that works as well as the token.
    response.headers.forEach((v, k) => (headers[k] = CREDENTIAL_HEADER.test(k) ? MASK : redact(v, secrets)));
    const Cls = errorClassFor(response.status);
    return new Cls({
      status: response.status,
      serverMessage: parsed.message,
      reason: parsed.reason ?? (response.statusText || undefined),
      method,
      url,
      body,
      headers,
    });
  }
}

const CREDENTIAL_HEADER = /^(set-cookie|cookie|authorization|proxy-authorization|x-xsrf-?token)$/i;

/**
 * Refuses header values that fetch cannot send (outside ISO-8859-1, or with line breaks): a
 * caller's mistake, not a connection failure to retry. The value is not quoted: it may be a token.
 */
function checkHeaders(headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (/[^\t\x20-\x7e\x80-\xff]/.test(String(value))) {
      throw new InvalidArgumentError(`header ${name} holds characters HTTP headers cannot carry (outside ISO-8859-1, or a line break)`);
    }
  }
}

/** Milliseconds to wait from a `Retry-After` header: delay-seconds or an HTTP date; NaN when absent or unreadable. */
function retryAfterMs(value: string | undefined): number {
  if (!value) return NaN;
  const seconds = Number(value);
  if (!Number.isNaN(seconds)) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? NaN : Math.max(0, at - Date.now());
}

/** Jupyter's `{message, reason}` bodies; HTML error pages reduce to their heading (or title). */
export function parseJupyterErrorBody(body: unknown): ParsedErrorBody {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    return { message: str(b.message) ?? str(b.short_message) ?? str(b.error), reason: str(b.reason) };
  }
  if (typeof body === 'string') {
    // Jupyter's HTML error page is titled just "Jupyter Server"; the status sits in its <h1> ("404 : Not Found").
    const tag = (name: string) => new RegExp(`<${name}\\b[^>]*>([\\s\\S]*?)</${name}>`, 'i').exec(body)?.[1];
    const html = tag('h1') ?? tag('title');
    const message =
      html === undefined
        ? body.trim().slice(0, 300)
        : html.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim().replace(/^\d{3}(?:\s*:\s*|\s+)/, '').slice(0, 300);
    return { message: message || undefined };
  }
  return {};
}
