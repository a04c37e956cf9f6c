/**
 * The HTTP core every client stands on: one openapi-fetch client per client instance, extended
 * where openapi-fetch means to be extended.
 *  - Middleware (`onRequest`) adds the client's headers and credentials, so a user's middleware
 *    sees the request as it will go out, and the raw client authenticates like the SDK does.
 *  - The `fetch` it is given calls the caller's fetch as `fetch(url, init)` and turns a failed
 *    transport into `APIConnectionError`.
 *  - {@link Http.call} puts a deadline and retries around one openapi-fetch request and unwraps
 *    its `{ data, error, response }` into data or a typed error.
 */
import createClient, { type Client } from 'openapi-fetch';
import { backoffDelay } from './backoff.js';
import { Deadline, raceSignal, sleep } from './deadline.js';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  InvalidArgumentError,
  InvalidResponseError,
  errorClassFor,
} from './errors.js';
import { MASK, redactValue } from './redact.js';
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
  /** What went wrong when the message alone does not say (the last line of a traceback). */
  detail?: string | undefined;
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
// Connection errors that a retry cannot fix (a browser's CORS refusal).
const FINAL = new WeakSet<APIConnectionError>();

/**
 * Sends a client's requests: credentials, timeouts, retries and typed errors around one
 * openapi-fetch client.
 * @typeParam Paths the generated `paths` of the client's spec, which type {@link Http.call}
 */
export class Http<Paths extends {}> {
  /** The openapi-fetch client every call goes through, with the client's auth as middleware. */
  readonly api: Client<Paths>;
  /** Base URL without its query, fragment or trailing slash. */
  readonly baseUrl: string;
  private readonly baseQuery: string;

  constructor(private readonly config: HttpConfig) {
    const [noHash = ''] = config.baseUrl.split('#');
    const [base = '', query = ''] = noHash.split(/\?(.*)/s);
    this.baseUrl = base.replace(/\/+$/, '');
    this.baseQuery = query;
    checkBaseUrl(this.baseUrl);
    this.api = createClient<Paths>({
      baseUrl: this.baseUrl,
      // `{path}` keeps its `/` separators; only the operation's template is filled, not a `{` in the base URL.
      pathSerializer: (url, params) => this.baseUrl + fillPath(url.slice(this.baseUrl.length), params),
      querySerializer: (q) => this.query(q as Record<string, QueryValue>),
      fetch: (request: Request) => this.send(request),
      // Jupyter Server sends Last-Modified and no Cache-Control: a browser would answer a re-read
      // of a changed file from its cache.
      cache: 'no-store',
      ...config.init,
    });
    this.api.use({ onRequest: ({ request }) => this.authorize(request) });
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
    const verb = method.toUpperCase();
    const url = this.config.redact(this.url(fillPath(path, params), query));
    checkHeaders(options.headers);
    const init = {
      params: { path: params, query },
      body: form ? formData(form) : body,
      headers: options.headers,
      parseAs: 'text',
    };
    const retries = options.maxRetries ?? this.config.maxRetries ?? DEFAULT_MAX_RETRIES;
    for (let attempt = 0; ; attempt++) {
      if (options.signal?.aborted) throw new APIUserAbortError();
      const timeout = options.timeout ?? this.config.timeout ?? DEFAULT_TIMEOUT_MS;
      const deadline = new Deadline(timeout, options.signal);
      let failure: unknown;
      try {
        const answer = await deadline.race(this.api.request(method as any, path as any, { ...init, signal: deadline.signal } as any));
        return this.unwrap(verb, url, answer as Answer, parse) as Success<Operation<Paths, P, M>>;
      } catch (error) {
        if (deadline.aborted) throw new APIUserAbortError(undefined, { cause: error });
        if (deadline.timedOut) throw new APIConnectionTimeoutError(`${verb} ${url} timed out after ${timeout} ms`, { method: verb, url });
        failure = error;
      } finally {
        deadline.done();
      }
      const retryable =
        failure instanceof APIConnectionError ? !FINAL.has(failure) : failure instanceof APIError && RETRY_STATUS.has(failure.status);
      if (!retryable || !IDEMPOTENT.has(verb) || attempt >= retries) throw failure;
      const retryAfter = failure instanceof APIError ? retryAfterMs(failure.headers['retry-after']) : NaN;
      await sleep(retryAfter >= 0 && retryAfter <= 60_000 ? retryAfter : backoffDelay(attempt), options.signal).catch((cause) => {
        throw new APIUserAbortError(undefined, { cause });
      });
    }
  }

  /** Data of a 2xx answer, or the typed error of any other. */
  private unwrap(method: string, url: string, { data, error, response }: Answer, parse: Parse): unknown {
    const loginPage = isLoginPage(response, data);
    if (!response.ok || loginPage) return this.fail(method, url, response, response.ok ? data : error, loginPage);
    if (parse === 'none') return undefined;
    if (parse === 'text') return data ?? '';
    // A 204 says there is nothing; an empty 200 where a model was due is a broken answer.
    if (!data && response.status === 204) return undefined;
    try {
      return JSON.parse(data!);
    } catch {
      return this.fail(method, url, response, data ?? '', false, true);
    }
  }

  /** Throws the error for an answer: its status's APIError subclass, or what a wrong 2xx means. */
  private fail(method: string, url: string, response: Response, body: unknown, loginPage: boolean, notJson = false): never {
    const redacted = typeof body === 'string' ? this.config.redact(body) || undefined : redactValue(body, this.config.redact);
    const headers: Record<string, string> = {};
    // A server or proxy may echo credentials in a header (a redirect Location with ?token=, ...),
    // and Jupyter answers even errors with a login cookie that works as well as the token.
    response.headers.forEach((v, k) => (headers[k] = CREDENTIAL_HEADER.test(k) ? MASK : this.config.redact(v)));
    const init = { status: response.status, method, url, body: redacted, headers };
    if (loginPage) {
      // A login redirect (a JupyterHub user server, a proxy) answers 200 with an HTML form.
      const where = response.redirected ? ` (redirected to ${this.config.redact(response.url)})` : '';
      throw new AuthenticationError({ ...init, reason: 'login page' }, `${method} ${url} was answered with a login page${where}: the token is missing, wrong or expired`);
    }
    if (notJson) {
      const type = response.headers.get('content-type')?.split(';')[0] || 'no content type';
      const excerpt = typeof redacted === 'string' ? redacted.slice(0, 120).replace(/\s+/g, ' ') : '';
      throw new InvalidResponseError(init, `${response.status} ${method} ${url} answered ${excerpt ? `${type} that is not JSON: ${JSON.stringify(excerpt)}` : 'with an empty body where JSON was due'}`);
    }
    const parsed = (this.config.parseErrorBody ?? parseJupyterErrorBody)(redacted);
    const Cls = errorClassFor(response.status);
    throw new Cls({ ...init, serverMessage: parsed.message, reason: parsed.reason ?? (response.statusText || undefined), detail: parsed.detail });
  }

  /** openapi-fetch middleware: the client's headers and credentials, unless the call set its own. */
  private async authorize(request: Request): Promise<Request> {
    // Raced against the request's signal: a token function that never answers must not outlast the deadline.
    const auth = await raceSignal(this.config.auth?.(), request.signal);
    const headers = { accept: 'application/json', ...this.config.headers, ...auth };
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
  private async send(request: Request): Promise<Response> {
    const fetch = this.config.fetch ?? globalThis.fetch;
    try {
      const response = await raceSignal(fetch(request.url, await initOf(request)), request.signal);
      await raceSignal(response.clone().arrayBuffer(), request.signal);
      return response;
    } catch (cause) {
      // An abort or a timeout: the call says which.
      if (request.signal.aborted) throw cause;
      throw this.connectionError(request, cause);
    }
  }

  private connectionError(request: Request, cause: unknown): APIConnectionError {
    const { method } = request;
    const url = this.config.redact(request.url);
    const c = cause as { message?: string; cause?: { message?: string } } | undefined;
    const why = this.config.redact(String(c?.cause?.message ?? c?.message ?? cause));
    // A browser reports a request its CORS check refused as a bare TypeError, like an unreachable
    // server; across origins it is the likelier of the two, and retrying it cannot help.
    const page = (globalThis as { location?: { origin?: string } }).location?.origin;
    const cors = cause instanceof TypeError && !!page && page !== 'null' && new URL(request.url).origin !== page;
    const hint = cors
      ? ` (the browser may have blocked it by CORS: the server must allow this page's origin ${page}, e.g. jupyter server --ServerApp.allow_origin=${page})`
      : '';
    const error = new APIConnectionError(`${method} ${url} failed to connect: ${why}${hint}`, { method, url, cause: scrubbed(cause, this.config.redact) });
    if (cors) FINAL.add(error);
    return error;
  }

  /** The encoded query string (without `?`): the base URL's query, then `query`'s set values. */
  private query(query?: Record<string, QueryValue>): string {
    const params = new URLSearchParams(this.baseQuery);
    if (query) for (const [k, v] of Object.entries(query)) if (v != null) params.append(k, String(v));
    return params.toString();
  }

  private url(path: string, query?: Record<string, QueryValue>): string {
    const qs = this.query(query);
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

/**
 * A login form where the API should have answered: a redirect to a `/login` page (Jupyter Server,
 * JupyterHub), or an HTML page with a password field.
 */
function isLoginPage(response: Response, text: string | undefined): boolean {
  if (response.redirected && /\/login\/?$/.test(new URL(response.url).pathname)) return true;
  return /html/i.test(response.headers.get('content-type') ?? '') && /<input[^>]*type=["']?password/i.test(text ?? '');
}

/**
 * The cause of a connection error as it was thrown, unless it carries a credential (an error
 * message quoting the request's URL or headers): then a copy, with the same class, redacted.
 */
function scrubbed(error: unknown, redact: (text: string) => string): unknown {
  if (!(error instanceof Error)) return typeof error === 'string' ? redact(error) : error;
  const cause = error.cause === undefined ? undefined : scrubbed(error.cause, redact);
  const text = `${error.message}\n${error.stack ?? ''}`;
  if (redact(text) === text && cause === error.cause) return error;
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  for (const key of Object.keys(error)) {
    const v = (error as unknown as Record<string, unknown>)[key];
    (copy as unknown as Record<string, unknown>)[key] = typeof v === 'string' ? redact(v) : v;
  }
  Object.defineProperty(copy, 'message', { value: redact(error.message), writable: true, configurable: true });
  Object.defineProperty(copy, 'stack', { value: redact(error.stack ?? ''), writable: true, configurable: true });
  if (cause !== undefined) Object.defineProperty(copy, 'cause', { value: cause, writable: true, configurable: true });
  return copy;
}

/**
 * Refuses, before any request, a base URL that fetch could never send to: one that does not parse
 * (relative ones resolve against the page in a browser), or one carrying `user:password@`, which
 * fetch rejects. Neither message quotes the URL, which may hold the password.
 */
function checkBaseUrl(baseUrl: string): void {
  let url: URL;
  try {
    url = new URL(baseUrl, (globalThis as { location?: { href: string } }).location?.href);
  } catch {
    throw new InvalidArgumentError('baseUrl is not a valid URL (expected e.g. http://127.0.0.1:8888)');
  }
  if (!/^https?:$/.test(url.protocol)) throw new InvalidArgumentError(`baseUrl must be an http: or https: URL, not ${url.protocol}`);
  if (url.username || url.password)
    throw new InvalidArgumentError('baseUrl must not carry user:password@ (fetch refuses such URLs); send credentials in the auth or headers options');
}

const CREDENTIAL_HEADER = /^(set-cookie|cookie|authorization|proxy-authorization|x-xsrf-?token)$/i;

/**
 * Refuses header values that fetch cannot send (outside ISO-8859-1, or with line breaks): a
 * caller's mistake, not a connection failure to retry. The value is not quoted: it may be a token.
 */
function checkHeaders(headers: Record<string, string> | undefined): void {
  for (const [name, value] of Object.entries(headers ?? {})) {
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
    const message = str(b.message) ?? str(b.short_message) ?? str(b.error);
    // A 500 from an uncaught exception says only "Unhandled error"; its traceback's last line names
    // the exception ("jupyter_client.kernelspec.NoSuchKernel: No such kernel named nope").
    const last = str(b.traceback)?.trim().split('\n').pop()?.trim().slice(0, 300);
    const generic = !message || /^unhandled error$/i.test(message);
    return { message, reason: str(b.reason), detail: generic && last ? last : undefined };
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
