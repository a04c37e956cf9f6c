/** The events API's types and schema ids: what `jupyter.events` yields, takes and needs. */
import type { KernelChannelError } from '../core/errors.js';
import type { WebSocketLike } from '../kernel/socket.js';
import type { components, paths } from '../generated/jupyter-server.js';

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

/**
 * What the events API needs of its client: the REST core, where the server is and how a socket
 * authenticates (the token, and in Node the client's cookies, which make the socket the same
 * identity as the client's requests).
 */
export interface EventsHost {
  baseUrl: string;
  token(): Promise<string | undefined>;
  WebSocket?: WebSocketLike | undefined;
  /** Milliseconds for a handshake, unless the subscription says otherwise. */
  timeout?: number | undefined;
  /** The `Cookie` header for a socket to `url`, if any. */
  cookie?(url: string): string | undefined;
  /** More values to scrub from socket errors (cookie values). */
  secrets?(): readonly string[];
}

