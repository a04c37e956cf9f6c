/** Opening a channel's WebSocket on any implementation of the WebSocket surface. */
import type { FrameData, WebSocketInstance, WebSocketLike } from './websocket.js';
import { defaultSocket, listen } from './socket-default.js';
import { APIUserAbortError, KernelChannelError } from '../core/errors.js';
import { Deadline } from '../core/deadline.js';
import { DEFAULT_TIMEOUT_MS } from '../core/http.js';
import { redact } from '../core/redact.js';

export type { FrameData, SocketDefault, WebSocketInstance, WebSocketLike } from './websocket.js';

/** Bounds on opening a socket. */
export interface HandshakeLimits {
  /** Milliseconds for the handshake. */
  timeout: number;
  signal?: AbortSignal | undefined;
}

/**
 * Opens a socket and resolves once it is open. `onMessage` is attached before the handshake ends
 * so no early frame is missed. Rejects with the implementation's error message (e.g. `ws`'s
 * "Server sent no subprotocol" or "Unexpected server response: 403") when it fails before opening,
 * with KernelChannelError `timeout` when the handshake outlasts `limits.timeout` (a server that
 * accepts the connection and never answers), and with APIUserAbortError when `limits.signal` aborts.
 */
export function openSocket(
  WS: WebSocketLike,
  url: string,
  protocols: string[],
  headers: Record<string, string> | undefined,
  onMessage: (data: FrameData) => void,
  limits: HandshakeLimits,
): Promise<WebSocketInstance> {
  return new Promise((resolve, reject) => {
    if (limits.signal?.aborted) return reject(new APIUserAbortError());
    // Browsers ignore the third argument; `ws` reads `headers` from it.
    const sock = new WS(url, protocols, headers && { headers });
    const deadline = new Deadline(limits.timeout, limits.signal);
    deadline.signal.addEventListener(
      'abort',
      () => {
        deadline.done();
        // A no-op onerror: `ws` emits an error for a handshake closed early, fatal without a listener.
        sock.onopen = sock.onclose = sock.onmessage = null;
        sock.onerror = () => {};
        sock.close();
        reject(deadline.timedOut ? new KernelChannelError(`WebSocket handshake timed out after ${limits.timeout} ms`, 'timeout') : new APIUserAbortError());
      },
      { once: true },
    );
    let failure = '';
    listen(sock, onMessage);
    sock.onerror = (ev: { message?: string; error?: { message?: string } }) => {
      failure ||= ev?.message || ev?.error?.message || '';
    };
    sock.onclose = (ev: { code?: number; reason?: string }) => {
      deadline.done();
      reject(new Error(failure || `WebSocket closed before opening (code ${ev?.code ?? '?'}${ev?.reason ? `: ${ev.reason}` : ''})`));
    };
    sock.onopen = () => {
      deadline.done();
      sock.onopen = sock.onerror = sock.onclose = null;
      resolve(sock);
    };
  });
}

/** What a channel needs from the client that opens it: where the server is and how to authenticate. */
export interface ChannelHost {
  /** Server root (`http:` or `https:`), without a trailing slash; socket paths hang off it. */
  readonly baseUrl: string;
  /** The token for the handshake, if any; asked before every connect, so a rotated token is used. */
  token(): Promise<string | undefined>;
  /** The client's WebSocket constructor, when it was given one. */
  readonly WebSocket?: WebSocketLike | undefined;
  /** Milliseconds for a handshake when the connection's options set none. @default 60000 */
  readonly timeout?: number | undefined;
  /** The `Cookie` header for a socket to `url` (a Node client's cookie jar), if any. */
  cookie?(url: string): string | undefined;
}

/** Where and how a channel socket connects. */
export interface SocketTarget {
  WebSocket: WebSocketLike;
  url: string;
  headers: Record<string, string> | undefined;
  token: string | undefined;
  limits: HandshakeLimits;
}

/**
 * Resolves the constructor (per-connection option, client option, or the platform default), the
 * `ws(s)://` URL of `path` under the base URL, the token (always as an `Authorization` header,
 * which `ws` sends and browsers ignore, and also as `?token=` unless the default Node socket is
 * used), and the handshake limits (the option's timeout, else the client's).
 */
export async function socketTarget(
  host: ChannelHost,
  path: string,
  query: string,
  options: { WebSocket?: WebSocketLike | undefined; tokenInQuery?: boolean | undefined; timeout?: number | undefined; signal?: AbortSignal | undefined },
): Promise<SocketTarget> {
  const injected = options.WebSocket ?? host.WebSocket;
  const { WebSocket, tokenInQuery } = injected ? { WebSocket: injected, tokenInQuery: true } : await defaultSocket();
  const token = await host.token();
  if (token && (options.tokenInQuery ?? tokenInQuery)) query += `${query ? '&' : ''}token=${encodeURIComponent(token)}`;
  const url = `${host.baseUrl.replace(/^http/, 'ws')}${path}${query ? `?${query}` : ''}`;
  const limits = { timeout: options.timeout ?? host.timeout ?? DEFAULT_TIMEOUT_MS, signal: options.signal };
  // Browsers send cookies themselves and ignore these headers.
  const cookie = host.cookie?.(url);
  const headers = token || cookie ? { ...(token ? { Authorization: `token ${token}` } : {}), ...(cookie ? { Cookie: cookie } : {}) } : undefined;
  return { WebSocket, url, headers, token, limits };
}

/**
 * What a channel's connect throws when its socket did not open: the caller's abort as it is, else
 * KernelChannelError (`timeout`, or `connect-failed`) saying what could not be done, with the
 * implementation's message (scrubbed of `secrets`, e.g. the token in the socket URL) and the cause.
 */
export function channelError(error: unknown, what: string, secrets: readonly (string | undefined)[]): unknown {
  if (error instanceof APIUserAbortError) return error;
  const code = error instanceof KernelChannelError ? error.code : 'connect-failed';
  return new KernelChannelError(`${what}: ${redact((error as Error).message, secrets)}`, code, { cause: error });
}
