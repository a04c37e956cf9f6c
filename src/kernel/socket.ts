/** The part of the WebSocket API the SDK uses; the browser global and `ws` both satisfy it. */
export interface WebSocketLike {
  new (url: string, protocols?: string | string[], options?: unknown): WebSocketInstance;
}

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
