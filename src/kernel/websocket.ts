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
  /** Sends one frame: text, or binary. */
  send(data: string | ArrayBufferLike | ArrayBufferView): void;
  /** Closes the socket with an optional close code and reason. */
  close(code?: number, reason?: string): void;
  /** Called once the handshake is done. */
  onopen: ((ev: any) => void) | null;
  /** Called once the socket is closed, with the close code and reason. */
  onclose: ((ev: any) => void) | null;
  /** Called when the socket fails (a close follows). */
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
