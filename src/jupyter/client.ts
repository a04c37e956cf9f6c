import type { RequestOptions } from '../core/http.js';
import type { Status, Version, Me, NbconvertExporters } from './models.js';
import { JupyterCore } from './core.js';
import { ContentsResource } from './contents.js';
import { CheckpointsResource } from './checkpoints.js';
import { KernelsResource } from './kernels.js';
import { KernelSpecsResource } from './kernelspecs.js';
import { SessionsResource } from './sessions.js';
import { TerminalsResource } from './terminals.js';
import { ConfigResource } from './config.js';
import { EventsResource } from './events.js';
import type { MeParams } from './identity.js';

export type { TokenSource } from '../core/client-base.js';
export type { JupyterClientOptions } from './core.js';

/**
 * Client for the Jupyter Server REST API and its kernel and terminal channels: a
 * {@link JupyterCore} with every resource built. A browser app that uses a few of them bundles
 * less by building those from a `JupyterCore` itself.
 * @example
 * const jupyter = new JupyterClient({ baseUrl: 'http://127.0.0.1:8888', token });
 * const kernel = await jupyter.kernels.start({ name: 'python3' });
 */
export class JupyterClient extends JupyterCore {
  readonly contents = new ContentsResource(this);
  readonly checkpoints = new CheckpointsResource(this);
  readonly kernels = new KernelsResource(this);
  readonly kernelspecs = new KernelSpecsResource(this);
  readonly sessions = new SessionsResource(this);
  readonly terminals = new TerminalsResource(this);
  readonly config = new ConfigResource(this);
  /** Server events (Jupyter Server 2.x): subscribe to kernel and file activity, emit your own. */
  readonly events = new EventsResource(this);

  /** Server activity and counts. `GET /api/status` */
  async status(options?: RequestOptions): Promise<Status> {
    return this.http.call('get', '/api/status', {}, options);
  }

  /** Server version. `GET /api` */
  async version(options?: RequestOptions): Promise<Version> {
    return this.http.call('get', '/api', {}, options);
  }

  /** The nbconvert exporters the server offers, by name. `GET /api/nbconvert` */
  async nbconvertExporters(options?: RequestOptions): Promise<NbconvertExporters> {
    return this.http.call('get', '/api/nbconvert', {}, options);
  }

  /** The server's own Swagger description of its API, as YAML text. `GET /api/spec.yaml` */
  async apiSpec(options?: RequestOptions): Promise<string> {
    return this.http.call('get', '/api/spec.yaml', {}, options, 'text');
  }

  /**
   * Who the server takes this client for, and which of the asked `permissions` it grants
   * (Jupyter Server 2.x). `GET /api/me`
   * @throws NotFoundError on Jupyter Server 1.x, which has no identity endpoint.
   * @example
   * const { identity, permissions } = await jupyter.me({ permissions: { contents: ['read', 'write'] } });
   */
  me(options?: RequestOptions): Promise<Me>;
  me(params: MeParams, options?: RequestOptions): Promise<Me>;
  async me(first?: MeParams | RequestOptions, second?: RequestOptions): Promise<Me> {
    // Loaded on first use: most apps never ask, and the browser bundle stays small.
    const { getMe } = await import('./identity.js');
    return getMe(this.http, first, second);
  }
}
