import { ClientBase, resolveToken, type ClientOptions, type TokenSource } from '../core/client-base.js';
import type { RequestOptions } from '../core/http.js';
import type { Status, Version, Me, NbconvertExporters } from './models.js';
import type { paths } from '../generated/jupyter-server.js';
import type { ChannelHost, WebSocketLike } from '../kernel/socket.js';
import { ContentsResource } from './contents.js';
import { CheckpointsResource } from './checkpoints.js';
import { KernelsResource } from './kernels.js';
import { KernelSpecsResource } from './kernelspecs.js';
import { SessionsResource } from './sessions.js';
import { TerminalsResource } from './terminals.js';
import { ConfigResource } from './config.js';
import { EventsResource } from './events.js';
import { bindCookieJar, CookieJar } from '../core/cookie-jar.js';
import type { MeParams } from './identity.js';

export type { TokenSource } from '../core/client-base.js';

/** Options for {@link JupyterClient}. */
export interface JupyterClientOptions extends ClientOptions {
  /**
   * Server root, e.g. `http://127.0.0.1:8888` or a JupyterHub user prefix `https://hub/user/ana`.
   * A `?token=` in it (as printed by `jupyter server list`) is used as the token when `token` is not given.
   */
  baseUrl: string;
  /** Jupyter token, sent as `Authorization: token <t>`. Omit for cookie auth in a browser. */
  token?: TokenSource | undefined;
  /** WebSocket constructor for kernel and terminal channels. @default the global WebSocket in browsers, `ws` in Node */
  WebSocket?: WebSocketLike | undefined;
}

/**
 * Client for the Jupyter Server REST API and its kernel and terminal channels.
 * @example
 * const jupyter = new JupyterClient({ baseUrl: 'http://127.0.0.1:8888', token });
 * const kernel = await jupyter.kernels.start({ name: 'python3' });
 */
export class JupyterClient extends ClientBase<paths> {
  readonly contents: ContentsResource;
  readonly checkpoints: CheckpointsResource;
  readonly kernels: KernelsResource;
  readonly kernelspecs: KernelSpecsResource;
  readonly sessions: SessionsResource;
  readonly terminals: TerminalsResource;
  readonly config: ConfigResource;
  /** Server events (Jupyter Server 2.x): subscribe to kernel and file activity, emit your own. */
  readonly events: EventsResource;

  constructor(options: JupyterClientOptions) {
    const { baseUrl, token: urlToken } = splitUrlToken(options.baseUrl);
    const token = options.token ?? urlToken;
    // Jupyter Server 2.x keeps a token-authenticated caller's identity in a cookie: the jar (per
    // client, outside browsers) makes one client one identity. Its cookies authenticate, so they
    // are secrets like the token.
    const cookies = new CookieJar();
    super(
      { ...options, fetch: cookies.wrap(options.fetch) },
      { baseUrl, auth: () => jupyterAuth(token), secrets: () => [typeof token === 'string' ? token : undefined, ...cookies.values()] },
    );
    bindCookieJar(this, cookies);
    // What the kernel and terminal channels need: where the server is and how to authenticate.
    const channels: ChannelHost = {
      baseUrl: this.baseUrl,
      token: () => resolveToken(token),
      WebSocket: options.WebSocket,
      timeout: options.timeout,
      cookie: (url) => cookies.header(url),
    };
    this.contents = new ContentsResource(this.http);
    this.checkpoints = new CheckpointsResource(this.http);
    this.kernels = new KernelsResource(this.http, channels);
    this.kernelspecs = new KernelSpecsResource(this.http);
    this.sessions = new SessionsResource(this.http);
    this.terminals = new TerminalsResource(this.http, channels);
    this.config = new ConfigResource(this.http);
    this.events = new EventsResource(this.http, { ...channels, secrets: () => cookies.values() });
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
    return this.http.call('get', '/api/spec.yaml', {}, options, 'text');
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

/** `Authorization: token <t>`; without a token, cookie auth in a browser: Jupyter checks the `_xsrf` cookie against this header on writes. */
async function jupyterAuth(token: TokenSource | undefined): Promise<Record<string, string> | undefined> {
  const t = await resolveToken(token);
  if (t) return { authorization: `token ${t}` };
  const cookie = (globalThis as { document?: { cookie?: string } }).document?.cookie;
  const xsrf = cookie && /(?:^|;\s*)_xsrf=([^;]*)/.exec(cookie)?.[1];
  return xsrf ? { 'x-xsrftoken': decodeURIComponent(xsrf) } : undefined;
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
