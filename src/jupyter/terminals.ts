import type { Http, RequestOptions } from '../core/http.js';
import { requireWord } from '../core/validate.js';
import type { Terminal, TerminalCreate } from './models.js';
import type { paths } from '../generated/jupyter-server.js';
import type { TerminalConnection, TerminalConnectionOptions } from '../terminal/connection.js';
import type { ChannelHost } from '../kernel/socket.js';
import { jupyterParts, type JupyterCore } from './core.js';

/** Terminals (needs `terminado` on the server). */
export class TerminalsResource {
  readonly #http: Http<paths>;
  readonly #channels: ChannelHost;

  /** Built from a {@link JupyterCore} (or a `JupyterClient`), whose credentials and settings it shares. */
  constructor(jupyter: JupyterCore) {
    const { http, channels } = jupyterParts(jupyter);
    this.#http = http;
    this.#channels = channels;
  }

  #id(name: string): { terminal_id: string } {
    return { terminal_id: requireWord(name, 'terminal name') };
  }

  /** Every terminal. `GET /api/terminals` */
  async list(options?: RequestOptions): Promise<Terminal[]> {
    return this.#http.call('get', '/api/terminals', {}, options);
  }

  /**
   * Starts a terminal, optionally with a name and working directory. `POST /api/terminals`
   * @throws InvalidArgumentError for a name other than `\w+`, which the server would accept but never route to
   */
  async create(params: TerminalCreate = {}, options?: RequestOptions): Promise<Terminal> {
    if (params.name !== undefined) requireWord(params.name, 'terminal name');
    return this.#http.call('post', '/api/terminals', { body: params }, options);
  }

  /** One terminal. `GET /api/terminals/{terminal_id}` */
  async get(name: string, options?: RequestOptions): Promise<Terminal> {
    return this.#http.call('get', '/api/terminals/{terminal_id}', { path: this.#id(name) }, options);
  }

  /** Closes the terminal. `DELETE /api/terminals/{terminal_id}` */
  async delete(name: string, options?: RequestOptions): Promise<void> {
    await this.#http.call('delete', '/api/terminals/{terminal_id}', { path: this.#id(name) }, options, 'none');
  }

  /** Opens the terminal's WebSocket. `GET /terminals/websocket/{terminal_id}` (upgrade) */
  async connect(name: string, options?: TerminalConnectionOptions): Promise<TerminalConnection> {
    const terminal = requireWord(name, 'terminal name');
    const { TerminalConnection } = await import('../terminal/connection.js');
    return TerminalConnection.open(this.#channels, terminal, options);
  }
}
