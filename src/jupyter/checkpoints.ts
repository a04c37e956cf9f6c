import type { Http, RequestOptions } from '../core/http.js';
import { InvalidArgumentError } from '../core/errors.js';
import { normalizePath, requireId } from '../core/validate.js';
import type { Checkpoint } from './models.js';
import type { paths } from '../generated/jupyter-server.js';
import { naming, q } from './explain.js';
import { jupyterParts, type JupyterCore } from './core.js';

/** Checkpoints of a file: Jupyter keeps one per file, with id `checkpoint`. */
export class CheckpointsResource {
  readonly #http: Http<paths>;

  /** Built from a {@link JupyterCore} (or a `JupyterClient`), whose credentials and settings it shares. */
  constructor(jupyter: JupyterCore) {
    this.#http = jupyterParts(jupyter).http;
  }

  #file(path: string): { path: string } {
    const p = normalizePath(path);
    if (!p) throw new InvalidArgumentError('path must name a file, not the root folder');
    return { path: p };
  }

  #checkpoint(path: string, checkpointId: string): { path: string; checkpoint_id: string } {
    return { ...this.#file(path), checkpoint_id: requireId(checkpointId, 'checkpointId') };
  }

  /** Checkpoints of a file (empty for a missing file on 1.x). `GET /api/contents/{path}/checkpoints` */
  async list(path: string, options?: RequestOptions): Promise<Checkpoint[]> {
    return this.#http.call('get', '/api/contents/{path}/checkpoints', { path: this.#file(path) }, options);
  }

  /**
   * Saves the file's current state as its checkpoint. `POST /api/contents/{path}/checkpoints`
   * @throws InternalServerError for a missing file (the server's 500 says `Unhandled error`; the
   * message adds the path)
   */
  async create(path: string, options?: RequestOptions): Promise<Checkpoint> {
    const file = this.#file(path);
    const work = this.#http.call('post', '/api/contents/{path}/checkpoints', { path: file }, options);
    return naming(work, `creating a checkpoint of ${q(file.path)}`, [file.path]);
  }

  /**
   * Restores the file from a checkpoint. `POST /api/contents/{path}/checkpoints/{checkpoint_id}`
   * @throws InternalServerError for a checkpoint that does not exist (the server's 500 says
   * `Unhandled error`; the message adds which checkpoint of which file)
   */
  async restore(path: string, checkpointId: string, options?: RequestOptions): Promise<void> {
    const params = this.#checkpoint(path, checkpointId);
    const work = this.#http.call('post', '/api/contents/{path}/checkpoints/{checkpoint_id}', { path: params }, options, 'none');
    await naming(
      work,
      async () => {
        const known = await this.list(params.path, { ...options, maxRetries: 0 }).catch(() => undefined);
        const of = `checkpoint ${q(params.checkpoint_id)} of ${q(params.path)}`;
        return known && !known.some((c) => c.id === params.checkpoint_id) ? `no ${of}` : `restoring ${of}`;
      },
      [params.checkpoint_id],
    );
  }

  /** Deletes a checkpoint. `DELETE /api/contents/{path}/checkpoints/{checkpoint_id}` */
  async delete(path: string, checkpointId: string, options?: RequestOptions): Promise<void> {
    const params = this.#checkpoint(path, checkpointId);
    await this.#http.call('delete', '/api/contents/{path}/checkpoints/{checkpoint_id}', { path: params }, options, 'none');
  }
}
