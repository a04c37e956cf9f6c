import { InternalServerError, NotFoundError } from '../core/errors.js';
import type { RequestOptions } from '../core/http.js';
import { requireId } from '../core/validate.js';
import type { HubContext } from './context.js';
import type { HubService } from './models.js';

/** Services registered with the hub. */
export class ServicesResource {
  constructor(private readonly hub: HubContext) {}

  /** Every service. `GET /hub/api/services` (the hub answers an object keyed by name) */
  async list(options?: RequestOptions): Promise<HubService[]> {
    return Object.values(await this.hub.http.call('get', '/hub/api/services', {}, options));
  }

  /**
   * One service. `GET /hub/api/services/{name}`
   * @throws NotFoundError when there is no such service (JupyterHub 3.0 answers 500 there; the list tells the two apart)
   */
  async get(name: string, options?: RequestOptions): Promise<HubService> {
    const path = { name: requireId(name, 'service name') };
    try {
      return await this.hub.http.call('get', '/hub/api/services/{name}', { path }, options);
    } catch (err) {
      if (!(err instanceof InternalServerError) || (await this.list(options)).some((s) => s.name === name)) throw err;
      const { method, url, headers } = err;
      throw new NotFoundError({ status: 404, serverMessage: `No such service: ${name}`, method, url, headers }, undefined);
    }
  }
}
