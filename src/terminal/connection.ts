/**
 * A terminal's WebSocket (`/terminals/websocket/{name}`): JSON arrays such as `["stdin", text]`,
 * `["set_size", rows, cols]` from the client and `["setup", {}]`, `["stdout", text]`,
 * `["disconnect", 1]` from the server.
 */
import { KernelChannelError } from '../core/errors.js';
import { channelError, openSocket, socketTarget, type ChannelHost, type FrameData, type WebSocketInstance, type WebSocketLike } from '../kernel/socket.js';
import { Emitter, Pushable } from '../kernel/stream.js';

/** Options of `jupyter.terminals.connect(name, options)`. */
export interface TerminalConnectionOptions {
  /** WebSocket constructor. @default the client's `WebSocket` option, else `ws` in Node and the global in browsers */
  WebSocket?: WebSocketLike | undefined;
  /** Put the token in `?token=`. @default false with the built-in Node socket, true otherwise */
  tokenInQuery?: boolean | undefined;
  /** Milliseconds for the WebSocket handshake; KernelChannelError `timeout` when exceeded. @default the client's `timeout` (60000) */
  timeout?: number | undefined;
  /** Aborts the connection attempt: `connect()` then rejects with APIUserAbortError. */
  signal?: AbortSignal | undefined;
}

/** Events of a {@link TerminalConnection}. */
export interface TerminalEvents {
  /** Output text from the terminal. */
  output: (text: string) => void;
  /** The socket closed (by `close()`, the server, or the shell exiting). */
  close: (info: { code: number | undefined; disconnected: boolean }) => void;
}

/**
 * A live terminal. Iterate it for output text; iteration ends when the terminal closes.
 * @example
 * const term = await jupyter.terminals.connect(name);
 * term.send('echo hi\r');
 * for await (const text of term) if (text.includes('hi')) break;
 * await term.close();
 */
export class TerminalConnection implements AsyncIterable<string> {
  readonly #events = new Emitter<TerminalEvents>();
  readonly #output = new Pushable<string>();
  #closed = false;

  readonly #sock: WebSocketInstance;

  private constructor(
    /** The terminal's name. */
    readonly name: string,
    sock: WebSocketInstance,
  ) {
    this.#sock = sock;
    sock.onclose = (ev: { code?: number }) => this.#finish(ev?.code, false);
  }

  /** @internal Used by `jupyter.terminals.connect`. @throws KernelChannelError `connect-failed` */
  static async open(host: ChannelHost, name: string, options: TerminalConnectionOptions = {}): Promise<TerminalConnection> {
    const { WebSocket: WS, url, headers, token, limits } = await socketTarget(host, `/terminals/websocket/${encodeURIComponent(name)}`, '', options);
    let term: TerminalConnection | undefined;
    const early: FrameData[] = [];
    try {
      const sock = await openSocket(WS, url, [], headers, (d) => (term ? term.#onFrame(d) : early.push(d)), limits);
      term = new TerminalConnection(name, sock);
    } catch (e) {
      throw channelError(e, `Cannot connect to terminal ${name}`, [token]);
    }
    for (const d of early) term.#onFrame(d);
    return term;
  }

  /** Whether the connection closed. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** Types `text` into the terminal (use `\r` for Enter). @throws KernelChannelError `closed` */
  send(text: string): void {
    this.#write(['stdin', text]);
  }

  /** Resizes the terminal. @throws KernelChannelError `closed` */
  resize(rows: number, cols: number): void {
    this.#write(['set_size', rows, cols]);
  }

  /** Adds an event listener; returns a function that removes it. */
  on<K extends keyof TerminalEvents>(event: K, listener: TerminalEvents[K]): () => void {
    return this.#events.on(event, listener);
  }

  /** Output text, from when the connection opened; ends when it closes. */
  [Symbol.asyncIterator](): AsyncIterator<string> {
    return this.#output;
  }

  /** Closes the socket (the terminal keeps running; delete it with `jupyter.terminals.delete`). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#sock.close(1000);
    this.#finish(1000, false);
  }

  #write(frame: unknown[]): void {
    if (this.#closed) throw new KernelChannelError(`Terminal ${this.name} is closed`, 'closed');
    this.#sock.send(JSON.stringify(frame));
  }

  #onFrame(data: FrameData): void {
    let msg: unknown;
    try {
      msg = JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data));
    } catch {
      return;
    }
    if (!Array.isArray(msg)) return;
    if (msg[0] === 'stdout' && typeof msg[1] === 'string') {
      this.#output.push(msg[1]);
      this.#events.emit('output', msg[1]);
    } else if (msg[0] === 'disconnect') {
      this.#sock.close(1000);
      this.#finish(undefined, true);
    }
  }

  #finish(code: number | undefined, disconnected: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#sock.onclose = null;
    this.#output.end();
    this.#events.emit('close', { code, disconnected });
  }
}
