/**
 * The events API's work, loaded on the first `jupyter.events.subscribe()` or `emit()`: the
 * events socket of Jupyter Server 2.x (`/api/events/subscribe`) behind an
 * {@link EventSubscription} (opened, reopened after unexpected drops, feeding one async
 * iterator), `POST /api/events`, and telling a 1.x server (no events API) from a failure.
 */
import type { Http, RequestOptions } from '../core/http.js';
import {
  APIError,
  APIUserAbortError,
  BadRequestError,
  InvalidArgumentError,
  JupyterSDKError,
  KernelChannelError,
  NotFoundError,
  NotSupportedError,
} from '../core/errors.js';
import { backoffDelay } from '../core/backoff.js';
import { sleep } from '../core/deadline.js';
import { channelError, openSocket, socketTarget, type FrameData, type WebSocketInstance } from '../kernel/socket.js';
import { Emitter, Pushable } from '../kernel/stream.js';
import { q, withMessage } from './explain.js';
import type { paths } from '../generated/jupyter-server.js';
import type { EmitEvent, EventsHost, EventSubscribeOptions, EventSubscription, EventSubscriptionEvents, ServerEvent } from './event-types.js';

const EVENTS_PATH = '/api/events/subscribe';

/** Opens a subscription: see `EventsResource.subscribe`. */
export async function subscribe(http: Http<paths>, host: EventsHost, options: EventSubscribeOptions): Promise<EventSubscription<any>> {
  const sub = new Subscription(host, options);
  try {
    await sub.open(true);
  } catch (error) {
    sub.end();
    if (error instanceof APIUserAbortError) throw error;
    throw (await unsupported(http, error, options)) ?? error;
  }
  return sub;
}

/** Emits an event: see `EventsResource.emit`. */
export async function emit(http: Http<paths>, event: EmitEvent, options?: RequestOptions): Promise<void> {
  if (!event || typeof event.schema_id !== 'string' || !event.schema_id) throw new InvalidArgumentError('emit needs a schema_id');
  if (typeof event.version !== 'string' && typeof event.version !== 'number') throw new InvalidArgumentError('emit needs the schema version');
  if (!event.data || typeof event.data !== 'object' || Array.isArray(event.data)) throw new InvalidArgumentError('emit needs data as an object');
  const body = { schema_id: event.schema_id, version: event.version, data: event.data };
  try {
    await http.call('post', '/api/events', { body }, options, 'none');
  } catch (error) {
    if (error instanceof NotFoundError) throw (await unsupported(http, error, options)) ?? error;
    if (!(error instanceof BadRequestError)) throw error;
    // A refusal by the schema's validator is its first line ("'path' is a required property"),
    // then the whole schema and instance: keep the line, and say which event it was.
    const first = (error.serverMessage ?? '').split(/\n\s*\n/)[0]!.trim();
    const named = first.includes(event.schema_id) ? '' : ` (event ${q(event.schema_id)} version ${event.version})`;
    throw withMessage(error, `${error.status} ${first || error.message}${named}`);
  }
}

/**
 * The NotSupportedError to throw instead of `cause` when the server is older than 2.0 (which has
 * no events API: its socket and route answer 404), or undefined when it is not (or cannot say).
 */
async function unsupported(
  http: Http<paths>,
  cause: unknown,
  options: { signal?: AbortSignal | undefined; timeout?: number | undefined } = {},
): Promise<NotSupportedError | undefined> {
  if (cause instanceof JupyterSDKError && !(cause instanceof KernelChannelError) && !(cause instanceof APIError)) return undefined;
  const version = await http.call('get', '/api', {}, { signal: options.signal, timeout: options.timeout, maxRetries: 0 }).then(
    (v) => v.version,
    () => undefined,
  );
  const major = Number(version?.split('.')[0]);
  if (!version || !(major < 2)) return undefined;
  return new NotSupportedError(`The events API needs Jupyter Server 2.0 or later; this server is ${version}`, { feature: 'events', serverVersion: version, cause });
}

/** One subscription: a socket, reopened after unexpected drops, feeding one async iterator. */
class Subscription implements EventSubscription<any> {
  readonly #queue: Pushable<ServerEvent>;
  readonly #events = new Emitter<EventSubscriptionEvents>();
  readonly #schemas: Set<string> | undefined;
  #sock: WebSocketInstance | undefined;
  #ended = false;
  #iterated = false;
  // The reconnect to announce before the first event of the reopened socket (a frame may be
  // handled before the open resolves).
  #announce: number | undefined;
  readonly #onAbort = () => this.end();
  readonly #host: EventsHost;
  readonly #options: EventSubscribeOptions;

  constructor(host: EventsHost, options: EventSubscribeOptions) {
    this.#host = host;
    this.#options = options;
    this.#queue = new Pushable<ServerEvent>(() => this.end());
    this.#schemas = options.schemas ? new Set(options.schemas) : undefined;
    options.signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  get closed(): boolean {
    return this.#ended;
  }

  on<K extends keyof EventSubscriptionEvents>(event: K, listener: EventSubscriptionEvents[K]): () => void {
    return this.#events.on(event, listener);
  }

  [Symbol.asyncIterator](): AsyncIterator<ServerEvent> {
    // One consumer: a second loop would steal events from the first one.
    if (this.#iterated) throw new InvalidArgumentError('An event subscription can be iterated once; subscribe again for a second consumer');
    this.#iterated = true;
    return this.#queue;
  }

  async close(): Promise<void> {
    this.end();
  }

  /**
   * Opens the socket as the kernel channel does (the client's WebSocket option or the platform
   * default; the token as a header, and in `?token=` where headers cannot be sent; the client's
   * cookies, so that on Jupyter Server 2.x the socket is the same user as the client's requests).
   * The first open is bounded by the caller's signal; reconnects are not.
   */
  async open(first: boolean): Promise<void> {
    const host = this.#host;
    const options = this.#options;
    const { WebSocket, url, headers, token, limits } = await socketTarget(host, EVENTS_PATH, '', first ? options : { ...options, signal: undefined });
    let sock: WebSocketInstance;
    try {
      sock = await openSocket(WebSocket, url, [], headers, (data) => this.#onFrame(data), limits);
    } catch (e) {
      throw channelError(e, "Cannot subscribe to the server's events", [token, ...(host.secrets?.() ?? [])]);
    }
    if (this.#ended) return sock.close(1000);
    this.#sock = sock;
    sock.onclose = (ev: { code?: number }) => this.#onClose(sock, ev?.code);
    sock.onerror = () => {};
  }

  /** Ends the subscription for good; with an error, the loop over it throws it. */
  end(error?: KernelChannelError): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    const s = this.#sock;
    this.#sock = undefined;
    if (s) {
      s.onclose = s.onerror = null;
      s.close(1000);
    }
    this.#queue.end(error);
  }

  #onFrame(data: FrameData): void {
    if (this.#ended) return;
    this.#announceReconnect();
    let event: unknown;
    try {
      event = JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data));
    } catch (e) {
      this.#events.emit('error', new KernelChannelError(`Malformed event frame: ${(e as Error).message}`, 'malformed', { cause: e }));
      return;
    }
    if (!event || typeof event !== 'object' || typeof (event as ServerEvent).schema_id !== 'string') {
      this.#events.emit('error', new KernelChannelError('Malformed event frame: not an object with a schema_id', 'malformed'));
      return;
    }
    if (this.#schemas && !this.#schemas.has((event as ServerEvent).schema_id)) return;
    this.#queue.push(event as ServerEvent);
  }

  #announceReconnect(): void {
    const attempt = this.#announce;
    this.#announce = undefined;
    if (attempt !== undefined) this.#events.emit('reconnect', attempt);
  }

  #onClose(sock: WebSocketInstance, code: number | undefined): void {
    if (sock !== this.#sock || this.#ended) return;
    this.#sock = undefined;
    if (code === 1000 || code === 1001) this.end();
    else void this.#reconnect();
  }

  async #reconnect(): Promise<void> {
    const max = this.#options.maxReconnects ?? 7;
    let last: unknown;
    for (let attempt = 0; attempt < max; attempt++) {
      await sleep(backoffDelay(attempt, this.#options.reconnectDelay ?? 250));
      if (this.#ended) return;
      try {
        this.#announce = attempt + 1;
        await this.open(false);
        if (!this.#ended) this.#announceReconnect();
        return;
      } catch (e) {
        this.#announce = undefined;
        last = e;
        if (e instanceof KernelChannelError) this.#events.emit('error', e);
      }
    }
    this.end(new KernelChannelError(`Gave up reconnecting to the server's events after ${max} attempts`, 'reconnect-failed', { cause: last }));
  }
}
