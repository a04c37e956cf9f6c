/** The WebSocket surface the SDK uses, and opening a socket on any implementation of it. */
import type { JupyterClient } from '../jupyter/client.js';
import { defaultSocket } from './socket-default.js';
import { APIUserAbortError, KernelChannelError } from '../core/errors.js';
import { DEFAULT_TIMEOUT_MS } from '../core/http.js';

/** A WebSocket constructor: the browser global, `ws` in Node, or any compatible implementation. */
export interface WebSocketLike {
  /** Opens a socket to `url`, offering `protocols`; `options` reach `ws` (headers), browsers ignore them. */
  new (url: string, protocols?: string | string[], options?: any): WebSocketInstance;
}

/** The part of a WebSocket instance the SDK uses. */
export interface WebSocketInstance {
  /** The subprotocol the server selected (`''` for none). */
  readonly protocol: string;
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** How binary frames arrive: set to `'arraybuffer'` (browsers) or left `'nodebuffer'` (`ws`). */
  binaryType: string;
  /** Sends a text or binary frame. */
  send(data: string | ArrayBufferLike | ArrayBufferView): void;
  /** Closes the socket. */
  close(code?: number, reason?: string): void;
  /** Called once the handshake succeeded. */
  onopen: ((ev: any) => void) | null;
  /** Called when the socket closed, with its close code. */
  onclose: ((ev: any) => void) | null;
  /** Called on a failure (a refused handshake, a dropped connection). */
  onerror: ((ev: any) => void) | null;
  /** Called with each frame received. */
  onmessage: ((ev: any) => void) | null;
}

/** Frame data as handed to a channel: text, or binary as bytes or an ArrayBuffer. */
export type FrameData = string | Uint8Array | ArrayBuffer;

/** How a channel reaches its default WebSocket: the constructor and where the token goes. */
export interface SocketDefault {
  WebSocket: WebSocketLike;
  /** Browsers cannot set headers on a WebSocket, so the token goes in `?token=`. */
  tokenInQuery: boolean;
}

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
    const { signal } = limits;
    if (signal?.aborted) return reject(new APIUserAbortError());
    // Browsers ignore the third argument; `ws` reads `headers` from it.
    const sock = new WS(url, protocols, headers && { headers });
    const stop = (error: Error) => {
      done();
      // A no-op onerror: `ws` emits an error for a handshake closed early, fatal without a listener.
      sock.onopen = sock.onclose = sock.onmessage = null;
      sock.onerror = () => {};
      sock.close();
      reject(error);
    };
    const timer = setTimeout(() => stop(new KernelChannelError(`WebSocket handshake timed out after ${limits.timeout} ms`, 'timeout')), limits.timeout);
    const onAbort = () => stop(new APIUserAbortError());
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    let failure = '';
    const node = sock as unknown as { on?: (e: string, f: (data: any, binary: boolean) => void) => void };
    if (sock.binaryType === 'nodebuffer' && typeof node.on === 'function') {
      // `ws`: its own event skips a MessageEvent per frame; binary frames arrive as Buffers (no copy).
      node.on('message', (data: Uint8Array, binary: boolean) => onMessage(binary ? data : data.toString()));
    } else {
      sock.binaryType = 'arraybuffer';
      sock.onmessage = (ev: { data: FrameData }) => onMessage(ev.data);
    }
    sock.onerror = (ev: { message?: string; error?: { message?: string } }) => {
      failure ||= ev?.message || ev?.error?.message || '';
    };
    sock.onclose = (ev: { code?: number; reason?: string }) => {
      done();
      reject(new Error(failure || `WebSocket closed before opening (code ${ev?.code ?? '?'}${ev?.reason ? `: ${ev.reason}` : ''})`));
    };
    sock.onopen = () => {
      done();
      sock.onopen = sock.onerror = sock.onclose = null;
      resolve(sock);
    };
  });
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
  client: JupyterClient,
  path: string,
  query: string,
  options: { WebSocket?: WebSocketLike | undefined; tokenInQuery?: boolean | undefined; timeout?: number | undefined; signal?: AbortSignal | undefined },
): Promise<SocketTarget> {
  const injected = options.WebSocket ?? client.options.WebSocket;
  const { WebSocket, tokenInQuery } = injected ? { WebSocket: injected, tokenInQuery: true } : await defaultSocket();
  const token = await client.token();
  if (token && (options.tokenInQuery ?? tokenInQuery)) query += `${query ? '&' : ''}token=${encodeURIComponent(token)}`;
  const url = `${client.baseUrl.replace(/^http/, 'ws')}${path}${query ? `?${query}` : ''}`;
  const limits = { timeout: options.timeout ?? client.options.timeout ?? DEFAULT_TIMEOUT_MS, signal: options.signal };
  return { WebSocket, url, headers: token ? { Authorization: `token ${token}` } : undefined, token, limits };
}
