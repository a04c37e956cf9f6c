import type { RequestOptions } from '../core/http.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { ConfigSection } from './models.js';
import type { JupyterClient } from './client.js';

/** Frontend config sections stored by the server (`serverconfig/{section}.json`). */
export class ConfigResource {
  constructor(private readonly client: JupyterClient) {}

  private path(section: string): string {
    // The server routes only `\w+` names; anything else would hit its HTML 404 page.
    if (typeof section !== 'string' || !/^\w+$/.test(section)) {
      throw new InvalidArgumentError(`config section must match \\w+, got ${JSON.stringify(section)}`);
    }
    return `/api/config/${section}`;
  }

  /** A config section (`{}` when unset). `GET /api/config/{section_name}` */
  async get(section: string, options?: RequestOptions): Promise<ConfigSection> {
    return this.client.http.request({ method: 'GET', path: this.path(section) }, options);
  }

  /** Deep-merges `patch` into the section (`null` deletes a key); returns the result. `PATCH /api/config/{section_name}` */
  async update(section: string, patch: ConfigSection, options?: RequestOptions): Promise<ConfigSection> {
    return this.client.http.request({ method: 'PATCH', path: this.path(section), body: patch }, options);
  }

  /** Replaces the whole section. `PUT /api/config/{section_name}` */
  async replace(section: string, value: ConfigSection, options?: RequestOptions): Promise<void> {
    await this.client.http.request({ method: 'PUT', path: this.path(section), body: value, parse: 'none' }, options);
  }
}
