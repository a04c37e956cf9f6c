/**
 * What every client of the SDK has in common: the options users pass, credentials and their
 * scrubbing from errors, and the HTTP core. A client is a subclass that names its platform's base
 * URL, auth scheme and error-body parser, and hangs its resources off `this.http`.
 *
 * @example A client for a JupyterHub-style API (`Authorization: token <t>`, `{status, message}` errors):
 * ```ts
 * export class HubClient extends ClientBase<paths> {
 *   readonly users = new UsersResource(this.http);
 *   constructor(options: HubClientOptions) {
 *     super(options, {
 *       baseUrl: `${options.baseUrl.replace(/\/+$/, '')}/hub/api`,
 *       auth: tokenAuth('token', options.token),
 *       parseErrorBody: (body) => ({ message: (body as { message?: string } | undefined)?.message }),
 *     });
 *   }
 * }
 * ```
 */
import type { Client } from 'openapi-fetch';
import { Http } from './http.js';
import type { ParsedErrorBody } from './api-errors.js';
import { redact } from './redact.js';

/** Options every client takes besides its URL and credentials. */
export interface ClientOptions {
  /** fetch to use; looked up on `globalThis` at call time when omitted. */
  fetch?: typeof fetch | undefined;
  /** Headers added to every request. */
  headers?: Record<string, string> | undefined;
  /** Milliseconds per request attempt. @default 60000 */
  timeout?: number | undefined;
  /** Retries of requests safe to repeat (GET, HEAD, PUT, DELETE) after a connection error or a 429/502/503/504. @default 2 */
  maxRetries?: number | undefined;
}

/** A token, or a function that returns one (called before every request, so a rotated token is picked up). */
export type TokenSource = string | (() => string | undefined | Promise<string | undefined>);

/** What differs from one platform to the next. */
export interface Platform {
  /** Root every path of the platform's spec hangs off, e.g. `<hub>/hub/api`. */
  baseUrl: string;
  /**
   * Headers that authenticate one request, asked before every attempt. Every value it returns (and
   * the credential after an auth scheme, and each value of a `cookie` header) is scrubbed from
   * errors, also after the next call returned another.
   */
  auth?: (() => Record<string, string> | undefined | Promise<Record<string, string> | undefined>) | undefined;
  /** Further values never to show in an error (a password, a `user:password` pair). */
  secrets?: (() => readonly (string | undefined)[]) | undefined;
  /** Reads message and reason out of the platform's error bodies. @default Jupyter's `{message, reason}` */
  parseErrorBody?: ((body: unknown) => ParsedErrorBody) | undefined;
  /** RequestInit fields for every request, e.g. `credentials: 'include'`. */
  init?: { credentials?: RequestCredentials } | undefined;
}

// Credentials handed out recently: an answer to a request sent before a token rotated may still echo the old one.
const REMEMBERED = 32;

/**
 * The base of `JupyterClient`, `MlwClient`, `WnologyClient` (and any client built the same way):
 * options, credentials, and the one openapi-fetch client every call goes through.
 * @typeParam Paths the generated `paths` of the platform's spec
 */
export abstract class ClientBase<Paths extends {}> {
  // `declare`: set by the constructor, so no class field definitions need emitting.
  /** The platform's root URL, without a trailing slash. */
  declare readonly baseUrl: string;
  /**
   * The escape hatch: the typed openapi-fetch client for the whole spec, which every call of
   * this client goes through. It authenticates like the SDK's own calls, and answers
   * openapi-fetch's `{ data, error, response }` instead of throwing on an HTTP error status;
   * `api.use(middleware)` sees every request the client sends.
   * @example
   * const { data, error } = await jupyter.api.GET('/api/kernelspecs');
   */
  declare readonly api: Client<Paths>;
  /** The HTTP core, for the client's resources. */
  declare protected readonly http: Http<Paths>;
  readonly #recent = new Set<string>();

  constructor(options: ClientOptions, platform: Platform) {
    const { auth, secrets } = platform;
    const recent = this.#recent;
    const scrub = (text: string) => redact(text, [...recent, ...(secrets?.() ?? []), ...queryCredentials(platform.baseUrl)]);
    this.http = new Http<Paths>({
      baseUrl: platform.baseUrl,
      fetch: options.fetch,
      headers: options.headers,
      timeout: options.timeout,
      maxRetries: options.maxRetries,
      parseErrorBody: platform.parseErrorBody,
      init: platform.init,
      redact: scrub,
      auth: auth && (async () => {
        const headers = await auth();
        for (const [name, value] of Object.entries(headers ?? {})) {
          for (const part of credentialParts(name, String(value))) {
            recent.delete(part);
            recent.add(part);
          }
        }
        while (recent.size > REMEMBERED) recent.delete(recent.values().next().value!);
        return headers;
      }),
    });
    this.baseUrl = this.http.baseUrl;
    this.api = this.http.api;
  }
}

/** Auth as `Authorization: <scheme> <token>` from a token or token function; nothing when it yields none. */
export function tokenAuth(scheme: string, token: TokenSource | undefined): () => Promise<Record<string, string> | undefined> {
  return async () => {
    const t = await resolveToken(token);
    return t ? { authorization: `${scheme} ${t}` } : undefined;
  };
}

/** The current token of a token source. */
export async function resolveToken(token: TokenSource | undefined): Promise<string | undefined> {
  return (typeof token === 'function' ? await token() : token) || undefined;
}

/**
 * The forms in which a credential header may come back: its value, the credential after an auth
 * scheme (`Bearer <jwt>`), and each value of a cookie header (`authorization=<jwt>; XSRF-TOKEN=<x>`).
 */
export function credentialParts(name: string, value: string): string[] {
  const parts = [value];
  const scheme = /^[A-Za-z][\w-]*\s+(\S+)$/.exec(value.trim());
  if (scheme) parts.push(scheme[1]!);
  if (name.toLowerCase() === 'cookie') {
    for (const pair of value.split(';')) {
      const v = /^\s*[^=\s]+=(.*)$/.exec(pair)?.[1]?.trim();
      if (v) parts.push(v, safeDecode(v));
    }
  }
  return parts;
}

/** Credentials a base URL carries in its query (`?access_token=`), sent with every request and so echoed in errors. */
function queryCredentials(baseUrl: string): string[] {
  const q = baseUrl.split('#')[0]!.split('?')[1];
  const found: string[] = [];
  new URLSearchParams(q).forEach((v, k) => {
    if (/^(token|access_token|password|_xsrf|api_key|apikey)$/i.test(k)) found.push(v);
  });
  return found;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
