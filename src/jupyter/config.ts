import type { Http, RequestOptions } from '../core/http.js';
import { InvalidArgumentError } from '../core/errors.js';
import { requireWord } from '../core/validate.js';
import type { ConfigSection } from './models.js';
import type { paths } from '../generated/jupyter-server.js';
import { jupyterParts, type JupyterCore } from './core.js';

/** Frontend config sections stored by the server (`serverconfig/{section}.json`). */
export class ConfigResource {
  readonly #http: Http<paths>;

  /** Built from a {@link JupyterCore} (or a `JupyterClient`), whose credentials and settings it shares. */
  constructor(jupyter: JupyterCore) {
    this.#http = jupyterParts(jupyter).http;
  }

  #section(section: string): { section_name: string } {
    return { section_name: requireWord(section, 'config section') };
  }

  /** The server merges or stores objects only: anything else fails there with a 500. */
  #object(value: ConfigSection, what: string): ConfigSection {
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new InvalidArgumentError(`${what} must be a plain object`);
    return value;
  }

  /** A config section (`{}` when unset). `GET /api/config/{section_name}` */
  async get(section: string, options?: RequestOptions): Promise<ConfigSection> {
    return this.#http.call('get', '/api/config/{section_name}', { path: this.#section(section) }, options);
  }

  /** Deep-merges `patch` into the section (`null` deletes a key); returns the result. `PATCH /api/config/{section_name}` */
  async update(section: string, patch: ConfigSection, options?: RequestOptions): Promise<ConfigSection> {
    return this.#http.call('patch', '/api/config/{section_name}', { path: this.#section(section), body: this.#object(patch, 'config patch') }, options);
  }

  /** Replaces the whole section. `PUT /api/config/{section_name}` */
  async replace(section: string, value: ConfigSection, options?: RequestOptions): Promise<void> {
    await this.#http.call('put', '/api/config/{section_name}', { path: this.#section(section), body: this.#object(value, 'config value') }, options, 'none');
  }
}
