/**
 * The events API of Jupyter Server 2.x: a WebSocket at `/api/events/subscribe` on which the
 * server publishes what happens to kernels and files (and what extensions emit), and
 * `POST /api/events` to emit an event of a registered schema.
 */
import type { RequestOptions } from '../core/http.js';
import { DEFAULT_TIMEOUT_MS } from '../core/http.js';
import { APIError, APIUserAbortError, BadRequestError, InvalidArgumentError, JupyterSDKError, KernelChannelError, NotFoundError, NotSupportedError } from '../core/errors.js';
import { backoffDelay, sleep } from '../core/backoff.js';
import { redact } from '../core/redact.js';
import { cookieJarOf } from '../core/cookie-jar.js';
import { openSocket, socketTarget, type FrameData, type WebSocketInstance, type WebSocketLike } from '../kernel/socket.js';
import { Emitter, Pushable } from '../kernel/stream.js';
import { q, withMessage } from './explain.js';
import type { JupyterClient } from './client.js';
import type { components } from '../generated/jupyter-server.js';

type S = components['schemas'];

/** `schema_id` of the contents service's events (Jupyter Server 2.x). */
export const CONTENTS_EVENT = 'https://events.jupyter.org/jupyter_server/contents_service/v1';
/** `schema_id` of the kernel manager's events (Jupyter Server 2.x). */
export const KERNEL_ACTION_EVENT = 'https://events.jupyter.org/jupyter_server/kernel_actions/v1';
/** `schema_id` of the gateway client's events (a server that runs kernels on a gateway). */
export const GATEWAY_CLIENT_EVENT = 'https://events.jupyter.org/jupyter_server/gateway_client/v1';

/** A file, notebook or directory was read, created, saved, uploaded, renamed, copied or deleted through the REST API. */
export type ContentsEvent = S['ContentsEvent'];
/** A kernel was started, interrupted, restarted or shut down, or one of those failed. */
export type KernelActionEvent = S['KernelActionEvent'];
/** A request of the gateway client (kernels on a remote gateway) succeeded or failed. */
export type GatewayClientEvent = S['GatewayClientEvent'];

/** The events Jupyter Server itself publishes, by `schema_id`. */
export interface JupyterServerEvents {
  [CONTENTS_EVENT]: ContentsEvent;
  [KERNEL_ACTION_EVENT]: KernelActionEvent;
  [GATEWAY_CLIENT_EVENT]: GatewayClientEvent;
}

/** An event of a schema the SDK does not know (an extension's): its fields as the server sent them. */
export interface OtherServerEvent {
  schema_id: string;
  readonly [field: string]: unknown;
}

/** The event type for a `schema_id`: typed for the server's own schemas, {@link OtherServerEvent} otherwise. */
export type EventOf<S extends string> = S extends keyof JupyterServerEvents ? JupyterServerEvents[S] : OtherServerEvent;

/**
 * An event as the server sends it: a flat object, its schema's fields beside `schema_id` (the
 * server adds no version or timestamp). Narrow it with {@link isEvent}, or subscribe with
 * `schemas` to get only (and be typed as) those.
 */
export type ServerEvent = ContentsEvent | KernelActionEvent | GatewayClientEvent | OtherServerEvent;

/** Whether `event` is of schema `schemaId`, narrowing its type. */
export function isEvent<S extends string>(event: ServerEvent, schemaId: S): event is EventOf<S> & ServerEvent {
  return event.schema_id === schemaId;
}

/** Options of {@link EventsResource.subscribe}. */
export interface EventSubscribeOptions<S extends string = string> {
  /** Only events of these schemas (filtered here: the server sends every event to every subscriber). */
  schemas?: readonly S[] | undefined;
  /** WebSocket constructor. @default the client's `WebSocket` option, else `ws` in Node and the global in browsers */
  WebSocket?: WebSocketLike | undefined;
  /** Put the token in `?token=`. @default false with the built-in Node socket, true otherwise (browsers cannot send headers) */
  tokenInQuery?: boolean | undefined;
  /** Milliseconds for each WebSocket handshake. @default the client's `timeout` (60000) */
  timeout?: number | undefined;
  /** Reconnect attempts after an unexpected drop before the iteration fails with `reconnect-failed`. @default 7 */
  maxReconnects?: number | undefined;
  /** First reconnect delay in ms; doubles per attempt with jitter, capped at 8000. @default 250 */
  reconnectDelay?: number | undefined;
  /** Aborts the subscription: before it is open, `subscribe()` rejects with APIUserAbortError; after, the iteration ends. */
  signal?: AbortSignal | undefined;
}

/** Events of an {@link EventSubscription}. */
export interface EventSubscriptionEvents {
  /** The socket dropped and was opened again: events published meanwhile were missed (the server keeps none). */
  reconnect: (attempt: number) => void;
  /** A frame that is not an event object, or a failed reconnect attempt. Never thrown. */
  error: (error: KernelChannelError) => void;
}

/**
 * A live subscription: iterate it (once) for events; `close()` or breaking out of the loop ends it.
 * @example
 * const sub = await jupyter.events.subscribe({ schemas: [CONTENTS_EVENT] });
 * for await (const e of sub) if (e.action === 'save') console.log('saved', e.path);
 */
export interface EventSubscription<E = ServerEvent> extends AsyncIterable<E> {
  /** Ends the subscription and closes the socket; a loop over it finishes. */
  close(): Promise<void>;
  /** Whether it has ended (closed, aborted, or reconnects exhausted). */
  readonly closed: boolean;
  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof EventSubscriptionEvents>(event: K, listener: EventSubscriptionEvents[K]): () => void;
}

/** Body of {@link EventsResource.emit}: `schema_id`, `version` (e.g. `1`) and `data` (the event's fields). */
export type EmitEvent = S['EventEmit'];

const EVENTS_PATH = '/api/events/subscribe';

/** Jupyter Server 2.x events: subscribe to what the server publishes, and emit events of registered schemas. */
export class EventsResource {
  constructor(private readonly client: JupyterClient) {}

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
    const sub = new Subscription(this.client, options);
    try {
      await sub.open(true);
    } catch (error) {
      sub.end();
      if (error instanceof APIUserAbortError) throw error;
      throw (await this.unsupported(error, options)) ?? error;
    }
    return sub;
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
   * await jupyter.events.emit({ schema_id: 'https://example.org/my-app/v1', version: 1, data: { step: 'done' } });
   */
  async emit(event: EmitEvent, options?: RequestOptions): Promise<void> {
    if (!event || typeof event.schema_id !== 'string' || !event.schema_id) throw new InvalidArgumentError('emit needs a schema_id');
    if (typeof event.version !== 'string' && typeof event.version !== 'number') throw new InvalidArgumentError('emit needs the schema version');
    if (!event.data || typeof event.data !== 'object' || Array.isArray(event.data)) throw new InvalidArgumentError('emit needs data as an object');
    const body = { schema_id: event.schema_id, version: event.version, data: event.data };
    const work = this.client.http.call('post', '/api/events', { body }, options, { parse: 'none' });
    try {
      await work;
    } catch (error) {
      if (error instanceof NotFoundError) throw (await this.unsupported(error, options)) ?? error;
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
  private async unsupported(cause: unknown, options: { signal?: AbortSignal | undefined; timeout?: number | undefined } = {}): Promise<NotSupportedError | undefined> {
    if (cause instanceof JupyterSDKError && !(cause instanceof KernelChannelError) && !(cause instanceof APIError)) return undefined;
    const version = await this.client.version({ signal: options.signal, timeout: options.timeout, maxRetries: 0 }).then(
      (v) => v.version,
      () => undefined,
    );
    const major = Number(version?.split('.')[0]);
    if (!version || !(major < 2)) return undefined;
    return new NotSupportedError(`The events API needs Jupyter Server 2.0 or later; this server is ${version}`, { feature: 'events', serverVersion: version, cause });
  }
}

/** One subscription: a socket, reopened after unexpected drops, feeding one async iterator. */
class Subscription implements EventSubscription<any> {
  private readonly queue: Pushable<ServerEvent>;
  private readonly events = new Emitter<EventSubscriptionEvents>();
  private readonly schemas: Set<string> | undefined;
  private sock: WebSocketInstance | undefined;
  private ended = false;
  private iterated = false;
  // The reconnect to announce before the first event of the reopened socket (a frame may be
  // handled before the open resolves).
  private announce: number | undefined;
  private readonly onAbort = () => this.end();

  constructor(
    private readonly client: JupyterClient,
    private readonly options: EventSubscribeOptions,
  ) {
    this.queue = new Pushable<ServerEvent>(() => this.end());
    this.schemas = options.schemas ? new Set(options.schemas) : undefined;
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  get closed(): boolean {
    return this.ended;
  }

  on<K extends keyof EventSubscriptionEvents>(event: K, listener: EventSubscriptionEvents[K]): () => void {
    return this.events.on(event, listener);
  }

  [Symbol.asyncIterator](): AsyncIterator<ServerEvent> {
    // One consumer: a second loop would steal events from the first one.
    if (this.iterated) throw new InvalidArgumentError('An event subscription can be iterated once; subscribe again for a second consumer');
    this.iterated = true;
    return this.queue;
  }

  async close(): Promise<void> {
    this.end();
  }

  /** Opens the socket. The first open is bounded by the caller's signal; reconnects are not. */
  async open(first: boolean): Promise<void> {
    const target = await socketTarget(this.client, EVENTS_PATH, '', {
      WebSocket: this.options.WebSocket,
      tokenInQuery: this.options.tokenInQuery,
      timeout: this.options.timeout ?? this.client.options.timeout ?? DEFAULT_TIMEOUT_MS,
      signal: first ? this.options.signal : undefined,
    });
    // The identity cookie of Jupyter Server 2.x, so the socket is the same user as the client's requests.
    const cookie = cookieJarOf(this.client).header(target.url);
    const headers = cookie ? { ...target.headers, cookie } : target.headers;
    let sock: WebSocketInstance;
    try {
      sock = await openSocket(target.WebSocket, target.url, [], headers, (data) => this.onFrame(data), target.limits);
    } catch (e) {
      if (e instanceof APIUserAbortError) throw e;
      const code = e instanceof KernelChannelError ? e.code : 'connect-failed';
      const secrets = [target.token, ...cookieJarOf(this.client).values()];
      throw new KernelChannelError(`Cannot subscribe to the server's events: ${redact((e as Error).message, secrets)}`, code, { cause: e });
    }
    if (this.ended) return sock.close(1000);
    this.sock = sock;
    sock.onclose = (ev: { code?: number }) => this.onClose(sock, ev?.code);
    sock.onerror = () => {};
  }

  /** Ends the subscription for good; with an error, the loop over it throws it. */
  end(error?: KernelChannelError): void {
    if (this.ended) return;
    this.ended = true;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    const s = this.sock;
    this.sock = undefined;
    if (s) {
      s.onclose = s.onerror = null;
      s.close(1000);
    }
    this.queue.end(error);
  }

  private onFrame(data: FrameData): void {
    if (this.ended) return;
    this.announceReconnect();
    let event: unknown;
    try {
      event = JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data));
    } catch (e) {
      this.events.emit('error', new KernelChannelError(`Malformed event frame: ${(e as Error).message}`, 'malformed', { cause: e }));
      return;
    }
    if (!event || typeof event !== 'object' || typeof (event as ServerEvent).schema_id !== 'string') {
      this.events.emit('error', new KernelChannelError('Malformed event frame: not an object with a schema_id', 'malformed'));
      return;
    }
    if (this.schemas && !this.schemas.has((event as ServerEvent).schema_id)) return;
    this.queue.push(event as ServerEvent);
  }

  private announceReconnect(): void {
    const attempt = this.announce;
    this.announce = undefined;
    if (attempt !== undefined) this.events.emit('reconnect', attempt);
  }

  private onClose(sock: WebSocketInstance, code: number | undefined): void {
    if (sock !== this.sock || this.ended) return;
    this.sock = undefined;
    if (code === 1000 || code === 1001) this.end();
    else void this.reconnect();
  }

  private async reconnect(): Promise<void> {
    const max = this.options.maxReconnects ?? 7;
    let last: unknown;
    for (let attempt = 0; attempt < max; attempt++) {
      await sleep(backoffDelay(attempt, this.options.reconnectDelay ?? 250));
      if (this.ended) return;
      try {
        this.announce = attempt + 1;
        await this.open(false);
        if (!this.ended) this.announceReconnect();
        return;
      } catch (e) {
        this.announce = undefined;
        last = e;
        if (e instanceof KernelChannelError) this.events.emit('error', e);
      }
    }
    this.end(new KernelChannelError(`Gave up reconnecting to the server's events after ${max} attempts`, 'reconnect-failed', { cause: last }));
  }
}
