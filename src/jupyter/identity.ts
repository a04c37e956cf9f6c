import type { Http, RequestOptions } from '../core/http.js';
import type { paths } from '../generated/jupyter-server.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { Me } from './models.js';

/** Actions per resource, e.g. `{ contents: ['read', 'write'], kernels: ['execute'] }`. */
export type Permissions = Record<string, string[]>;

/** Query of `jupyter.me(params, options)`. */
export interface MeParams {
  /** The permissions to check; the answer's `permissions` lists those granted. */
  permissions?: Permissions | undefined;
}

const PARAM_KEYS = new Set(['permissions']);
const OPTION_KEYS = new Set(['signal', 'timeout', 'maxRetries', 'headers']);

/**
 * `GET /api/me`, called as `me(options?)` or `me(params, options?)`. With one argument, its keys
 * say which it is; a bag mixing both kinds, or holding a key neither has, is refused rather than
 * guessed at, so neither an abort signal nor a permission check is ever dropped.
 */
export async function getMe(http: Http<paths>, first?: MeParams | RequestOptions, second?: RequestOptions): Promise<Me> {
  let params: MeParams = {};
  let options: RequestOptions | undefined = second;
  if (first != null) {
    if (typeof first !== 'object') throw new InvalidArgumentError('me() takes { permissions } and/or request options');
    const keys = Object.keys(first);
    const asParams = second !== undefined || keys.some((k) => PARAM_KEYS.has(k));
    const wrong = keys.filter((k) => !(asParams ? PARAM_KEYS : OPTION_KEYS).has(k));
    if (wrong.length) {
      throw new InvalidArgumentError(
        `me(${asParams ? 'params' : 'options'}) got ${wrong.map((k) => JSON.stringify(k)).join(', ')}: pass { permissions } first and request options second, e.g. me({ permissions }, { signal })`,
      );
    }
    if (asParams) params = first as MeParams;
    else options = first as RequestOptions;
  }
  const permissions = params.permissions === undefined ? undefined : encodePermissions(params.permissions);
  return http.call('get', '/api/me', { query: { permissions } }, options);
}

/** The `permissions` query as the server reads it: JSON of `{ resource: [actions] }`. */
function encodePermissions(permissions: Permissions): string {
  const ok =
    permissions !== null &&
    typeof permissions === 'object' &&
    !Array.isArray(permissions) &&
    Object.values(permissions).every((actions) => Array.isArray(actions) && actions.every((a) => typeof a === 'string'));
  if (!ok) throw new InvalidArgumentError('permissions must map each resource to a list of action names, e.g. { contents: ["read", "write"] }');
  return JSON.stringify(permissions);
}
