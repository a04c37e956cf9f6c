import type { RequestOptions } from '../core/http.js';
import { requireId } from '../core/validate.js';
import type { HubContext } from './context.js';
import type { HubNewToken, HubToken } from './models.js';

/** What a new token is for, how long it lives and what it may do. */
export interface TokenCreateParams {
  /** What the token is for; shown in the hub's token list. */
  note?: string | undefined;
  /** Seconds until the token expires. @default never */
  expiresIn?: number | undefined;
  /** Scopes (`read:users:name!user=ana`), which the owner must hold. @default the owner's default token scopes */
  scopes?: string[] | undefined;
  /** Roles whose scopes the token gets. */
  roles?: string[] | undefined;
}

/** A user's API tokens. */
export class TokensResource {
  constructor(private readonly hub: HubContext) {}

  /**
   * Creates a token for a user. Its value (`token`) is in this answer only: keep it.
   * `POST /hub/api/users/{name}/tokens`
   * @throws BadRequestError when a scope is not the owner's or a role does not exist
   * @example
   * const { token, id } = await hub.tokens.create('ana', { note: 'ci', expiresIn: 3600, scopes: ['access:servers!user=ana'] });
   */
  async create(user: string, params: TokenCreateParams = {}, options?: RequestOptions): Promise<HubNewToken> {
    const body = { note: params.note, expires_in: params.expiresIn, scopes: params.scopes, roles: params.roles };
    return this.hub.http.call('post', '/hub/api/users/{name}/tokens', { path: { name: this.user(user) }, body }, options);
  }

  /** A user's tokens, without their values. `GET /hub/api/users/{name}/tokens` (the hub wraps the list in `api_tokens`) */
  async list(user: string, options?: RequestOptions): Promise<HubToken[]> {
    const answer = await this.hub.http.call('get', '/hub/api/users/{name}/tokens', { path: { name: this.user(user) } }, options);
    return [...(answer.api_tokens ?? []), ...(answer.oauth_tokens ?? [])];
  }

  /** One token by id (`a12`, not its value). `GET /hub/api/users/{name}/tokens/{token_id}` @throws NotFoundError */
  async get(user: string, id: string, options?: RequestOptions): Promise<HubToken> {
    return this.hub.http.call('get', '/hub/api/users/{name}/tokens/{token_id}', { path: this.path(user, id) }, options);
  }

  /**
   * Revokes a token. The hub refuses it at once; a user server that checked it recently may
   * accept it until its auth cache expires (`HubAuth.cache_max_age`, 300 s by default).
   * `DELETE /hub/api/users/{name}/tokens/{token_id}`
   */
  async delete(user: string, id: string, options?: RequestOptions): Promise<void> {
    await this.hub.http.call('delete', '/hub/api/users/{name}/tokens/{token_id}', { path: this.path(user, id) }, options, 'none');
  }

  private user(name: string): string {
    return requireId(name, 'user name');
  }

  private path(user: string, id: string): { name: string; token_id: string } {
    return { name: this.user(user), token_id: requireId(id, 'token id') };
  }
}
