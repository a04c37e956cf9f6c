import { HttpClient, type RequestOptions } from '../core/http.js';
import type { Status, Version, Identity } from './models.js';
import { ContentsResource } from './contents.js';
import { CheckpointsResource } from './checkpoints.js';
import { KernelsResource } from './kernels.js';
import { KernelSpecsResource } from './kernelspecs.js';
import { SessionsResource } from './sessions.js';
import { TerminalsResource } from './terminals.js';
import { ConfigResource } from './config.js';
import type { WebSocketLike } from '../kernel/socket.js';

/** A token, or a function that returns one (called before every request and socket). */
export type TokenSource = string | (() => string | undefined | Promise<string | undefined>);

/** Options for {@link JupyterClient}. */
export interface JupyterClientOptions {
  /** Server root, e.g. `http://127.0.0.1:8888` or a JupyterHub user prefix `https://hub/user/ana`. */
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
  readonly http: HttpClient;
  readonly baseUrl: string;
  readonly options: Readonly<JupyterClientOptions>;
  readonly contents: ContentsResource;
  readonly checkpoints: CheckpointsResource;
  readonly kernels: KernelsResource;
  readonly kernelspecs: KernelSpecsResource;
  readonly sessions: SessionsResource;
  readonly terminals: TerminalsResource;
  readonly config: ConfigResource;
  private lastToken: string | undefined;

  constructor(options: JupyterClientOptions) {
    this.options = options;
    this.http = new HttpClient({
      baseUrl: options.baseUrl,
      fetch: options.fetch,
      headers: options.headers,
      timeout: options.timeout,
      maxRetries: options.maxRetries,
      authHeaders: () => this.authHeaders(),
      secrets: () => [this.lastToken, typeof options.token === 'string' ? options.token : undefined],
    });
    this.baseUrl = this.http.baseUrl;
    this.contents = new ContentsResource(this);
    this.checkpoints = new CheckpointsResource(this);
    this.kernels = new KernelsResource(this);
    this.kernelspecs = new KernelSpecsResource(this);
    this.sessions = new SessionsResource(this);
    this.terminals = new TerminalsResource(this);
    this.config = new ConfigResource(this);
  }

  /** The current token, resolving a token function. */
  async token(): Promise<string | undefined> {
    const t = this.options.token;
    this.lastToken = typeof t === 'function' ? await t() : t;
    return this.lastToken;
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
  status(options?: RequestOptions): Promise<Status> {
    return this.http.request({ method: 'GET', path: '/api/status' }, options);
  }

  /** Server version. `GET /api` */
  version(options?: RequestOptions): Promise<Version> {
    return this.http.request({ method: 'GET', path: '/api' }, options);
  }

  /**
   * The authenticated user and permissions (Jupyter Server 2.x). `GET /api/me`
   * @throws NotFoundError on Jupyter Server 1.x, which has no identity endpoint.
   */
  me(options?: RequestOptions): Promise<Identity> {
    return this.http.request({ method: 'GET', path: '/api/me' }, options);
  }
}
