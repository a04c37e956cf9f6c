import type { RequestOptions } from '../core/http.js';
import { requireId } from '../core/validate.js';
import type { Terminal, TerminalCreate } from './models.js';
import type { JupyterClient } from './client.js';
import { TerminalConnection, type TerminalConnectionOptions } from '../terminal/connection.js';

/** Terminals (needs `terminado` on the server). */
export class TerminalsResource {
  constructor(private readonly client: JupyterClient) {}

  private path(name: string): string {
    return `/api/terminals/${encodeURIComponent(requireId(name, 'terminal name'))}`;
  }

  /** Every terminal. `GET /api/terminals` */
  async list(options?: RequestOptions): Promise<Terminal[]> {
    return this.client.http.request({ method: 'GET', path: '/api/terminals' }, options);
  }

  /** Starts a terminal, optionally with a name and working directory. `POST /api/terminals` */
  async create(params: TerminalCreate = {}, options?: RequestOptions): Promise<Terminal> {
    return this.client.http.request({ method: 'POST', path: '/api/terminals', body: params }, options);
  }

  /** One terminal. `GET /api/terminals/{terminal_id}` */
  async get(name: string, options?: RequestOptions): Promise<Terminal> {
    return this.client.http.request({ method: 'GET', path: this.path(name) }, options);
  }

  /** Closes the terminal. `DELETE /api/terminals/{terminal_id}` */
  async delete(name: string, options?: RequestOptions): Promise<void> {
    await this.client.http.request({ method: 'DELETE', path: this.path(name), parse: 'none' }, options);
  }

  /** Opens the terminal's WebSocket. `GET /terminals/websocket/{terminal_id}` (upgrade) */
  async connect(name: string, options?: TerminalConnectionOptions): Promise<TerminalConnection> {
    return TerminalConnection.open(this.client, requireId(name, 'terminal name'), options);
  }
}
