/** Comms: custom message channels between the client and objects in the kernel (e.g. widgets). */
import type { BinaryBuffer, Message, MessageContents } from './messages.js';
import { Emitter, Pushable } from './stream.js';
import { KernelChannelError } from '../core/errors.js';

/** A comm message from the kernel (`comm_msg` or `comm_close`). */
export type CommMessage = Message<'comm_msg' | 'comm_close', MessageContents['comm_msg']>;

/** What a comm needs from its connection. */
export interface CommHost {
  /** Sends a comm message on shell; returns its msg_id. */
  sendComm(type: 'comm_open' | 'comm_msg' | 'comm_close', content: Record<string, unknown>, metadata?: Record<string, unknown>, buffers?: BinaryBuffer[]): string;
  /** Forgets a closed comm. */
  dropComm(id: string): void;
}

/**
 * One comm. Iterate it (`for await (const msg of comm)`) or use `onMsg` for the kernel's
 * `comm_msg`s; iteration ends when either side closes it.
 */
export class Comm implements AsyncIterable<CommMessage> {
  readonly #events = new Emitter<{ msg: (m: CommMessage) => void; close: (m: CommMessage | undefined) => void }>();
  // Buffered from the start, so messages that arrive before a `for await` begins are not lost.
  readonly #stream = new Pushable<CommMessage>();
  #opened: boolean;
  #closed = false;
  readonly #host: CommHost;
  // What `open()` sends when called without arguments.
  readonly #init: [Record<string, unknown>?, Record<string, unknown>?, BinaryBuffer[]?];

  /** @internal Created by `KernelConnection.createComm` or for a kernel's `comm_open`. */
  constructor(
    host: CommHost,
    /** The target the comm was opened for. */
    readonly targetName: string,
    /** The comm's id. */
    readonly commId: string,
    opened = false,
    init: [Record<string, unknown>?, Record<string, unknown>?, BinaryBuffer[]?] = [],
  ) {
    this.#host = host;
    this.#opened = opened;
    this.#init = init;
  }

  /** Whether the comm was closed by either side. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /**
   * Sends `comm_open` (once; later calls do nothing), by default with what `createComm` was given.
   * Returns the message id.
   */
  open(data?: Record<string, unknown>, metadata?: Record<string, unknown>, buffers?: BinaryBuffer[]): string | undefined {
    if (this.#opened || this.#closed) return undefined;
    this.#opened = true;
    const [d = {}, m, b] = data === undefined ? this.#init : [data, metadata, buffers];
    return this.#host.sendComm('comm_open', { comm_id: this.commId, target_name: this.targetName, data: d }, m, b);
  }

  /**
   * Sends `comm_msg` with optional binary buffers; opens the comm first if needed. Returns the message id.
   * @throws KernelChannelError `closed` when either side closed the comm
   */
  send(data: Record<string, unknown>, metadata?: Record<string, unknown>, buffers?: BinaryBuffer[]): string {
    if (this.#closed) throw new KernelChannelError(`comm ${this.commId} is closed`, 'closed');
    this.open();
    return this.#host.sendComm('comm_msg', { comm_id: this.commId, data }, metadata, buffers);
  }

  /** Sends `comm_close` and ends iteration. */
  close(data: Record<string, unknown> = {}, metadata?: Record<string, unknown>, buffers?: BinaryBuffer[]): void {
    if (this.#closed) return;
    if (this.#opened) this.#host.sendComm('comm_close', { comm_id: this.commId, data }, metadata, buffers);
    this.dispose(undefined);
  }

  /** Calls `cb` for each `comm_msg` from the kernel; returns an unsubscribe function. */
  onMsg(cb: (msg: CommMessage) => void): () => void {
    return this.#events.on('msg', cb);
  }

  /** Calls `cb` once when the comm closes (with the kernel's `comm_close`, if it closed it). */
  onClose(cb: (msg: CommMessage | undefined) => void): () => void {
    return this.#events.on('close', cb);
  }

  /** The comm's messages from the kernel; iteration ends when the comm closes. */
  [Symbol.asyncIterator](): AsyncIterator<CommMessage> {
    return this.#stream;
  }

  /** @internal A message for this comm from the kernel. */
  handle(msg: CommMessage): void {
    if (msg.header.msg_type === 'comm_close') return this.dispose(msg);
    this.#stream.push(msg);
    this.#events.emit('msg', msg);
  }

  /** @internal Marks the comm closed (by the kernel, a restart, or us). */
  dispose(msg: CommMessage | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#host.dropComm(this.commId);
    this.#stream.end();
    this.#events.emit('close', msg);
  }
}
