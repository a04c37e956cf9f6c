import { HttpClient } from '../core/http.js';
import type { paths } from '../generated/mlw.js';
import { InvalidArgumentError } from '../core/errors.js';
import { basicAuthValue, credentialParts, type MlwAuth } from './auth.js';
import { parseMlwErrorBody } from './errors.js';
import { MlwNotebooksResource } from './notebooks.js';
import { MlwSessionsResource } from './sessions.js';
import { MlwProjectsResource } from './projects.js';
import { MlwResourcesResource } from './resources.js';

/** Default path of the MLW microservice behind the tenant's API gateway. */
export const DEFAULT_MLW_SERVICE_PATH = '/service/mlw';

/** Options for {@link MlwClient}. */
export interface MlwClientOptions {
  /** The tenant's platform URL, e.g. `https://acme.eu-latest.cumulocity.com`. */
  baseUrl: string;
  /** Basic (`{ username, password, tenant? }`), Bearer (`{ token }`) or custom headers (`{ headers }`). */
  auth: MlwAuth;
  /**
   * Path of the microservice under the tenant URL; `/service/mlw-cdh` for the DataHub variant.
   * @default '/service/mlw'
   */
  servicePath?: string | undefined;
  /** fetch to use; looked up on `globalThis` at call time when omitted. */
  fetch?: typeof fetch | undefined;
  /** Headers added to every request. */
  headers?: Record<string, string> | undefined;
  /** Milliseconds per request attempt. @default 60000 */
  timeout?: number | undefined;
  /** Retries of safe requests (GET/PUT) on connection errors and 429/502/503/504. @default 2 */
  maxRetries?: number | undefined;
  /** fetch's `credentials`; `'include'` sends the login cookie cross-origin in a browser. */
  credentials?: RequestCredentials | undefined;
}

/**
 * Client for the Jupyter integration of the Cumulocity Machine Learning Workbench (MLW).
 * @example
 * const mlw = new MlwClient({ baseUrl: 'https://acme.cumulocity.com', auth: { tenant: 't123', username, password } });
 * const { data, session } = await mlw.notebooks.get(projectId, resourceId);
 */
export class MlwClient {
  /** The HTTP core, typed by the operations of spec/mlw.yaml. */
  readonly http: HttpClient<paths>;
  /** The tenant URL plus the service path: the root every request path hangs off. */
  readonly baseUrl: string;
  readonly options: Readonly<MlwClientOptions>;
  /** Notebook contents (`.../jnb-content`). */
  readonly notebooks: MlwNotebooksResource;
  /** Jupyter sessions MLW started (`/jnb-sessions`). */
  readonly sessions: MlwSessionsResource;
  /** Projects (`/projects`). */
  readonly projects: MlwProjectsResource;
  /** Files of a project (`/projects/{p}/resources`). */
  readonly resources: MlwResourcesResource;
  // Credentials handed out by a token or header function, so an error after a rotation is still scrubbed.
  private readonly recentSecrets = new Set<string>();

  constructor(options: MlwClientOptions) {
    if (!options?.baseUrl) throw new InvalidArgumentError('baseUrl is required (the tenant URL)');
    checkAuth(options?.auth);
    this.options = options;
    this.http = new HttpClient({
      baseUrl: joinServicePath(options.baseUrl, options.servicePath ?? DEFAULT_MLW_SERVICE_PATH),
      fetch: options.fetch,
      headers: options.headers,
      timeout: options.timeout,
      maxRetries: options.maxRetries,
      init: options.credentials ? { credentials: options.credentials } : undefined,
      authHeaders: () => this.authHeaders(),
      secrets: () => this.secrets(),
      parseErrorBody: parseMlwErrorBody,
    });
    this.baseUrl = this.http.baseUrl;
    this.notebooks = new MlwNotebooksResource(this);
    this.sessions = new MlwSessionsResource(this);
    this.projects = new MlwProjectsResource(this);
    this.resources = new MlwResourcesResource(this);
  }

  private async authHeaders(): Promise<Record<string, string>> {
    const auth = this.options.auth;
    if ('username' in auth) {
      const headers: Record<string, string> = { authorization: basicAuthValue(auth) };
      if (auth.tfaToken) headers.tfatoken = auth.tfaToken;
      return headers;
    }
    if ('token' in auth) {
      const token = typeof auth.token === 'function' ? await auth.token() : auth.token;
      if (!token) return {};
      this.remember([token]);
      return { authorization: `Bearer ${token}` };
    }
    const headers = { ...(await auth.headers()) };
    // Whatever the function returns authenticates the call (an XSRF token, forwarded credentials).
    this.remember(Object.entries(headers).flatMap(([name, value]) => credentialParts(name, String(value))));
    return headers;
  }

  private remember(values: string[]): void {
    for (const v of values) {
      if (!v) continue;
      this.recentSecrets.delete(v);
      this.recentSecrets.add(v);
    }
    while (this.recentSecrets.size > 32) this.recentSecrets.delete(this.recentSecrets.values().next().value!);
  }

  /**
   * Everything that must never appear in an error: password (alone and with the user name), Basic
   * value, tokens, 2FA token, and every header value a header function handed out.
   */
  private secrets(): (string | undefined)[] {
    const auth = this.options.auth;
    if ('username' in auth) {
      const value = basicAuthValue(auth);
      const pair = `${auth.username}:${auth.password}`;
      return [auth.password, pair, auth.tenant ? `${auth.tenant}/${pair}` : undefined, value, value.slice('Basic '.length), auth.tfaToken];
    }
    if ('token' in auth) return [...this.recentSecrets, typeof auth.token === 'string' ? auth.token : undefined];
    return [...this.recentSecrets, ...(auth.secrets?.() ?? [])];
  }
}

/**
 * Refuses auth that would send a broken credential (`user:undefined`, an empty password, an empty
 * token, headers that are not a function) instead of failing later with a 401.
 */
function checkAuth(auth: unknown): asserts auth is MlwAuth {
  const nonEmpty = (v: unknown) => typeof v === 'string' && v !== '';
  if (!auth || typeof auth !== 'object' || !('username' in auth || 'token' in auth || 'headers' in auth)) {
    throw new InvalidArgumentError('auth must be { username, password, tenant? }, { token } or { headers }');
  }
  const a = auth as Record<string, unknown>;
  if ('username' in a) {
    if (!nonEmpty(a.username)) throw new InvalidArgumentError('auth.username must be a non-empty string');
    if (!nonEmpty(a.password)) throw new InvalidArgumentError('auth.password is required with auth.username (a non-empty string)');
    if (a.tenant !== undefined && !nonEmpty(a.tenant)) throw new InvalidArgumentError('auth.tenant must be a non-empty string when given');
  } else if ('token' in a) {
    if (!nonEmpty(a.token) && typeof a.token !== 'function') throw new InvalidArgumentError('auth.token must be a non-empty string or a function returning one');
  } else if (typeof a.headers !== 'function') {
    throw new InvalidArgumentError('auth.headers must be a function returning the headers');
  }
}

/** Tenant URL + service path, without doubling a service path the URL already ends with. */
function joinServicePath(baseUrl: string, servicePath: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  const path = ('/' + servicePath.replace(/^\/+|\/+$/g, '')).replace(/^\/$/, '');
  return path && !base.endsWith(path) ? base + path : base;
}
