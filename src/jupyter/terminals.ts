import type { RequestOptions } from '../core/http.js';
import { requireWord } from '../core/validate.js';
import type { Terminal, TerminalCreate } from './models.js';
import type { JupyterClient } from './client.js';
import type { TerminalConnection, TerminalConnectionOptions } from '../terminal/connection.js';

/** Terminals (needs `terminado` on the server). */
export class TerminalsResource {
  constructor(private readonly client: JupyterClient) {}

  private id(name: string): { terminal_id: string } {
    return { terminal_id: requireWord(name, 'terminal name') };
  }

  /** Every terminal. `GET /api/terminals` */
  async list(options?: RequestOptions): Promise<Terminal[]> {
    return this.client.http.call('get', '/api/terminals', {}, options);
  }

  /**
   * Starts a terminal, optionally with a name and working directory. `POST /api/terminals`
   * @throws InvalidArgumentError for a name other than `\w+`, which the server would accept but never route to
   */
  async create(params: TerminalCreate = {}, options?: RequestOptions): Promise<Terminal> {
    if (params.name !== undefined) requireWord(params.name, 'terminal name');
    return this.client.http.call('post', '/api/terminals', { body: params }, options);
  }

  /** One terminal. `GET /api/terminals/{terminal_id}` */
  async get(name: string, options?: RequestOptions): Promise<Terminal> {
    return this.client.http.call('get', '/api/terminals/{terminal_id}', { path: this.id(name) }, options);
  }

  /** Closes the terminal. `DELETE /api/terminals/{terminal_id}` */
  async delete(name: string, options?: RequestOptions): Promise<void> {
    await this.client.http.call('delete', '/api/terminals/{terminal_id}', { path: this.id(name) }, options, { parse: 'none' });
  }

  /** Opens the terminal's WebSocket. `GET /terminals/websocket/{terminal_id}` (upgrade) */
  async connect(name: string, options?: TerminalConnectionOptions): Promise<TerminalConnection> {
    const terminal = requireWord(name, 'terminal name');
    const { TerminalConnection } = await import('../terminal/connection.js');
    return TerminalConnection.open(this.client, terminal, options);
  }
}
