import { HttpClient, type RequestOptions } from '../core/http.js';
import { requireId } from '../core/validate.js';
import type { paths } from '../generated/jupyterhub.js';
import { JupyterClient, type TokenSource } from '../jupyter/client.js';
import type { WebSocketLike } from '../kernel/socket.js';
import { GroupsResource } from './groups.js';
import { hubAwareFetch, userServerPath } from './jupyter.js';
import { limitConcurrency } from './limit.js';
import type { HubIdentity, HubInfo, HubVersion } from './models.js';
import { ServersResource } from './servers.js';
import { ServicesResource } from './services.js';
import { TokensResource } from './tokens.js';
import { UsersResource } from './users.js';

/** Options for {@link HubClient}. */
export interface HubClientOptions {
  /** The hub's public URL (its proxy), e.g. `https://hub.example.org` or `http://127.0.0.1:8000`; the API is under `/hub/api`. */
  baseUrl: string;
  /** An API token (an admin service's, or a user's), sent as `Authorization: token <t>`. A function is called before every request. */
  token?: TokenSource | undefined;
  /** fetch to use; looked up on `globalThis` at call time when omitted. */
  fetch?: typeof fetch | undefined;
  /** WebSocket constructor for the kernel channels of {@link HubClient.jupyter} clients. */
  WebSocket?: WebSocketLike | undefined;
  /** Headers added to every request. */
  headers?: Record<string, string> | undefined;
  /** Milliseconds per request attempt. @default 60000 */
  timeout?: number | undefined;
  /** Retries of safe requests (GET/PUT/DELETE, and server starts refused with 429) on connection errors and 429/502/503/504. @default 2 */
  maxRetries?: number | undefined;
  /** Most requests of this client waiting for an answer at once; the rest queue. `Infinity` for no bound. @default 8 */
  maxConcurrency?: number | undefined;
}

/** Requests of one {@link HubClient} waiting for an answer at once, by default. */
export const DEFAULT_HUB_CONCURRENCY = 8;

/**
 * Client for the JupyterHub REST API: users, their servers, tokens, groups and services, and
 * {@link JupyterClient}s on the users' servers through the hub's proxy.
 * @example
 * const hub = new HubClient({ baseUrl: 'http://127.0.0.1:8000', token });
 * await hub.servers.start('ana');
 * await hub.servers.waitReady('ana');
 * const jupyter = hub.jupyter('ana');
 */
export class HubClient {
  /** The HTTP core, typed by the operations of spec/jupyterhub.yaml; `http.api` is the openapi-fetch client. */
  readonly http: HttpClient<paths>;
  readonly baseUrl: string;
  readonly options: Readonly<HubClientOptions>;
  readonly users: UsersResource;
  readonly servers: ServersResource;
  readonly tokens: TokensResource;
  readonly groups: GroupsResource;
  readonly services: ServicesResource;
  /** The fetch every request of this client goes through (bounded by `maxConcurrency`). */
  readonly fetch: typeof fetch;
  // Every token handed out recently, so an error from an older request is scrubbed after a rotation.
  private readonly recentTokens = new Set<string>();

  constructor(options: HubClientOptions) {
    this.options = options;
    this.fetch = limitConcurrency(options.maxConcurrency ?? DEFAULT_HUB_CONCURRENCY, () => options.fetch ?? globalThis.fetch);
    this.http = new HttpClient({
      baseUrl: options.baseUrl,
      fetch: this.fetch,
      headers: options.headers,
      timeout: options.timeout,
      maxRetries: options.maxRetries,
      authHeaders: () => this.authHeaders(),
      secrets: () => [...this.recentTokens, typeof options.token === 'string' ? options.token : undefined],
    });
    this.baseUrl = this.http.baseUrl;
    this.users = new UsersResource(this);
    // Event streams are read outside the HTTP core; their credentials come from here, not from a public method.
    this.servers = new ServersResource(this, async () => ({ ...options.headers, ...(await this.authHeaders()) }));
    this.tokens = new TokensResource(this);
    this.groups = new GroupsResource(this);
    this.services = new ServicesResource(this);
  }

  /** The hub's version; needs no token. `GET /hub/api` */
  async version(options?: RequestOptions): Promise<HubVersion> {
    return this.http.call('get', '/hub/api', {}, options);
  }

  /** Version, Python, authenticator and spawner of the hub (scope `read:hub`). `GET /hub/api/info` */
  async info(options?: RequestOptions): Promise<HubInfo> {
    return this.http.call('get', '/hub/api/info', {}, options);
  }

  /** The user or service this client's token belongs to, with the token's scopes. `GET /hub/api/user` */
  async me(options?: RequestOptions): Promise<HubIdentity> {
    return this.http.call('get', '/hub/api/user', {}, options);
  }

  /**
   * A {@link JupyterClient} on a user's server through the hub's proxy (REST and kernel
   * channels), with this client's token unless another is given: a token of that user, or one
   * with `access:servers` on them. Start the server first; while it is not running every call
   * fails with `ServerNotRunningError`.
   * @example
   * const jupyter = hub.jupyter('ana', { server: 'gpu' });
   * const kernel = await jupyter.kernels.start();
   */
  jupyter(user: string, params: { server?: string; token?: TokenSource } = {}): JupyterClient {
    const name = requireId(user, 'user name');
    const server = params.server ? requireId(params.server, 'server name') : '';
    const { WebSocket, headers, timeout, maxRetries } = this.options;
    return new JupyterClient({
      baseUrl: this.baseUrl + userServerPath(name, server),
      token: params.token ?? this.options.token,
      fetch: hubAwareFetch(() => this.fetch),
      WebSocket,
      headers,
      timeout,
      maxRetries,
    });
  }

  private async authHeaders(): Promise<Record<string, string>> {
    const t = this.options.token;
    const token = typeof t === 'function' ? await t() : t;
    if (!token) return {};
    this.recentTokens.delete(token);
    this.recentTokens.add(token);
    if (this.recentTokens.size > 8) this.recentTokens.delete(this.recentTokens.values().next().value!);
    return { authorization: `token ${token}` };
  }
}
