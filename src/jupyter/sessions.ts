import type { RequestOptions } from '../core/http.js';
import { requireId } from '../core/validate.js';
import type { Session, SessionCreate, SessionPatch } from './models.js';
import type { JupyterClient } from './client.js';

/** Sessions: a kernel bound to a path (a notebook, console or file). */
export class SessionsResource {
  constructor(private readonly client: JupyterClient) {}

  private id(id: string): { session: string } {
    return { session: requireId(id, 'session id') };
  }

  /** Every session. `GET /api/sessions` */
  async list(options?: RequestOptions): Promise<Session[]> {
    return this.client.http.call('get', '/api/sessions', {}, options);
  }

  /** One session. `GET /api/sessions/{session}` */
  async get(id: string, options?: RequestOptions): Promise<Session> {
    return this.client.http.call('get', '/api/sessions/{session}', { path: this.id(id) }, options);
  }

  /**
   * Creates a session, starting a kernel unless `kernel.id` names a running one. `POST /api/sessions`
   * On Jupyter Server 1.x a path that already has a session returns that session.
   */
  async create(params: SessionCreate, options?: RequestOptions): Promise<Session> {
    return this.client.http.call('post', '/api/sessions', { body: params }, options);
  }

  /** Renames, moves or switches the kernel of a session. `PATCH /api/sessions/{session}` */
  async update(id: string, patch: SessionPatch, options?: RequestOptions): Promise<Session> {
    return this.client.http.call('patch', '/api/sessions/{session}', { path: this.id(id), body: patch }, options);
  }

  /** Deletes the session and shuts its kernel down. `DELETE /api/sessions/{session}` */
  async delete(id: string, options?: RequestOptions): Promise<void> {
    await this.client.http.call('delete', '/api/sessions/{session}', { path: this.id(id) }, options, { parse: 'none' });
  }
}
