import type { Http, RequestOptions } from '../core/http.js';
import { requireId } from '../core/validate.js';
import { UNDO_TIMEOUT_MS, undoIfAborted } from '../core/undo.js';
import type { Kernel, KernelStart } from './models.js';
import type { paths } from '../generated/jupyter-server.js';
import type { KernelConnection, KernelConnectionOptions, KernelHost } from '../kernel/connection.js';
import type { ChannelHost } from '../kernel/socket.js';
import { NotFoundError } from '../core/errors.js';
import { naming, q } from './explain.js';
import { jupyterParts, type JupyterCore } from './core.js';

/** Running kernels. */
export class KernelsResource {
  readonly #http: Http<paths>;
  readonly #channels: ChannelHost;

  /** Built from a {@link JupyterCore} (or a `JupyterClient`), whose credentials and settings it shares. */
  constructor(jupyter: JupyterCore) {
    const { http, channels } = jupyterParts(jupyter);
    this.#http = http;
    this.#channels = channels;
  }

  // The wire format the server answered with, so that a server without the v1 subprotocol costs
  // one failed v1 handshake per client, not one per connection.
  readonly #wire: { format?: 'v1' | 'json' } = {};

  #id(id: string): { kernel_id: string } {
    return { kernel_id: requireId(id, 'kernel id') };
  }

  /** Every running kernel. `GET /api/kernels` */
  async list(options?: RequestOptions): Promise<Kernel[]> {
    return this.#http.call('get', '/api/kernels', {}, options);
  }

  /** One kernel. `GET /api/kernels/{kernel_id}` @throws NotFoundError when it is gone. */
  async get(id: string, options?: RequestOptions): Promise<Kernel> {
    return this.#http.call('get', '/api/kernels/{kernel_id}', { path: this.#id(id) }, options);
  }

  /**
   * Starts a kernel; the server's default kernelspec when `name` is omitted. `POST /api/kernels`
   * Never retried: a repeated POST would start a second kernel. An abort rejects at once, and
   * leaves no kernel behind: the answer is awaited in the background and the kernel shut down.
   * @throws InternalServerError when the kernel cannot start; for a name with no kernelspec the
   * message says so and lists the kernelspecs the server has (2.x itself says only `Unhandled error`).
   */
  async start(params: KernelStart = {}, options?: RequestOptions): Promise<Kernel> {
    const { name } = params;
    return undoIfAborted(
      options,
      (o) => {
        const work = this.#http.call('post', '/api/kernels', { body: params }, o);
        return name ? naming(work, () => this.#whyNotStarted(name, o), [name]) : work;
      },
      (kernel) => this.shutdown(kernel.id, { timeout: UNDO_TIMEOUT_MS }),
    );
  }

  /** What to add to a failed start's message: whether the server has a kernelspec of that name. */
  async #whyNotStarted(name: string, options: RequestOptions | undefined): Promise<string> {
    const specs = await this.#http.call('get', '/api/kernelspecs', {}, { ...options, maxRetries: 0 }).catch(() => undefined);
    if (!specs || name in specs.kernelspecs) return `starting kernel ${q(name)}`;
    const known = Object.keys(specs.kernelspecs).sort();
    return `no kernelspec named ${q(name)} on this server; it has ${known.length ? known.join(', ') : 'none'}`;
  }

  /** Interrupts the kernel (SIGINT or its interrupt_mode). `POST /api/kernels/{kernel_id}/interrupt` */
  async interrupt(id: string, options?: RequestOptions): Promise<void> {
    await this.#http.call('post', '/api/kernels/{kernel_id}/interrupt', { path: this.#id(id) }, options, 'none');
  }

  /**
   * Restarts the kernel and waits until it is back. `POST /api/kernels/{kernel_id}/restart`
   * @throws InternalServerError when it fails, also for a kernel that does not exist (the server
   * answers 500 `Exception restarting kernel`; the message then adds that there is no such kernel).
   */
  async restart(id: string, options?: RequestOptions): Promise<Kernel> {
    const path = this.#id(id);
    const work = this.#http.call('post', '/api/kernels/{kernel_id}/restart', { path }, options);
    return naming(
      work,
      async () => {
        const gone = await this.get(id, { ...options, maxRetries: 0 }).then(() => false, (e: unknown) => e instanceof NotFoundError);
        return gone ? `no kernel ${path.kernel_id} on this server` : `restarting kernel ${path.kernel_id}`;
      },
      [path.kernel_id],
    );
  }

  /** Shuts the kernel down. `DELETE /api/kernels/{kernel_id}` */
  async shutdown(id: string, options?: RequestOptions): Promise<void> {
    await this.#http.call('delete', '/api/kernels/{kernel_id}', { path: this.#id(id) }, options, 'none');
  }

  /**
   * Opens the kernel's WebSocket channels. `GET /api/kernels/{kernel_id}/channels` (upgrade)
   * @example
   * const kernel = await jupyter.kernels.connect(id);
   * const { outputs } = await kernel.run('1+1');
   */
  async connect(id: string, options?: KernelConnectionOptions): Promise<KernelConnection> {
    const kernelId = requireId(id, 'kernel id');
    // Loaded on first use: an app that only calls REST never loads (or bundles up front) the channel code.
    const { KernelConnection } = await import('../kernel/connection.js');
    return KernelConnection.open(this.#host(), kernelId, options);
  }

  /** The REST calls a kernel channel makes, beside the socket's URL and auth. */
  #host(): KernelHost {
    return {
      ...this.#channels,
      wire: this.#wire,
      check: (id, limits) => this.get(id, limits),
      interrupt: (id) => this.interrupt(id),
      restart: (id) => this.restart(id),
      interruptMode: async (id) => {
        const { name } = await this.get(id);
        const kernelspec = await this.#http.call('get', '/api/kernelspecs/{kernel_name}', { path: { kernel_name: name } });
        return (kernelspec.spec as { interrupt_mode?: string }).interrupt_mode ?? 'signal';
      },
    };
  }
}
