import type { Http, RequestOptions } from '../core/http.js';
import { requireId } from '../core/validate.js';
import { UNDO_TIMEOUT_MS, undoIfAborted } from '../core/undo.js';
import type { Session, SessionCreate, SessionPatch } from './models.js';
import type { paths } from '../generated/jupyter-server.js';
import { jupyterParts, type JupyterCore } from './core.js';

/** Sessions: a kernel bound to a path (a notebook, console or file). */
export class SessionsResource {
  readonly #http: Http<paths>;

  /** Built from a {@link JupyterCore} (or a `JupyterClient`), whose credentials and settings it shares. */
  constructor(jupyter: JupyterCore) {
    this.#http = jupyterParts(jupyter).http;
  }

  #id(id: string): { session: string } {
    return { session: requireId(id, 'session id') };
  }

  /** Every session. `GET /api/sessions` */
  async list(options?: RequestOptions): Promise<Session[]> {
    return this.#http.call('get', '/api/sessions', {}, options);
  }

  /** One session. `GET /api/sessions/{session}` */
  async get(id: string, options?: RequestOptions): Promise<Session> {
    return this.#http.call('get', '/api/sessions/{session}', { path: this.#id(id) }, options);
  }

  /**
   * Creates a session, starting a kernel unless `kernel.id` names a running one. `POST /api/sessions`
   * On Jupyter Server 1.x a path that already has a session returns that session.
   *
   * An abort rejects at once, and leaves no new session or kernel behind: the answer is awaited in
   * the background and the session deleted, unless it was not this call's to delete (it existed
   * already, or runs on the kernel `kernel.id` names, which deleting it would shut down).
   */
  async create(params: SessionCreate, options?: RequestOptions): Promise<Session> {
    const send = (o: RequestOptions) => this.#http.call('post', '/api/sessions', { body: params }, o);
    if (!options?.signal) return send(options ?? {});
    const before = params.kernel?.id ? undefined : new Set((await this.list(options)).map((s) => s.id));
    return undoIfAborted(options, send, async (session) => {
      if (before && !before.has(session.id)) await this.delete(session.id, { timeout: UNDO_TIMEOUT_MS });
    });
  }

  /** Renames, moves or switches the kernel of a session. `PATCH /api/sessions/{session}` */
  async update(id: string, patch: SessionPatch, options?: RequestOptions): Promise<Session> {
    return this.#http.call('patch', '/api/sessions/{session}', { path: this.#id(id), body: patch }, options);
  }

  /** Deletes the session and shuts its kernel down. `DELETE /api/sessions/{session}` */
  async delete(id: string, options?: RequestOptions): Promise<void> {
    await this.#http.call('delete', '/api/sessions/{session}', { path: this.#id(id) }, options, 'none');
  }
}
