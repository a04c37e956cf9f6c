import { HttpClient, type RequestOptions } from '../core/http.js';
import type { Status, Version, Me, NbconvertExporters } from './models.js';
import type { paths } from '../generated/jupyter-server.js';
import { ContentsResource } from './contents.js';
import { CheckpointsResource } from './checkpoints.js';
import { KernelsResource } from './kernels.js';
import { KernelSpecsResource } from './kernelspecs.js';
import { SessionsResource } from './sessions.js';
import { TerminalsResource } from './terminals.js';
import { ConfigResource } from './config.js';
import { EventsResource } from './events.js';
import type { WebSocketLike } from '../kernel/socket.js';
import { cookieJarOf } from '../core/cookie-jar.js';
import type { MeParams } from './identity.js';

/** A token, or a function that returns one (called before every request and socket). */
export type TokenSource = string | (() => string | undefined | Promise<string | undefined>);

/** Options for {@link JupyterClient}. */
export interface JupyterClientOptions {
  /**
   * Server root, e.g. `http://127.0.0.1:8888` or a JupyterHub user prefix `https://hub/user/ana`.
   * A `?token=` in it (as printed by `jupyter server list`) is used as the token when `token` is not given.
   */
  baseUrl: string;
  /** Jupyter token, sent as `Authorization: token <t>`. Omit for cookie auth in a browser. */
  token?: TokenSource | undefined;
  /** fetch to use; looked up on `globalThis` at call time when omitted. */
  fetch?: typeof fetch | undefined;
  /** WebSocket constructor for kernel and terminal channels. @default the global WebSocket in browsers, `ws` in Node */
  WebSocket?: WebSocketLike | undefined;
  /** Headers added to every request. */
  headers?: Record<string, string> | undefined;
  /** Milliseconds per request attempt. @default 60000 */
  timeout?: number | undefined;
  /** Retries of safe requests (GET/HEAD/PUT/DELETE) on connection errors and 429/502/503/504. @default 2 */
  maxRetries?: number | undefined;
}

/**
 * Client for the Jupyter Server REST API and its kernel and terminal channels.
 * @example
 * const jupyter = new JupyterClient({ baseUrl: 'http://127.0.0.1:8888', token });
 * const kernel = await jupyter.kernels.start({ name: 'python3' });
 */
export class JupyterClient {
  /**
   * The HTTP core, typed by the operations of spec/jupyter-server.yaml. `http.api` is the one
   * openapi-fetch client every REST call of this client goes through; `http.api.use()` adds middleware.
   */
  readonly http: HttpClient<paths>;
  readonly baseUrl: string;
  readonly options: Readonly<JupyterClientOptions>;
  readonly contents: ContentsResource;
  readonly checkpoints: CheckpointsResource;
  readonly kernels: KernelsResource;
  readonly kernelspecs: KernelSpecsResource;
  readonly sessions: SessionsResource;
  readonly terminals: TerminalsResource;
  readonly config: ConfigResource;
  /** Server events (Jupyter Server 2.x): subscribe to kernel and file activity, emit your own. */
  readonly events: EventsResource;
  // Every token handed out recently, so an error from an older request is scrubbed after a rotation.
  private readonly recentTokens = new Set<string>();
  // `?token=` of a URL copied from `jupyter server list`, used when no `token` option is given.
  private readonly urlToken: string | undefined;

  constructor(options: JupyterClientOptions) {
    this.options = options;
    const { baseUrl, token } = splitUrlToken(options.baseUrl);
    this.urlToken = token;
    // Jupyter Server 2.x keeps a token-authenticated caller's identity in a cookie: the jar (per
    // client, outside browsers) makes one client one identity. Its cookies authenticate, so they
    // are secrets like the token.
    const cookies = cookieJarOf(this);
    this.http = new HttpClient({
      baseUrl,
      fetch: cookies.wrap(options.fetch),
      headers: options.headers,
      timeout: options.timeout,
      maxRetries: options.maxRetries,
      authHeaders: () => this.authHeaders(),
      secrets: () => [...this.recentTokens, typeof options.token === 'string' ? options.token : undefined, this.urlToken, ...cookies.values()],
    });
    this.baseUrl = this.http.baseUrl;
    this.contents = new ContentsResource(this);
    this.checkpoints = new CheckpointsResource(this);
    this.kernels = new KernelsResource(this);
    this.kernelspecs = new KernelSpecsResource(this);
    this.sessions = new SessionsResource(this);
    this.terminals = new TerminalsResource(this);
    this.config = new ConfigResource(this);
    this.events = new EventsResource(this.http, {
      baseUrl: this.baseUrl,
      token: () => this.token(),
      WebSocket: options.WebSocket,
      timeout: options.timeout,
      cookie: (url) => cookies.header(url),
      secrets: () => cookies.values(),
    });
  }

  /** The current token, resolving a token function. */
  async token(): Promise<string | undefined> {
    const t = this.options.token ?? this.urlToken;
    const token = typeof t === 'function' ? await t() : t;
    if (token) {
      this.recentTokens.delete(token);
      this.recentTokens.add(token);
      if (this.recentTokens.size > 8) this.recentTokens.delete(this.recentTokens.values().next().value!);
    }
    return token;
  }

  private async authHeaders(): Promise<Record<string, string>> {
    const token = await this.token();
    if (token) return { authorization: `token ${token}` };
    // Cookie auth in a browser: Jupyter checks the `_xsrf` cookie against this header on writes.
    const cookie = (globalThis as { document?: { cookie?: string } }).document?.cookie;
    const xsrf = cookie && /(?:^|;\s*)_xsrf=([^;]*)/.exec(cookie)?.[1];
    return xsrf ? { 'x-xsrftoken': decodeURIComponent(xsrf) } : {};
  }

  /** Server activity and counts. `GET /api/status` */
  async status(options?: RequestOptions): Promise<Status> {
    return this.http.call('get', '/api/status', {}, options);
  }

  /** Server version. `GET /api` */
  async version(options?: RequestOptions): Promise<Version> {
    return this.http.call('get', '/api', {}, options);
  }

  /** The nbconvert exporters the server offers, by name. `GET /api/nbconvert` */
  async nbconvertExporters(options?: RequestOptions): Promise<NbconvertExporters> {
    return this.http.call('get', '/api/nbconvert', {}, options);
  }

  /** The server's own Swagger description of its API, as YAML text. `GET /api/spec.yaml` */
  async apiSpec(options?: RequestOptions): Promise<string> {
    return this.http.call('get', '/api/spec.yaml', {}, options, { parse: 'text' });
  }

  /**
   * Who the server takes this client for, and which of the asked `permissions` it grants
   * (Jupyter Server 2.x). `GET /api/me`
   * @throws NotFoundError on Jupyter Server 1.x, which has no identity endpoint.
   * @example
   * const { identity, permissions } = await jupyter.me({ permissions: { contents: ['read', 'write'] } });
   */
  me(options?: RequestOptions): Promise<Me>;
  me(params: MeParams, options?: RequestOptions): Promise<Me>;
  async me(first?: MeParams | RequestOptions, second?: RequestOptions): Promise<Me> {
    // Loaded on first use: most apps never ask, and the browser bundle stays small.
    const { getMe } = await import('./identity.js');
    return getMe(this.http, first, second);
  }
}

/** Takes `?token=` out of a base URL: it is sent as the `Authorization` header instead, never in request URLs. */
function splitUrlToken(url: string): { baseUrl: string; token: string | undefined } {
  const q = url.indexOf('?');
  if (q < 0) return { baseUrl: url, token: undefined };
  const hash = url.indexOf('#', q);
  const params = new URLSearchParams(url.slice(q + 1, hash < 0 ? undefined : hash));
  const token = params.get('token') ?? undefined;
  if (token === undefined) return { baseUrl: url, token };
  params.delete('token');
  const rest = params.toString();
  return { baseUrl: url.slice(0, q) + (rest ? '?' + rest : ''), token: token || undefined };
}
