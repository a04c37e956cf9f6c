import type { RequestOptions } from '../core/http.js';
import { requireId } from '../core/validate.js';
import type { HubContext } from './context.js';
import type { HubUser } from './models.js';
import { PAGINATION_ACCEPT, readAll, readPages, type PageWindow } from './pages.js';

/** Which users {@link UsersResource.list} reads. */
export interface UserListParams extends PageWindow {
  /** Only users with an `active` (ready or pending), `ready`, or no active (`inactive`) server. */
  state?: 'active' | 'ready' | 'inactive' | undefined;
  /** Include stopped servers in each user's `servers` (`stopped: true`). */
  includeStoppedServers?: boolean | undefined;
}

/** Users of the hub. */
export class UsersResource {
  constructor(private readonly hub: HubContext) {}

  /**
   * Every user (or the window `offset`/`limit` asks for), reading the hub's pages to the end.
   * `GET /hub/api/users` with `Accept: application/jupyterhub-pagination+json`: without it the
   * hub cuts the list at its `api_page_max_limit` and says nothing.
   * @example
   * const active = await hub.users.list({ state: 'active' });
   */
  async list(params: UserListParams = {}, options?: RequestOptions): Promise<HubUser[]> {
    return readAll(this.pages(params, options));
  }

  /**
   * The same users as {@link list}, one page at a time, each read when the loop asks for it.
   * @example
   * for await (const page of hub.users.pages()) console.log(page.map((u) => u.name));
   */
  pages(params: UserListParams = {}, options?: RequestOptions): AsyncGenerator<HubUser[]> {
    const { state, includeStoppedServers } = params;
    return readPages(
      (offset, limit) =>
        this.hub.http.call(
          'get',
          '/hub/api/users',
          { query: { state, offset, limit, include_stopped_servers: includeStoppedServers || undefined } },
          { ...options, headers: { ...options?.headers, accept: PAGINATION_ACCEPT } },
        ),
      params,
    );
  }

  /** One user, with their active servers (and stopped ones when asked). `GET /hub/api/users/{name}` @throws NotFoundError */
  async get(name: string, params: { includeStoppedServers?: boolean } = {}, options?: RequestOptions): Promise<HubUser> {
    const query = { include_stopped_servers: params.includeStoppedServers || undefined };
    return this.hub.http.call('get', '/hub/api/users/{name}', { path: { name: this.name(name) }, query }, options);
  }

  /** Creates a user. `POST /hub/api/users/{name}` @throws ConflictError when the name exists. */
  async create(name: string, params: { admin?: boolean } = {}, options?: RequestOptions): Promise<HubUser> {
    return this.hub.http.call('post', '/hub/api/users/{name}', { path: { name: this.name(name) }, body: params }, options);
  }

  /**
   * Creates several users in one request; names that exist already are skipped.
   * `POST /hub/api/users`
   * @returns the users created (not the ones that existed)
   * @throws ConflictError when every name exists
   */
  async createMany(names: string[], params: { admin?: boolean } = {}, options?: RequestOptions): Promise<HubUser[]> {
    const usernames = names.map((n) => this.name(n));
    return this.hub.http.call('post', '/hub/api/users', { body: { usernames, ...params } }, options);
  }

  /** Renames a user or changes their admin flag. `PATCH /hub/api/users/{name}` @throws BadRequestError when the new name is taken. */
  async update(name: string, patch: { name?: string; admin?: boolean }, options?: RequestOptions): Promise<HubUser> {
    return this.hub.http.call('patch', '/hub/api/users/{name}', { path: { name: this.name(name) }, body: patch }, options);
  }

  /** Deletes a user, stopping their servers first. `DELETE /hub/api/users/{name}` @throws NotFoundError */
  async delete(name: string, options?: RequestOptions): Promise<void> {
    await this.hub.http.call('delete', '/hub/api/users/{name}', { path: { name: this.name(name) } }, options, 'none');
  }

  private name(name: string): string {
    return requireId(name, 'user name');
  }
}
