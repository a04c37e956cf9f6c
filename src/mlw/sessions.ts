import type { RequestOptions } from '../core/http.js';
import type { MlwSessionWithProject } from './models.js';
import type { MlwClient } from './client.js';

/** The Jupyter sessions MLW started. */
export class MlwSessionsResource {
  constructor(private readonly client: MlwClient) {}

  /** Every Jupyter session MLW knows, across projects (unwrapped from `{ data }`). `GET /jnb-sessions` */
  async list(options?: RequestOptions): Promise<MlwSessionWithProject[]> {
    const res = await this.client.http.call('get', '/jnb-sessions', {}, options);
    return res?.data ?? [];
  }
}
