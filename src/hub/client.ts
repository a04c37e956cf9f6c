import { ClientBase, resolveToken, type ClientOptions, type TokenSource } from '../core/client-base.js';
import type { RequestOptions } from '../core/http.js';
import { redact } from '../core/redact.js';
import { requireId } from '../core/validate.js';
import type { paths } from '../generated/jupyterhub.js';
import { JupyterClient } from '../jupyter/client.js';
import type { WebSocketLike } from '../kernel/websocket.js';
import type { HubContext } from './context.js';
import { GroupsResource } from './groups.js';
import { hubAwareFetch, userServerPath } from './jupyter.js';
import { limitConcurrency } from './limit.js';
import type { HubIdentity, HubInfo, HubVersion } from './models.js';
import { ServersResource } from './servers.js';
import { ServicesResource } from './services.js';
import { TokensResource } from './tokens.js';
import { UsersResource } from './users.js';

/** Options for {@link HubClient}. */
export interface HubClientOptions extends ClientOptions {
  /** The hub's public URL (its proxy), e.g. `https://hub.example.org` or `http://127.0.0.1:8000`; the API is under `/hub/api`. */
  baseUrl: string;
  /** An API token (an admin service's, or a user's), sent as `Authorization: token <t>`. A function is called before every request. */
  token?: TokenSource | undefined;
  /** WebSocket constructor for the kernel channels of {@link HubClient.jupyter} clients. */
  WebSocket?: WebSocketLike | undefined;
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
export class HubClient extends ClientBase<paths> {
  readonly users: UsersResource;
  readonly servers: ServersResource;
  readonly tokens: TokensResource;
  readonly groups: GroupsResource;
  readonly services: ServicesResource;
  readonly #options: HubClientOptions;
  readonly #fetch: typeof fetch;

  constructor(options: HubClientOptions) {
    const bounded = limitConcurrency(options.maxConcurrency ?? DEFAULT_HUB_CONCURRENCY, () => options.fetch ?? globalThis.fetch);
    // The tokens handed out recently, so an error from an event stream is scrubbed after a rotation too.
    const used = new Set<string>();
    const auth = async (): Promise<Record<string, string> | undefined> => {
      const token = await resolveToken(options.token);
      if (!token) return undefined;
      used.delete(token);
      used.add(token);
      if (used.size > 8) used.delete(used.values().next().value!);
      return { authorization: `token ${token}` };
    };
    super({ ...options, fetch: bounded }, { baseUrl: options.baseUrl, auth });
    this.#options = options;
    this.#fetch = bounded;
    const hub: HubContext = {
      http: this.http,
      baseUrl: this.baseUrl,
      maxRetries: options.maxRetries,
      timeout: options.timeout,
      fetch: bounded,
      // Event streams are read outside the core; their credentials come from here, not from a public method.
      headers: async () => ({ ...options.headers, ...(await auth()) }),
      redact: (text) => redact(text, [...used]),
    };
    this.users = new UsersResource(hub);
    this.servers = new ServersResource(hub, this.users);
    this.tokens = new TokensResource(hub);
    this.groups = new GroupsResource(hub);
    this.services = new ServicesResource(hub);
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
   * fails with `ServerNotRunningError`, and a missing or revoked token meets the hub's login page
   * (`AuthenticationError`).
   * @example
   * const jupyter = hub.jupyter('ana', { server: 'gpu' });
   * const kernel = await jupyter.kernels.start();
   */
  jupyter(user: string, params: { server?: string; token?: TokenSource } = {}): JupyterClient {
    const name = requireId(user, 'user name');
    const server = params.server ? requireId(params.server, 'server name') : '';
    const { WebSocket, headers, timeout, maxRetries } = this.#options;
    return new JupyterClient({
      baseUrl: this.baseUrl + userServerPath(name, server),
      token: params.token ?? this.#options.token,
      fetch: hubAwareFetch(() => this.#fetch),
      WebSocket,
      headers,
      timeout,
      maxRetries,
    });
  }
}
