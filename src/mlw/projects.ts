import type { Http, RequestOptions } from '../core/http.js';
import type { MlwProject } from './models.js';
import type { paths } from '../generated/mlw.js';

/** MLW projects. */
export class MlwProjectsResource {
  constructor(private readonly http: Http<paths>) {}

  /** Every project of the tenant (unwrapped from `{ data }`). `GET /projects` */
  async list(options?: RequestOptions): Promise<MlwProject[]> {
    const res = await this.http.call('get', '/projects', {}, options);
    return res?.data ?? [];
  }
}
