import type { RequestOptions } from '../core/http.js';
import { requireId } from '../core/validate.js';
import type { HubContext } from './context.js';
import type { HubGroup } from './models.js';
import { PAGINATION_ACCEPT, readAll, readPages, type PageWindow } from './pages.js';

/** Groups of users. */
export class GroupsResource {
  constructor(private readonly hub: HubContext) {}

  /** Every group (or the window `offset`/`limit` asks for), reading the hub's pages to the end. `GET /hub/api/groups` */
  async list(params: PageWindow = {}, options?: RequestOptions): Promise<HubGroup[]> {
    const pages = readPages(
      (offset, limit) =>
        this.hub.http.call('get', '/hub/api/groups', { query: { offset, limit } }, { ...options, headers: { ...options?.headers, accept: PAGINATION_ACCEPT } }),
      params,
    );
    return readAll(pages);
  }

  /** One group. `GET /hub/api/groups/{name}` @throws NotFoundError */
  async get(name: string, options?: RequestOptions): Promise<HubGroup> {
    return this.hub.http.call('get', '/hub/api/groups/{name}', { path: this.path(name) }, options);
  }

  /** Creates an empty group. `POST /hub/api/groups/{name}` @throws ConflictError when it exists. */
  async create(name: string, options?: RequestOptions): Promise<HubGroup> {
    return this.hub.http.call('post', '/hub/api/groups/{name}', { path: this.path(name) }, options);
  }

  /** Deletes a group (not its users). `DELETE /hub/api/groups/{name}` @throws NotFoundError */
  async delete(name: string, options?: RequestOptions): Promise<void> {
    await this.hub.http.call('delete', '/hub/api/groups/{name}', { path: this.path(name) }, options, 'none');
  }

  /** Adds users to a group. `POST /hub/api/groups/{name}/users` @throws BadRequestError when a name is not a user. */
  async addUsers(name: string, users: string[], options?: RequestOptions): Promise<HubGroup> {
    return this.hub.http.call('post', '/hub/api/groups/{name}/users', { path: this.path(name), body: { users } }, options);
  }

  /** Removes users from a group. `DELETE /hub/api/groups/{name}/users` @throws BadRequestError when a name is not a user. */
  async removeUsers(name: string, users: string[], options?: RequestOptions): Promise<HubGroup> {
    return this.hub.http.call('delete', '/hub/api/groups/{name}/users', { path: this.path(name), body: { users } }, options);
  }

  private path(name: string): { name: string } {
    return { name: requireId(name, 'group name') };
  }
}
