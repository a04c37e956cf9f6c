import type { Http, RequestOptions } from '../core/http.js';
import { requireId } from '../core/validate.js';
import type { KernelSpec, KernelSpecs } from './models.js';
import type { paths } from '../generated/jupyter-server.js';
import { jupyterParts, type JupyterCore } from './core.js';

/** Installed kernelspecs. */
export class KernelSpecsResource {
  readonly #http: Http<paths>;

  /** Built from a {@link JupyterCore} (or a `JupyterClient`), whose credentials and settings it shares. */
  constructor(jupyter: JupyterCore) {
    this.#http = jupyterParts(jupyter).http;
  }

  /** The default kernel name and every kernelspec. `GET /api/kernelspecs` */
  async list(options?: RequestOptions): Promise<KernelSpecs> {
    return this.#http.call('get', '/api/kernelspecs', {}, options);
  }

  /** One kernelspec. `GET /api/kernelspecs/{kernel_name}` */
  async get(name: string, options?: RequestOptions): Promise<KernelSpec> {
    const path = { kernel_name: requireId(name, 'kernelspec name') };
    return this.#http.call('get', '/api/kernelspecs/{kernel_name}', { path }, options);
  }
}
