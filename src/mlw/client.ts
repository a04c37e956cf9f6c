import { ClientBase, tokenAuth, type ClientOptions } from '../core/client-base.js';
import type { paths } from '../generated/mlw.js';
import { InvalidArgumentError } from '../core/errors.js';
import { basicAuthValue, type MlwAuth } from './auth.js';
import { parseMlwErrorBody } from './errors.js';
import { MlwNotebooksResource } from './notebooks.js';
import { MlwSessionsResource } from './sessions.js';
import { MlwProjectsResource } from './projects.js';
import { MlwResourcesResource } from './resources.js';

/** Default path of the MLW microservice behind the tenant's API gateway. */
export const DEFAULT_MLW_SERVICE_PATH = '/service/mlw';

/** Options for {@link MlwClient}. */
export interface MlwClientOptions extends ClientOptions {
  /** The tenant's platform URL, e.g. `https://acme.eu-latest.cumulocity.com`. */
  baseUrl: string;
  /** Basic (`{ username, password, tenant? }`), Bearer (`{ token }`) or custom headers (`{ headers }`). */
  auth: MlwAuth;
  /**
   * Path of the microservice under the tenant URL; `/service/mlw-cdh` for the DataHub variant.
   * @default '/service/mlw'
   */
  servicePath?: string | undefined;
  /** fetch's `credentials`; `'include'` sends the login cookie cross-origin in a browser. */
  credentials?: RequestCredentials | undefined;
}

/**
 * Client for the Jupyter integration of the Cumulocity Machine Learning Workbench (MLW).
 * @example
 * const mlw = new MlwClient({ baseUrl: 'https://acme.cumulocity.com', auth: { tenant: 't123', username, password } });
 * const { data, session } = await mlw.notebooks.get(projectId, resourceId);
 */
export class MlwClient extends ClientBase<paths> {
  /** Notebook contents (`.../jnb-content`). */
  readonly notebooks: MlwNotebooksResource;
  /** Jupyter sessions MLW started (`/jnb-sessions`). */
  readonly sessions: MlwSessionsResource;
  /** Projects (`/projects`). */
  readonly projects: MlwProjectsResource;
  /** Files of a project (`/projects/{p}/resources`). */
  readonly resources: MlwResourcesResource;

  constructor(options: MlwClientOptions) {
    if (!options?.baseUrl) throw new InvalidArgumentError('baseUrl is required (the tenant URL)');
    const { auth } = options;
    checkAuth(auth);
    super(options, {
      baseUrl: joinServicePath(options.baseUrl, options.servicePath ?? DEFAULT_MLW_SERVICE_PATH),
      auth: () => mlwAuth(auth),
      secrets: () => mlwSecrets(auth),
      parseErrorBody: parseMlwErrorBody,
      init: options.credentials ? { credentials: options.credentials } : undefined,
    });
    this.notebooks = new MlwNotebooksResource(this.http);
    this.sessions = new MlwSessionsResource(this.http);
    this.projects = new MlwProjectsResource(this.http);
    this.resources = new MlwResourcesResource(this.http);
  }
}

/** Basic (with the 2FA token when set), Bearer, or the headers the caller's function computes. */
async function mlwAuth(auth: MlwAuth): Promise<Record<string, string> | undefined> {
  if ('username' in auth) {
    const headers: Record<string, string> = { authorization: basicAuthValue(auth) };
    if (auth.tfaToken) headers.tfatoken = auth.tfaToken;
    return headers;
  }
  if ('token' in auth) return tokenAuth('Bearer', auth.token)();
  return { ...(await auth.headers()) };
}

/**
 * What must never appear in an error besides the headers sent: the password (alone and with the
 * user name, as a server may echo the login), and the values a header function's owner names.
 */
function mlwSecrets(auth: MlwAuth): (string | undefined)[] {
  if ('username' in auth) {
    const pair = `${auth.username}:${auth.password}`;
    return [auth.password, pair, auth.tenant ? `${auth.tenant}/${pair}` : undefined];
  }
  if ('token' in auth) return [typeof auth.token === 'string' ? auth.token : undefined];
  return [...(auth.secrets?.() ?? [])];
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
