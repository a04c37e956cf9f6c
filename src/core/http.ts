/**
 * The HTTP core every client stands on: one openapi-fetch client per client instance, extended
 * where openapi-fetch means to be extended.
 *  - Middleware (`onRequest`) adds the client's headers and credentials, so a user's middleware
 *    sees the request as it will go out, and the escape hatch authenticates like the SDK does.
 *  - The `fetch` it is given calls the caller's fetch as `fetch(url, init)` and turns a failed
 *    transport into `APIConnectionError`.
 *  - {@link Http.call} puts a deadline and retries around one openapi-fetch request and unwraps
 *    its `{ data, error, response }` into data or a typed error.
 */
import createClient, { type Client } from 'openapi-fetch';
import {
  connectionError,
  invalidResponseError,
  isLoginPage,
  loginPageError,
  mayRetry,
  parseJupyterErrorBody,
  statusError,
  type ErrorContext,
  type ParsedErrorBody,
} from './api-errors.js';
import { backoffDelay } from './backoff.js';
import { Deadline, raceSignal, sleep } from './deadline.js';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from './errors.js';
import { fillPath, type CallInput, type Method, type Operation, type PathsWith, type Success } from './operation.js';
import { checkBaseUrl, checkHeaders } from './validate.js';


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

/** How a client plugs into the core; built by `ClientBase` from the client's options. */
export interface HttpConfig {
  /** Root every spec path hangs off; a query in it goes with every request. */
  baseUrl: string;
  fetch?: typeof fetch | undefined;
  headers?: Record<string, string> | undefined;
  timeout?: number | undefined;
  maxRetries?: number | undefined;
  /** Headers that authenticate one request; asked before every attempt. */
  auth?: (() => Record<string, string> | undefined | Promise<Record<string, string> | undefined>) | undefined;
  /** Scrubs credentials from a text bound for an error. */
  redact: (text: string) => string;
  /** Reads message and reason out of an error body. @default {@link parseJupyterErrorBody} */
  parseErrorBody?: ((body: unknown) => ParsedErrorBody) | undefined;
  /** RequestInit fields for every request (`credentials: 'include'` for cookie auth across origins). */
  init?: { credentials?: RequestCredentials } | undefined;
}

/** How a call reads a 2xx body: JSON (the default), text, or not at all. */
export type Parse = 'json' | 'text' | 'none';

export type QueryValue = string | number | boolean | undefined | null;

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RETRIES = 2;

// Only requests whose repetition cannot create a second resource are retried: a repeated POST
// starts a second kernel in Jupyter, and a PATCH rename is not safe to replay after a lost answer.
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
// 409 means "already exists": never retried, whatever the method.
const RETRY_STATUS = new Set([429, 502, 503, 504]);

/**
 * Sends a client's requests: credentials, timeouts, retries and typed errors around one
 * openapi-fetch client.
 * @typeParam Paths the generated `paths` of the client's spec, which type {@link Http.call}
 */
export class Http<Paths extends {}> {
  // `declare`: set by the constructor, so no class field definitions need emitting.
  /** The openapi-fetch client every call goes through, with the client's auth as middleware. */
  declare readonly api: Client<Paths>;
  /** Base URL without its query, fragment or trailing slash. */
  declare readonly baseUrl: string;
  readonly #baseQuery: string;
  readonly #config: HttpConfig;

  constructor(config: HttpConfig) {
    this.#config = config;
    const [noHash = ''] = config.baseUrl.split('#');
    const [base = '', query = ''] = noHash.split(/\?(.*)/s);
    this.baseUrl = base.replace(/\/+$/, '');
    this.#baseQuery = query;
    checkBaseUrl(this.baseUrl);
    this.api = createClient<Paths>({
      baseUrl: this.baseUrl,
      // `{path}` keeps its `/` separators; only the operation's template is filled, not a `{` in the base URL.
      pathSerializer: (url, params) => this.baseUrl + fillPath(url.slice(this.baseUrl.length), params),
      querySerializer: (q) => this.#query(q as Record<string, QueryValue>),
      fetch: (request: Request) => this.#send(request),
      // Jupyter Server sends Last-Modified and no Cache-Control: a browser would answer a re-read
      // of a changed file from its cache.
      cache: 'no-store',
      ...config.init,
    });
    this.api.use({ onRequest: ({ request }) => this.#authorize(request) });
  }

  /**
   * Sends the spec operation `method path` (path parameters filled in and encoded, query, JSON or
   * multipart body) and resolves to the success body the spec declares.
   */
  async call<M extends Method, P extends PathsWith<Paths, M>>(
    method: M,
    path: P,
    input: CallInput<Operation<Paths, P, M>>,
    options: RequestOptions = {},
    parse: Parse = 'json',
  ): Promise<Success<Operation<Paths, P, M>>> {
    const { path: params, query, body, form } = input as AnyInput;
    const ctx = { method: method.toUpperCase(), url: this.#config.redact(this.#url(fillPath(path, params), query)), redact: this.#config.redact };
    checkHeaders(options.headers);
    const init = { params: { path: params, query }, body: form ? formData(form) : body, headers: options.headers, parseAs: 'text' };
    const timeout = options.timeout ?? this.#config.timeout ?? DEFAULT_TIMEOUT_MS;
    const retries = options.maxRetries ?? this.#config.maxRetries ?? DEFAULT_MAX_RETRIES;
    for (let attempt = 0; ; attempt++) {
      if (options.signal?.aborted) throw new APIUserAbortError();
      const deadline = new Deadline(timeout, options.signal);
      let failure: unknown;
      try {
        const answer = await deadline.race(this.api.request(method as any, path as any, { ...init, signal: deadline.signal } as any));
        return this.#unwrap(ctx, answer as Answer, parse) as Success<Operation<Paths, P, M>>;
      } catch (error) {
        if (deadline.aborted) throw new APIUserAbortError(undefined, { cause: error });
        if (deadline.timedOut) throw new APIConnectionTimeoutError(`${ctx.method} ${ctx.url} timed out after ${timeout} ms`, ctx);
        failure = error;
      } finally {
        deadline.done();
      }
      const retryable = failure instanceof APIConnectionError ? mayRetry(failure) : failure instanceof APIError && RETRY_STATUS.has(failure.status);
      if (!retryable || !IDEMPOTENT.has(ctx.method) || attempt >= retries) throw failure;
      const retryAfter = failure instanceof APIError ? retryAfterMs(failure.headers['retry-after']) : NaN;
      await sleep(retryAfter >= 0 && retryAfter <= 60_000 ? retryAfter : backoffDelay(attempt), options.signal).catch((cause) => {
        throw new APIUserAbortError(undefined, { cause });
      });
    }
  }

  /** The data of a 2xx answer, or the typed error of any other answer. */
  #unwrap(ctx: ErrorContext, { data, error, response }: Answer, parse: Parse): unknown {
    if (isLoginPage(response, response.ok ? data : undefined)) throw loginPageError(ctx, response, data);
    if (!response.ok) throw statusError(ctx, response, error, this.#config.parseErrorBody ?? parseJupyterErrorBody);
    if (parse === 'none') return undefined;
    if (parse === 'text') return data ?? '';
    // A 204 says there is nothing; an empty 200 where a model was due is a broken answer.
    if (!data && response.status === 204) return undefined;
    try {
      return JSON.parse(data!);
    } catch {
      throw invalidResponseError(ctx, response, data ?? '');
    }
  }

  /** openapi-fetch middleware: the client's headers and credentials, unless the call set its own. */
  async #authorize(request: Request): Promise<Request> {
    // Raced against the request's signal: a token function that never answers must not outlast the deadline.
    const auth = await raceSignal(this.#config.auth?.(), request.signal);
    const headers = { accept: 'application/json', ...this.#config.headers, ...auth };
    checkHeaders(headers);
    for (const [name, value] of Object.entries(headers)) if (!request.headers.has(name)) request.headers.set(name, value);
    return request;
  }

  /**
   * The `fetch` openapi-fetch is given: the caller's fetch (looked up now, so MSW or a test can
   * replace `globalThis.fetch` after the client exists; called unbound, so browsers do not throw
   * "Illegal invocation"), as `fetch(url, init)` with the body as serialised, the form fetch
   * wrappers and stubs expect. The body is read here, so a connection lost halfway through it is a
   * connection error like any other.
   */
  async #send(request: Request): Promise<Response> {
    const fetch = this.#config.fetch ?? globalThis.fetch;
    try {
      const response = await raceSignal(fetch(request.url, await initOf(request)), request.signal);
      await raceSignal(response.clone().arrayBuffer(), request.signal);
      return response;
    } catch (cause) {
      // An abort or a timeout: the call says which.
      if (request.signal.aborted) throw cause;
      throw connectionError({ method: request.method, url: this.#config.redact(request.url), redact: this.#config.redact }, cause);
    }
  }

  /** The encoded query string (without `?`): the base URL's query, then `query`'s set values. */
  #query(query?: Record<string, QueryValue>): string {
    const params = new URLSearchParams(this.#baseQuery);
    if (query) for (const [k, v] of Object.entries(query)) if (v != null) params.append(k, String(v));
    return params.toString();
  }

  #url(path: string, query?: Record<string, QueryValue>): string {
    const qs = this.#query(query);
    return this.baseUrl + path + (qs ? '?' + qs : '');
  }
}

interface Answer {
  data?: string;
  error?: unknown;
  response: Response;
}

interface AnyInput {
  path?: Record<string, unknown>;
  query?: Record<string, QueryValue>;
  body?: unknown;
  form?: Record<string, Blob | string>;
}

function formData(fields: Record<string, Blob | string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}

/** A Request as `fetch(url, init)` arguments: JSON bodies as the string openapi-fetch serialised, others as bytes. */
async function initOf(request: Request): Promise<RequestInit> {
  const headers = Object.fromEntries(request.headers as unknown as Iterable<[string, string]>);
  const json = /json/.test(headers['content-type'] ?? '');
  return {
    method: request.method,
    headers,
    body: request.body ? await (json ? request.text() : request.arrayBuffer()) : undefined,
    signal: request.signal,
    credentials: request.credentials,
    cache: request.cache,
    redirect: request.redirect,
  };
}

/** Milliseconds to wait from a `Retry-After` header: delay-seconds or an HTTP date; NaN when absent or unreadable. */
function retryAfterMs(value: string | undefined): number {
  if (!value) return NaN;
  const seconds = Number(value);
  if (!Number.isNaN(seconds)) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? NaN : Math.max(0, at - Date.now());
}
