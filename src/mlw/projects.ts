import type { RequestOptions } from '../core/http.js';
import type { MlwProject } from './models.js';
import type { MlwClient } from './client.js';

/** MLW projects. */
export class MlwProjectsResource {
  constructor(private readonly client: MlwClient) {}

  /** Every project of the tenant (unwrapped from `{ data }`). `GET /projects` */
  async list(options?: RequestOptions): Promise<MlwProject[]> {
    const res = await this.client.http.call('get', '/projects', {}, options);
    return res?.data ?? [];
  }
}
