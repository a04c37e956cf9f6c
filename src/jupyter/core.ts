/**
 * The bare-bones Jupyter Server client: options, credentials, the HTTP core and what the kernel,
 * terminal and event channels need, with no resources. `JupyterClient` is this plus one instance
 * of every resource; an app that cares about its bundle builds only the resources it uses from a
 * `JupyterCore`, and a bundler leaves the others out.
 */
import { ClientBase, resolveToken, type ClientOptions, type TokenSource } from '../core/client-base.js';
import { bindCookieJar, CookieJar } from '../core/cookie-jar.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { Http } from '../core/http.js';
import type { paths } from '../generated/jupyter-server.js';
import type { WebSocketLike } from '../kernel/websocket.js';
import type { EventsHost } from './event-types.js';

/** Options for {@link JupyterClient} and {@link JupyterCore}. */
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

/** What a resource is built from: the client's HTTP core, and where and how its channels connect. */
export interface JupyterParts {
  readonly http: Http<paths>;
  readonly channels: EventsHost;
}

let partsOf: (core: JupyterCore) => JupyterParts;

/**
 * A Jupyter Server client without resources: authentication, the HTTP core (timeouts, retries,
 * typed errors) and the escape hatch {@link JupyterCore.api}. Build the resources an app uses from
 * it (`new KernelsResource(core)`), so that a browser bundle holds only those; it takes the
 * options of {@link JupyterClient}, which is a `JupyterCore` with every resource built.
 * Resources built from one core share its credentials, cookie jar and settings.
 * @example
 * import { JupyterCore, KernelsResource, ContentsResource } from 'jupyter-sdk';
 * const core = new JupyterCore({ baseUrl: 'http://127.0.0.1:8888', token });
 * const kernels = new KernelsResource(core);
 * const contents = new ContentsResource(core);
 * const kernel = await kernels.connect((await kernels.start()).id);
 */
export class JupyterCore extends ClientBase<paths> {
  readonly #channels: EventsHost;

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
    // What the kernel, terminal and event channels need: where the server is and how to authenticate.
    this.#channels = {
      baseUrl: this.baseUrl,
      token: () => resolveToken(token),
      WebSocket: options.WebSocket,
      timeout: options.timeout,
      cookie: (url) => cookies.header(url),
      secrets: () => cookies.values(),
    };
  }

  static {
    partsOf = (core) => ({ http: core.http, channels: core.#channels });
  }
}

/**
 * The HTTP core and channel host of a client, for a resource's constructor.
 * @throws InvalidArgumentError when `core` is not a {@link JupyterCore} (or `JupyterClient`)
 */
export function jupyterParts(core: JupyterCore): JupyterParts {
  if (!(core instanceof JupyterCore)) throw new InvalidArgumentError('a resource is built from a JupyterCore or JupyterClient');
  return partsOf(core);
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
