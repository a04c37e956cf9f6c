/**
 * Default WebSocket in browsers: the global one. Browsers cannot set headers on a WebSocket, so
 * the token goes in `?token=`. Swapped in for socket-default.ts by the browser build.
 */
import { KernelChannelError } from '../core/errors.js';
import type { FrameData, SocketDefault, WebSocketInstance } from './websocket.js';

/** The global WebSocket. @throws KernelChannelError when there is none. */
export async function defaultSocket(): Promise<SocketDefault> {
  const WS = (globalThis as { WebSocket?: SocketDefault['WebSocket'] }).WebSocket;
  if (!WS) throw new KernelChannelError('No global WebSocket: pass the WebSocket option', 'connect-failed');
  return { WebSocket: WS, tokenInQuery: true };
}

/** Hands each frame `sock` receives to `onMessage`: text as a string, binary as an ArrayBuffer. */
export function listen(sock: WebSocketInstance, onMessage: (data: FrameData) => void): void {
  sock.binaryType = 'arraybuffer';
  sock.onmessage = (ev: { data: FrameData }) => onMessage(ev.data);
}
