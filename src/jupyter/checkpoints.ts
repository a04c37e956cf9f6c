import type { RequestOptions } from '../core/http.js';
import { InvalidArgumentError } from '../core/errors.js';
import { encodePath, normalizePath, requireId } from '../core/validate.js';
import type { Checkpoint } from './models.js';
import type { JupyterClient } from './client.js';

/** Checkpoints of a file: Jupyter keeps one per file, with id `checkpoint`. */
export class CheckpointsResource {
  constructor(private readonly client: JupyterClient) {}

  private base(path: string): string {
    const p = normalizePath(path);
    if (!p) throw new InvalidArgumentError('path must name a file, not the root folder');
    return `/api/contents/${encodePath(p)}/checkpoints`;
  }

  /** Checkpoints of a file (empty for a missing file on 1.x). `GET /api/contents/{path}/checkpoints` */
  async list(path: string, options?: RequestOptions): Promise<Checkpoint[]> {
    return this.client.http.request({ method: 'GET', path: this.base(path) }, options);
  }

  /** Saves the file's current state as its checkpoint. `POST /api/contents/{path}/checkpoints` */
  async create(path: string, options?: RequestOptions): Promise<Checkpoint> {
    return this.client.http.request({ method: 'POST', path: this.base(path) }, options);
  }

  /** Restores the file from a checkpoint. `POST /api/contents/{path}/checkpoints/{checkpoint_id}` */
  async restore(path: string, checkpointId: string, options?: RequestOptions): Promise<void> {
    const id = encodeURIComponent(requireId(checkpointId, 'checkpointId'));
    await this.client.http.request({ method: 'POST', path: `${this.base(path)}/${id}`, parse: 'none' }, options);
  }

  /** Deletes a checkpoint. `DELETE /api/contents/{path}/checkpoints/{checkpoint_id}` */
  async delete(path: string, checkpointId: string, options?: RequestOptions): Promise<void> {
    const id = encodeURIComponent(requireId(checkpointId, 'checkpointId'));
    await this.client.http.request({ method: 'DELETE', path: `${this.base(path)}/${id}`, parse: 'none' }, options);
  }
}
