/**
 * Default WebSocket in Node: the `ws` package, imported on first use so that importing the SDK
 * stays cheap. The token travels in the `Authorization` header. The browser build (the `browser`
 * export condition) compiles socket-browser.ts under this module's name instead.
 */
import type { SocketDefault, WebSocketLike } from './websocket.js';

/** Loads `ws` lazily. */
export async function defaultSocket(): Promise<SocketDefault> {
  const mod = await import('ws');
  return { WebSocket: (mod.WebSocket ?? (mod as { default?: unknown }).default) as unknown as WebSocketLike, tokenInQuery: false };
}
