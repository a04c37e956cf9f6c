/** The WebSocket surface the SDK uses: the browser's, `ws`'s, or any compatible implementation. */

/** A WebSocket constructor: the browser global, `ws` in Node, or any compatible implementation. */
export interface WebSocketLike {
  new (url: string, protocols?: string | string[], options?: any): WebSocketInstance;
}

/** The part of a WebSocket instance the SDK uses. */
export interface WebSocketInstance {
  readonly protocol: string;
  readonly readyState: number;
  binaryType: string;
  send(data: string | ArrayBufferLike | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: any) => void) | null;
  onclose: ((ev: any) => void) | null;
  onerror: ((ev: any) => void) | null;
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
