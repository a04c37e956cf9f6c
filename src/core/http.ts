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
import createClient, { type Client } from 'openapi-fetch';
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

export type QueryValue = string | number | boolean | undefined | null;

/** How a call reads a 2xx body, and headers of its own. */
export interface CallExtra {
  /** @default 'json' */
  parse?: 'json' | 'text' | 'none';
  headers?: Record<string, string> | undefined;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RETRIES = 2;

// Only requests whose repetition cannot create a second resource are retried. A repeated POST
// starts a second kernel in Jupyter, and PATCH renames are not safe to replay after a lost answer.
const IDEMPOTENT = new Set<string>(['GET', 'HEAD', 'PUT', 'DELETE']);
// 409 means "already exists": never retried, whatever the method.
const RETRY_STATUS = new Set([429, 502, 503, 504]);

/**
 * Sends requests with auth, timeouts, retries and typed errors. Shared by every client.
 *
 * Each instance owns one openapi-fetch client over `Paths`, which builds every request (URL,
 * path and query serialisation, JSON or multipart body) and reads its answer; this class wraps
 * each call with credentials, a timeout, the caller's abort, retries and the error hierarchy.
 * @typeParam Paths the generated `paths` of the client's spec, which type {@link HttpClient.call}
 */
export class HttpClient<Paths extends {} = {}> {
  /** Base URL without its query, fragment or trailing slash. */
  readonly baseUrl: string;
  /** Query of the base URL (without `?`), sent with every request. */
  readonly baseQuery: string;
  /** The openapi-fetch client every call goes through. */
  readonly api: Client<Paths>;
  /**
   * How requests are serialised, for any openapi-fetch client over this server (the raw client
   * too): `{path}` keeps its `/` separators, other parameters are one encoded segment each (only
   * the operation's template is filled, not a `{` in the base URL); the base URL's query goes with
   * every request.
   */
  readonly serializers: {
    pathSerializer: (url: string, params: Record<string, unknown>) => string;
    querySerializer: (query: Record<string, unknown>) => string;
  };

  constructor(readonly config: HttpClientConfig) {
    // A base URL may carry a query (`http://host/?foo=1`): the request path goes before it, not after.
    const noHash = config.baseUrl.split('#')[0]!;
    const q = noHash.indexOf('?');
    this.baseUrl = (q < 0 ? noHash : noHash.slice(0, q)).replace(/\/+$/, '');
    this.baseQuery = q < 0 ? '' : noHash.slice(q + 1);
    checkBaseUrl(this.baseUrl);
    this.serializers = {
      pathSerializer: (url, params) => this.baseUrl + fillPath(url.slice(this.baseUrl.length), params),
      querySerializer: (query) => this.query(query as Record<string, QueryValue>),
    };
    this.api = createClient<Paths>({ baseUrl: this.baseUrl, ...this.serializers });
  }

  /** The encoded query string (without `?`): the base URL's query, then `query`'s set values. */
  private query(query?: Record<string, QueryValue>): string {
    const params = new URLSearchParams(this.baseQuery);
    if (query) for (const [k, v] of Object.entries(query)) if (v != null) params.append(k, String(v));
    return params.toString();
  }

  /** Full URL for an encoded path and query. */
  url(path: string, query?: Record<string, QueryValue>): string {
    const qs = this.query(query);
    return this.baseUrl + path + (qs ? '?' + qs : '');
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
  async call<M extends Method, P extends PathsWith<Paths, M>>(
    method: M,
    path: P,
    input: CallInput<Operation<Paths, P, M>>,
    options: RequestOptions = {},
    extra: CallExtra = {},
  ): Promise<Success<Operation<Paths, P, M>>> {
    const verb = method.toUpperCase();
    const maxRetries = options.maxRetries ?? this.config.maxRetries ?? DEFAULT_MAX_RETRIES;
    const canRetry = IDEMPOTENT.has(verb);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(verb, path, input as AnyInput, options, extra);
      } catch (err) {
        const retryable =
          canRetry &&
          !mayBeCors.has(err as object) &&
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

  private async attempt(verb: string, template: string, input: AnyInput, options: RequestOptions, extra: CallExtra): Promise<any> {
    const { signal } = options;
    const { path: params, query, body, form } = input;
    const safeUrl = this.redact(this.url(fillPath(template, params), query));
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
        throw new APIConnectionTimeoutError(`${verb} ${safeUrl} timed out after ${timeout} ms`, { method: verb, url: safeUrl });
      const detail = cause instanceof Error ? `: ${this.redact(String((cause as any).cause?.message ?? cause.message))}` : '';
      // A browser fails a cross-origin request its CORS check refused exactly like an unreachable
      // server (a bare TypeError), and repeating it cannot help.
      const cors = cause instanceof TypeError && isCrossOriginInBrowser(this.baseUrl);
      const hint = cors ? ' (in a browser this may also be CORS: the server must allow this page\'s origin, e.g. Jupyter Server\'s --ServerApp.allow_origin)' : '';
      const error = new APIConnectionError(`${verb} ${safeUrl} failed to connect${detail}${hint}`, { method: verb, url: safeUrl, cause: scrub(cause, (t) => this.redact(t)) });
      if (cors) mayBeCors.add(error);
      throw error;
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
        ...extra.headers,
        ...options.headers,
      };
      checkHeaders(headers);
      let formData: FormData | undefined;
      if (form) {
        formData = new FormData();
        for (const [name, value] of Object.entries(form)) formData.append(name, value);
      }
      const parse = extra.parse ?? 'json';
      // Looked up per attempt, so MSW or a test can replace `globalThis.fetch` after the client exists.
      const doFetch = this.config.fetch ?? globalThis.fetch;
      // The transport reads the body itself, so that only its own failures (no connection, a
      // dropped body) become connection errors that may be retried; an error thrown by
      // openapi-fetch middleware passes through as it is. openapi-fetch and its middleware get a
      // clone, which holds the body already received.
      let transportFailed = false;
      let text = '';
      let handedOver: Response | undefined;
      // The Request openapi-fetch builds, and the init it built it from.
      let built: { request: Request; init: RequestInit } | undefined;
      const RecordingRequest = function (input: string, init: RequestInit): Request {
        const request = new Request(input, init);
        built = { request, init };
        return request;
      } as unknown as typeof Request;
      // openapi-fetch tests what middleware returns with `instanceof` this constructor.
      RecordingRequest.prototype = Request.prototype;
      const transport = async (request: Request, ext?: RequestInit): Promise<Response> => {
        try {
          // The request openapi-fetch built goes out as fetch(url, init), with its body as
          // serialised (a JSON string or FormData), the call form fetch stubs and wrappers
          // expect; headers are read back from the Request, which middleware may have changed.
          // A Request that middleware put in its place goes out as it is.
          let sent: Promise<Response>;
          if (built?.request === request) {
            const sentHeaders = Object.fromEntries(request.headers as unknown as Iterable<[string, string]>);
            // The Request's multipart boundary is not the one fetch will write: fetch sets its own.
            if (built.init.body instanceof FormData) delete sentHeaders['content-type'];
            sent = doFetch(request.url, { ...built.init, headers: sentHeaders });
          } else sent = doFetch(request, ext);
          const response = await guard(sent);
          if (parse === 'none' && response.ok) return (handedOver = response);
          const copy = response.clone();
          text = await guard(response.text());
          return (handedOver = copy);
        } catch (cause) {
          transportFailed = true;
          throw cause;
        }
      };
      let result: { data?: unknown; error?: unknown; response: Response };
      try {
        result = await guard(
          this.api.request(verb as any, template as any, {
            ...this.config.init,
            params: { path: params, query },
            body: formData ?? body,
            headers,
            // The body is already read above: openapi-fetch hands back the clone's stream, not a second decode.
            parseAs: 'stream',
            // Jupyter Server sends Last-Modified and no Cache-Control on contents: a browser's
            // HTTP cache would answer a re-read of a changed file from its heuristic freshness.
            ...(verb === 'GET' ? { cache: 'no-store' } : {}),
            signal: controller.signal,
            fetch: transport,
            Request: RecordingRequest,
          } as any) as Promise<{ data?: unknown; error?: unknown; response: Response }>,
        );
        // Middleware answered instead of the server (onRequest returned a Response) or replaced
        // the answer (onResponse): its body is the one to read.
        if (result.response !== handedOver) text = await guard(bodyOf(result));
      } catch (cause) {
        if (transportFailed || controller.signal.aborted) return fail(cause);
        throw cause;
      }
      const { response } = result;
      void (result.data as ReadableStream | null | undefined)?.cancel?.().catch(() => undefined);
      if (!response.ok) throw this.apiError(verb, safeUrl, response, text);
      if (parse === 'none') return undefined;
      if (parse === 'text') return text;
      if (!text) return undefined;
      try {
        return JSON.parse(text);
      } catch {
        // A 2xx with a body that is not JSON: hand back the text rather than fail the call.
        return text;
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
      detail: parsed.detail,
    });
  }
}

/**
 * The cause of a connection error with secrets scrubbed from its message, stack and own causes:
 * the same object when it holds none, else a copy of the same class (a browser's TypeError stays one).
 */
function scrub(cause: unknown, clean: (text: string) => string, depth = 0): unknown {
  if (!(cause instanceof Error) || depth > 4) return cause;
  const inner = (cause as { cause?: unknown }).cause;
  const innerClean = scrub(inner, clean, depth + 1);
  const message = clean(cause.message);
  const stack = cause.stack === undefined ? undefined : clean(cause.stack);
  if (message === cause.message && stack === cause.stack && innerClean === inner) return cause;
  const options = innerClean === undefined ? undefined : { cause: innerClean };
  let copy: Error;
  try {
    copy = new (cause.constructor as ErrorConstructor)(message, options);
  } catch {
    copy = new Error(message, options);
  }
  copy.stack = stack;
  return copy;
}

// Connection errors that may be a CORS refusal: not retried.
const mayBeCors = new WeakSet<object>();

/** Whether this runs in a page whose origin differs from `baseUrl`'s. */
function isCrossOriginInBrowser(baseUrl: string): boolean {
  const here = (globalThis as { location?: { origin?: string; href?: string } }).location;
  if (!here?.origin || typeof (globalThis as { document?: unknown }).document === 'undefined') return false;
  try {
    return new URL(baseUrl, here.href).origin !== here.origin;
  } catch {
    return false;
  }
}

/** The body text of an answer openapi-fetch has read: a stream when 2xx (`parseAs: 'stream'`), else its parsed error. */
async function bodyOf(result: { data?: unknown; error?: unknown; response: Response }): Promise<string> {
  if (result.response.ok) {
    const stream = result.data as ReadableStream | null | undefined;
    result.data = undefined;
    return stream ? new Response(stream).text() : '';
  }
  const { error } = result;
  return error === undefined ? '' : typeof error === 'string' ? error : JSON.stringify(error);
}

interface AnyInput {
  path?: Record<string, unknown>;
  query?: Record<string, QueryValue>;
  body?: unknown;
  form?: Record<string, Blob | string>;
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
