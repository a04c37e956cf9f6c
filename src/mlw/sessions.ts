import type { Http, RequestOptions } from '../core/http.js';
import type { MlwSessionWithProject } from './models.js';
import type { paths } from '../generated/mlw.js';

/** The Jupyter sessions MLW started. */
export class MlwSessionsResource {
  constructor(private readonly http: Http<paths>) {}

  /** Every Jupyter session MLW knows, across projects (unwrapped from `{ data }`). `GET /jnb-sessions` */
  async list(options?: RequestOptions): Promise<MlwSessionWithProject[]> {
    const res = await this.http.call('get', '/jnb-sessions', {}, options);
    return res?.data ?? [];
  }
}
