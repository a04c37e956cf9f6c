/**
 * Default WebSocket in Node: the `ws` package, imported on first use so that importing the SDK
 * stays cheap. The token travels in the `Authorization` header. The browser build (the `browser`
 * export condition) compiles socket-browser.ts under this module's name instead.
 */
import type { FrameData, SocketDefault, WebSocketInstance, WebSocketLike } from './websocket.js';

/** Loads `ws` lazily. */
export async function defaultSocket(): Promise<SocketDefault> {
  const mod = await import('ws');
  return { WebSocket: (mod.WebSocket ?? (mod as { default?: unknown }).default) as unknown as WebSocketLike, tokenInQuery: false };
}

/** Hands each frame `sock` receives to `onMessage`: text as a string, binary as bytes. */
export function listen(sock: WebSocketInstance, onMessage: (data: FrameData) => void): void {
  const node = sock as unknown as { on?: (e: string, f: (data: any, binary: boolean) => void) => void };
  if (sock.binaryType === 'nodebuffer' && typeof node.on === 'function') {
    // `ws`: its own event skips a MessageEvent per frame; binary frames arrive as Buffers (no copy).
    node.on('message', (data: Uint8Array, binary: boolean) => onMessage(binary ? data : data.toString()));
  } else {
    sock.binaryType = 'arraybuffer';
    sock.onmessage = (ev: { data: FrameData }) => onMessage(ev.data);
  }
}
