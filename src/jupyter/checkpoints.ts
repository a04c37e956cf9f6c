import type { Http, RequestOptions } from '../core/http.js';
import { InvalidArgumentError } from '../core/errors.js';
import { normalizePath, requireId } from '../core/validate.js';
import type { Checkpoint } from './models.js';
import type { paths } from '../generated/jupyter-server.js';

/** Checkpoints of a file: Jupyter keeps one per file, with id `checkpoint`. */
export class CheckpointsResource {
  constructor(private readonly http: Http<paths>) {}

  private file(path: string): { path: string } {
    const p = normalizePath(path);
    if (!p) throw new InvalidArgumentError('path must name a file, not the root folder');
    return { path: p };
  }

  private checkpoint(path: string, checkpointId: string): { path: string; checkpoint_id: string } {
    return { ...this.file(path), checkpoint_id: requireId(checkpointId, 'checkpointId') };
  }

  /** Checkpoints of a file (empty for a missing file on 1.x). `GET /api/contents/{path}/checkpoints` */
  async list(path: string, options?: RequestOptions): Promise<Checkpoint[]> {
    return this.http.call('get', '/api/contents/{path}/checkpoints', { path: this.file(path) }, options);
  }

  /** Saves the file's current state as its checkpoint. `POST /api/contents/{path}/checkpoints` */
  async create(path: string, options?: RequestOptions): Promise<Checkpoint> {
    return this.http.call('post', '/api/contents/{path}/checkpoints', { path: this.file(path) }, options);
  }

  /** Restores the file from a checkpoint. `POST /api/contents/{path}/checkpoints/{checkpoint_id}` */
  async restore(path: string, checkpointId: string, options?: RequestOptions): Promise<void> {
    const params = this.checkpoint(path, checkpointId);
    await this.http.call('post', '/api/contents/{path}/checkpoints/{checkpoint_id}', { path: params }, options, 'none');
  }

  /** Deletes a checkpoint. `DELETE /api/contents/{path}/checkpoints/{checkpoint_id}` */
  async delete(path: string, checkpointId: string, options?: RequestOptions): Promise<void> {
    const params = this.checkpoint(path, checkpointId);
    await this.http.call('delete', '/api/contents/{path}/checkpoints/{checkpoint_id}', { path: params }, options, 'none');
  }
}
