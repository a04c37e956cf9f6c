/**
 * The events API of Jupyter Server 2.x: a WebSocket at `/api/events/subscribe` on which the
 * server publishes what happens to kernels and files (and what extensions emit), and
 * `POST /api/events` to emit an event of a registered schema.
 */
import type { Http, RequestOptions } from '../core/http.js';
import type { paths } from '../generated/jupyter-server.js';
import type { EmitEvent, EventSubscribeOptions, EventSubscription, EventOf, EventsHost, ServerEvent } from './event-types.js';
import { jupyterParts, type JupyterCore } from './core.js';

export * from './event-types.js';

/** Jupyter Server 2.x events: subscribe to what the server publishes, and emit events of registered schemas. */
export class EventsResource {
  readonly #http: Http<paths>;
  readonly #host: EventsHost;

  /** Built from a {@link JupyterCore} (or a `JupyterClient`), whose credentials and settings it shares. */
  constructor(jupyter: JupyterCore) {
    const { http, channels } = jupyterParts(jupyter);
    this.#http = http;
    this.#host = channels;
  }

  /**
   * Opens the server's event stream. `GET /api/events/subscribe` (WebSocket)
   * Resolves once the socket is open; events published before that are not seen.
   * @throws NotSupportedError on Jupyter Server 1.x, which has no events API
   * @throws KernelChannelError `connect-failed` (or `timeout`) when the socket cannot be opened
   * @throws APIUserAbortError when `signal` aborts first
   * @example
   * const sub = await jupyter.events.subscribe({ schemas: [CONTENTS_EVENT] });
   * for await (const event of sub) if (event.action === 'save') console.log('saved', event.path);
   */
  subscribe<S extends string = string>(options: EventSubscribeOptions<S> & { schemas: readonly S[] }): Promise<EventSubscription<EventOf<S>>>;
  subscribe(options?: EventSubscribeOptions): Promise<EventSubscription<ServerEvent>>;
  async subscribe(options: EventSubscribeOptions = {}): Promise<EventSubscription<any>> {
    // Loaded on first use, as the kernel channel is: an app that never subscribes never loads the socket code.
    const { subscribe } = await import('./events-client.js');
    return subscribe(this.#http, this.#host, options);
  }

  /**
   * Emits an event of a schema registered with the server's event logger. `POST /api/events`
   * Subscribers (this client's too) receive it as `{ schema_id, ...data }`.
   * @throws BadRequestError for a schema the server has not registered, a version that is not
   * the registered one, or data the schema refuses (the message names the schema). Jupyter
   * Server 2.x checks the data only while some subscriber listens: with none, it drops the event
   * unchecked and answers 204.
   * @throws NotSupportedError on Jupyter Server 1.x
   * @example
   * await jupyter.events.emit({ schema_id: CONTENTS_EVENT, version: 1, data: { action: 'save', path: 'reports/a.csv' } });
   */
  async emit(event: EmitEvent, options?: RequestOptions): Promise<void> {
    const { emit } = await import('./events-client.js');
    return emit(this.#http, event, options);
  }
}
