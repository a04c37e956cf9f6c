/**
 * The kernel channel: one WebSocket to `/api/kernels/{id}/channels`, multiplexing shell, iopub,
 * stdin and control, with both wire formats, request routing, comms and reconnects.
 */
import { APIUserAbortError, JupyterSDKError, KernelChannelError } from '../core/errors.js';
import { backoffDelay } from '../core/backoff.js';
import { sleep, waitAtMost } from '../core/deadline.js';
import { DEFAULT_TIMEOUT_MS } from '../core/http.js';
import type { IOutput } from '@jupyterlab/nbformat';
import {
  createMessage,
  uuid,
  type BinaryBuffer,
  type Channel,
  type ContentOf,
  type HistoryParams,
  type KernelMessage,
  type Message,
  type MessageContents,
} from './messages.js';
import { decodeV1, encodeV1, V1_PROTOCOL } from './wire-v1.js';
import { decodeJson, encodeJson } from './wire-json.js';
import { channelError, openSocket, socketTarget, type ChannelHost, type FrameData, type WebSocketInstance, type WebSocketLike } from './socket.js';
import { Execution, IDLE_TIMEOUT_MS, SendOrder, type IncompleteReason } from './execute.js';
import { OutputCollector, type DisplayRegistry } from './outputs.js';
import { contentProblem } from './validate.js';
import { Comm, type CommMessage } from './comm.js';
import { Emitter, Pushable, quiet } from './stream.js';

/** What a kernel connection needs from the client that opens it: the socket's host, and the REST calls a channel makes. */
export interface KernelHost extends ChannelHost {
  /** `POST /api/kernels/{kernel_id}/interrupt` */
  interrupt(kernelId: string): Promise<void>;
  /** `POST /api/kernels/{kernel_id}/restart`, resolving once the server has restarted the kernel. */
  restart(kernelId: string): Promise<unknown>;
  /** The kernelspec's `interrupt_mode`: `signal` (interrupt over REST) or `message` (an `interrupt_request` on control). */
  interruptMode(kernelId: string): Promise<string>;
  /**
   * `GET /api/kernels/{kernel_id}`, to tell a missing kernel or refused credentials from a server
   * without the v1 subprotocol when a browser reports every failed handshake the same way.
   */
  check(kernelId: string, limits: { signal?: AbortSignal | undefined; timeout?: number | undefined }): Promise<unknown>;
  /** The wire format the client's server answered with, shared by the client's connections. */
  readonly wire: { format?: 'v1' | 'json' };
}

/** Probes in a row without iopub evidence before requests complete flagged `idle-lost` (waits 1+2+4+8+16 x idleTimeout). */
const MAX_PROBES = 5;

/** The notice Jupyter Server puts into a request's output when its iopub rate limit drops messages of it. */
function isRateNotice(c: { name?: unknown; text?: unknown }): boolean {
  return c.name === 'stderr' && typeof c.text === 'string' && c.text.startsWith('IOPub ') && c.text.includes(' rate exceeded');
}

/** Kernel status as seen by this connection. */
export type KernelStatus = 'unknown' | 'starting' | 'idle' | 'busy' | 'restarting' | 'dead' | 'connecting' | 'disconnected';

/** Options of `jupyter.kernels.connect(id, options)`. */
export interface KernelConnectionOptions {
  /** WebSocket constructor for this connection. @default the client's `WebSocket` option, else `ws` in Node and the global in browsers */
  WebSocket?: WebSocketLike | undefined;
  /**
   * Wire format: `'auto'` offers `v1.kernel.websocket.jupyter.org` and falls back to JSON when the
   * server selects no subprotocol. @default 'auto'
   */
  protocol?: 'auto' | 'v1' | 'json' | undefined;
  /** Client session id (`?session_id=`, `header.session`), kept across reconnects so the server replays missed output. @default a random UUID */
  clientId?: string | undefined;
  /** `header.username` of our messages. @default '' */
  username?: string | undefined;
  /** Reconnect attempts after an unexpected drop before giving up with `reconnect-failed`. @default 7 */
  maxReconnects?: number | undefined;
  /** First reconnect delay in ms; doubles per attempt with jitter, capped at 8000. @default 250 */
  reconnectDelay?: number | undefined;
  /**
   * Once a request's reply is in, how long (ms) to wait for its `status: idle` before sending a
   * `kernel_info_request` whose iopub `busy` shows whether the kernel moved past the request
   * (then its idle was lost). Only the probe's cost depends on it: a request never completes on
   * a timer. @default 1000
   */
  idleTimeout?: number | undefined;
  /** Put the token in `?token=`. @default false with the built-in Node socket, true otherwise (browsers cannot send headers) */
  tokenInQuery?: boolean | undefined;
  /**
   * Milliseconds for each WebSocket handshake (the first and every reconnect); KernelChannelError
   * `timeout` when exceeded. Jupyter Server holds the upgrade until the kernel answers a
   * kernel_info request, so a kernel that is still starting makes the handshake slow.
   * @default the client's `timeout` (60000)
   */
  timeout?: number | undefined;
  /** Aborts the first connection attempt: `connect()` then rejects with APIUserAbortError. */
  signal?: AbortSignal | undefined;
}

/** Options of {@link KernelConnection.execute}. */
export interface ExecuteOptions {
  /** No broadcast of outputs, no history. @default false */
  silent?: boolean | undefined;
  /** @default true unless silent */
  storeHistory?: boolean | undefined;
  /** Whether the kernel may ask for input. @default true when `onInput` is given */
  allowStdin?: boolean | undefined;
  /** Abort queued executions when this one fails. @default false */
  stopOnError?: boolean | undefined;
  /** Expressions evaluated after the code, returned in the reply. */
  userExpressions?: Record<string, string> | undefined;
  /** Answers `input()` / `getpass()` in the kernel. */
  onInput?: ((prompt: string, options: { password: boolean }) => string | Promise<string>) | undefined;
  /** Aborting interrupts the kernel and rejects this request with `APIUserAbortError`. */
  signal?: AbortSignal | undefined;
  /** Metadata of the execute_request (e.g. cell id). */
  metadata?: Record<string, unknown> | undefined;
  /** {@link KernelConnectionOptions.idleTimeout} for this request. @default the connection's */
  idleTimeout?: number | undefined;
}

/** What {@link KernelConnection.run} returns. */
export interface RunResult {
  status: 'ok' | 'error' | 'aborted';
  executionCount: number | null;
  /** nbformat outputs (streams merged, display updates and clear_output applied). */
  outputs: IOutput[];
  /** The exception, when `status` is `'error'`. */
  error?: { ename: string; evalue: string; traceback: string[] } | undefined;
  /**
   * Present (`true`) when outputs of this request may be missing: the server dropped some (its
   * iopub rate limit), the socket dropped while it ran, or its `status: idle` never came. Absent
   * when every message of the request arrived.
   */
  incomplete?: true | undefined;
  /** Why `incomplete` is set. */
  incompleteReason?: IncompleteReason | undefined;
}

/** Content of an `execute_reply`. */
export type ExecuteReply = MessageContents['execute_reply'];

/** A comm target: called for each `comm_open` the kernel sends for it. */
export type CommTargetHandler = (comm: Comm, msg: Message<'comm_open', MessageContents['comm_open']>) => void | Promise<void>;

/** Events of a {@link KernelConnection}. */
export interface KernelEvents {
  /** The status changed. */
  status: (status: KernelStatus) => void;
  /** A malformed frame or message (dropped, code `malformed`), a failed reconnect, or another channel failure. Never thrown. */
  error: (error: KernelChannelError) => void;
  /** A message that is not part of one of our requests (other clients, the server's nudges). */
  message: (msg: KernelMessage) => void;
  /** The connection ended for good (closed, kernel shut down, reconnects exhausted). */
  close: (error: KernelChannelError | undefined) => void;
}

type Reply<T extends keyof MessageContents> = Promise<MessageContents[T]>;


/**
 * A live connection to a kernel. Get one with `jupyter.kernels.connect(id)`, which resolves once
 * the socket is open and a `kernel_info` probe completed (at most 3 s later for a busy kernel),
 * so `status` is real and no output of the first request is lost to a late iopub subscription.
 * @example
 * const kernel = await jupyter.kernels.connect(id);
 * for await (const msg of kernel.execute('print(1)')) if (isMessageType(msg, 'stream')) console.log(msg.content.text);
 * const { outputs } = await kernel.run('1+1');
 * await kernel.close();
 */
export class KernelConnection {
  /** Client session id, sent as `session_id` and `header.session`. */
  readonly clientId: string;
  readonly #events = new Emitter<KernelEvents>();
  readonly #pending = new Map<string, Execution<any>>();
  readonly #comms = new Map<string, Comm>();
  readonly #targets = new Map<string, CommTargetHandler>();
  readonly #listeners = new Set<Pushable<KernelMessage>>();
  readonly #displays: DisplayRegistry = new Map();
  readonly #queue: Message<string, any>[] = [];
  // Requests per channel in send order: an iopub message of one proves the earlier ones are over.
  readonly #shellOrder = new SendOrder();
  readonly #controlOrder = new SendOrder();
  #probeTimer: ReturnType<typeof setTimeout> | undefined;
  #probeAt = 0;
  // Probes in a row whose iopub never showed (reset by any iopub message of ours).
  #probes = 0;
  #sock: WebSocketInstance | undefined;
  // False until the kernel_info probe after an open completed: sends wait in `#queue` meanwhile.
  #ready = false;
  #everOpen = false;
  // Bumped whenever the socket is given up (cycled or dropped): a handshake or reconnect loop of
  // an older epoch stops, and frames still buffered for a given-up socket are ignored.
  #epoch = 0;
  // restart() calls whose REST request is in flight: sends wait in `#queue` meanwhile.
  #restarting = 0;
  // A shutdown_reply (restart) arrived while restart() was waiting for the server.
  #restartSeen = false;
  // Waiting for the kernel_info probe of a socket opened from now on to complete (restart()).
  readonly #probeWaiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  #v1 = false;
  #json: boolean;
  #state: KernelStatus = 'connecting';
  #closed: KernelChannelError | undefined;
  #interruptMode: Promise<string> | undefined;
  // The kernel_info probe written first after the latest open.
  #openProbe: Execution<any> | undefined;

  readonly #host: KernelHost;
  readonly #options: KernelConnectionOptions;

  private constructor(
    host: KernelHost,
    /** The kernel id. */
    readonly id: string,
    options: KernelConnectionOptions,
  ) {
    this.#host = host;
    this.#options = options;
    this.clientId = options.clientId ?? uuid();
    this.#json = options.protocol === 'json' || (options.protocol !== 'v1' && host.wire.format === 'json');
  }

  /** @internal Used by `jupyter.kernels.connect`. @throws KernelChannelError `connect-failed` */
  static async open(host: KernelHost, id: string, options: KernelConnectionOptions = {}): Promise<KernelConnection> {
    const k = new KernelConnection(host, id, options);
    try {
      await k.#connect();
    } catch (e) {
      k.#closed = e as KernelChannelError;
      throw e;
    }
    return k;
  }

  /** The kernel's status as last reported on iopub, or the connection's state. */
  get status(): KernelStatus {
    return this.#state;
  }

  /** The wire format in use: `'v1'` or `'json'`. */
  get protocol(): 'v1' | 'json' {
    return this.#v1 ? 'v1' : 'json';
  }

  /** Whether `close()` was called or the connection ended for good. */
  get isClosed(): boolean {
    return !!this.#closed;
  }

  /** Adds an event listener; returns a function that removes it. */
  on<K extends keyof KernelEvents>(event: K, listener: KernelEvents[K]): () => void {
    return this.#events.on(event, listener);
  }

  /**
   * Unsolicited traffic: messages whose parent is not one of this connection's requests.
   * Breaking out of the loop unsubscribes.
   */
  messages(): AsyncIterableIterator<KernelMessage> {
    const p: Pushable<KernelMessage> = new Pushable(() => this.#listeners.delete(p));
    if (this.#closed) p.end();
    else this.#listeners.add(p);
    return p;
  }

  /**
   * Runs code. Iterate the result for this request's iopub messages; `reply` resolves with the
   * execute_reply content.
   * @throws KernelChannelError (through `reply` and the iterator) when the kernel restarts or dies, or the connection closes
   * @throws APIUserAbortError when `signal` aborts (the kernel is interrupted)
   */
  execute(code: string, options: ExecuteOptions = {}): Execution<ExecuteReply> {
    const { silent = false, signal } = options;
    const content = {
      code,
      silent,
      store_history: options.storeHistory ?? !silent,
      user_expressions: options.userExpressions ?? {},
      allow_stdin: options.allowStdin ?? !!options.onInput,
      stop_on_error: options.stopOnError ?? false,
    };
    const exec = this.request('shell', 'execute_request', content, options.metadata, options.idleTimeout, options.onInput);
    if (signal) {
      const abort = () => {
        exec.fail(new APIUserAbortError(), false);
        quiet(this.interrupt());
      };
      if (signal.aborted) abort();
      else {
        signal.addEventListener('abort', abort, { once: true });
        void exec.done.finally(() => signal.removeEventListener('abort', abort)).catch(() => {});
      }
    }
    return exec;
  }

  /**
   * Runs code and collects its outputs as nbformat outputs.
   * @throws KernelChannelError when the kernel restarts or dies, or the connection closes
   * @throws APIUserAbortError when `signal` aborts
   * @example
   * const { status, outputs } = await kernel.run('print(1)');
   */
  async run(code: string, options: ExecuteOptions = {}): Promise<RunResult> {
    const exec = this.execute(code, options);
    const collector = new OutputCollector(this.#displays);
    for await (const msg of exec) collector.add(msg);
    const r = await exec.reply;
    const status = r.status === 'ok' || r.status === 'error' ? r.status : 'aborted';
    const result: RunResult = {
      status,
      executionCount: r.execution_count ?? null,
      outputs: collector.outputs,
      error: status === 'error' ? { ename: r.ename ?? '', evalue: r.evalue ?? '', traceback: r.traceback ?? [] } : undefined,
    };
    if (exec.incomplete) {
      result.incomplete = true;
      result.incompleteReason = exec.incompleteReason;
    }
    return result;
  }

  /** Kernel and language information. `kernel_info_request` */
  kernelInfo(): Reply<'kernel_info_reply'> {
    return this.request('shell', 'kernel_info_request', {}).reply;
  }

  /** Completions at `cursorPos` (in code points). `complete_request` */
  complete(code: string, cursorPos: number = code.length): Reply<'complete_reply'> {
    return this.request('shell', 'complete_request', { code, cursor_pos: cursorPos }).reply;
  }

  /** Documentation of the object at `cursorPos`. `inspect_request` */
  inspect(code: string, cursorPos: number = code.length, detailLevel: 0 | 1 = 0): Reply<'inspect_reply'> {
    return this.request('shell', 'inspect_request', { code, cursor_pos: cursorPos, detail_level: detailLevel }).reply;
  }

  /** Whether `code` is a complete statement. `is_complete_request` */
  isComplete(code: string): Reply<'is_complete_reply'> {
    return this.request('shell', 'is_complete_request', { code }).reply;
  }

  /** Execution history. `history_request` @example kernel.history({ hist_access_type: 'tail', n: 10 }) */
  history(params: HistoryParams): Reply<'history_reply'> {
    return this.request('shell', 'history_request', { output: false, raw: true, ...params }).reply;
  }

  /** Open comms, optionally of one target. `comm_info_request` */
  commInfo(targetName?: string): Reply<'comm_info_reply'> {
    return this.request('shell', 'comm_info_request', targetName === undefined ? {} : { target_name: targetName }).reply;
  }

  /**
   * Sends any request on shell or control and returns the pending {@link Execution} (its `reply`
   * resolves with the reply content). For message types this SDK does not wrap.
   */
  request<T extends string>(
    channel: Channel,
    msgType: T,
    content: ContentOf<T>,
    metadata?: Record<string, unknown>,
    idleTimeout?: number,
    onInput?: ExecuteOptions['onInput'],
  ): Execution<any> {
    const msg = createMessage(channel, msgType, this.clientId, content, { metadata });
    msg.header.username = this.#options.username ?? '';
    const exec = new Execution(msg.header.msg_id, channel, idleTimeout ?? this.#options.idleTimeout ?? IDLE_TIMEOUT_MS, this.#finished, onInput);
    if (this.#closed) exec.fail(this.#closed, true);
    else {
      this.#pending.set(exec.msgId, exec);
      this.#send(msg);
    }
    return exec;
  }

  /**
   * Opens a comm to `targetName` in the kernel. `comm_open` goes out with `data` on the next
   * microtask unless `comm.open(...)` is called first.
   */
  createComm(targetName: string, data?: Record<string, unknown>, metadata?: Record<string, unknown>, buffers?: BinaryBuffer[]): Comm {
    const comm = new Comm(this.#commHost, targetName, uuid(), false, [data, metadata, buffers]);
    this.#comms.set(comm.commId, comm);
    queueMicrotask(() => comm.open());
    return comm;
  }

  /** Handles comms the kernel opens for `targetName`. Returns a function that unregisters it. */
  registerCommTarget(targetName: string, handler: CommTargetHandler): () => void {
    this.#targets.set(targetName, handler);
    return () => void (this.#targets.get(targetName) === handler && this.#targets.delete(targetName));
  }

  /**
   * Interrupts the kernel: `POST /api/kernels/{id}/interrupt`, or an `interrupt_request` on control
   * when the kernelspec's `interrupt_mode` is `message`.
   */
  async interrupt(): Promise<void> {
    this.#interruptMode ??= this.#host.interruptMode(this.id).catch(() => 'signal');
    if ((await this.#interruptMode) === 'message') await this.request('control', 'interrupt_request', {}).reply;
    else await this.#host.interrupt(this.id);
  }

  /**
   * Restarts the kernel (`POST /api/kernels/{id}/restart`). Requests in flight reject with
   * KernelChannelError `restarted`; requests made while the restart is on wait and go to the new
   * kernel. Resolves once the connection is usable again: the server answered, the socket was
   * reopened on the new kernel, and a `kernel_info` round trip on it completed, so
   * {@link status} is the kernel's own again (normally `'idle'`).
   * @throws KernelChannelError `timeout` when the new kernel does not answer on the reopened socket
   * within the connection's `timeout`; the connection stays open and keeps trying
   * @throws KernelChannelError when the connection ends meanwhile (closed, the kernel died)
   * @throws APIError when the server refuses or fails the restart
   */
  async restart(): Promise<void> {
    if (this.#closed) throw this.#closed;
    const before = new Set(this.#pending.values());
    this.#restarting++;
    let failed = false;
    let failure: unknown;
    try {
      await this.#host.restart(this.id);
    } catch (e) {
      failed = true;
      failure = e;
    }
    const last = --this.#restarting === 0;
    const seen = this.#restartSeen;
    if (last) this.#restartSeen = false;
    if (this.#closed) throw failed ? failure : this.#closed;
    if (failed && !seen) {
      // As far as this socket saw, the kernel was not restarted: carry on with it.
      if (last) this.#flush();
      throw failure;
    }
    // The iopub shutdown_reply may come after the server's answer, or never (a kernel killed
    // without answering its shutdown_request): what was sent before the restart is cut off here.
    this.#reset(new KernelChannelError('Kernel restarted', 'restarted'), (e) => before.has(e));
    if (!last) {
      // The restart() call answered last reopens the socket.
      if (failed) throw failure;
      return this.#usable();
    }
    this.#setStatus('restarting');
    // A socket opened before the server's answer may reach the old kernel (its zmq connections
    // outlive it): reopen it now, as JupyterLab does; frames of the old one are ignored from here.
    const usable = failed ? undefined : this.#usable();
    this.#cycle(true);
    if (failed) throw failure;
    return usable;
  }

  /**
   * Resolves once a socket opened from now on completed its kernel_info probe; rejects with the
   * connection's error when it ends first, and with `timeout` after the connection's timeout.
   */
  async #usable(): Promise<void> {
    const ms = this.#options.timeout ?? this.#host.timeout ?? DEFAULT_TIMEOUT_MS;
    let waiter!: { resolve: () => void; reject: (e: unknown) => void };
    const probed = new Promise<void>((resolve, reject) => (waiter = { resolve, reject }));
    this.#probeWaiters.push(waiter);
    if (!(await waitAtMost(probed, ms))) {
      const i = this.#probeWaiters.indexOf(waiter);
      if (i >= 0) this.#probeWaiters.splice(i, 1);
      throw new KernelChannelError(`Kernel ${this.id} restarted, but did not answer on the reopened connection within ${ms} ms`, 'timeout');
    }
    return probed;
  }

  /** Closes the socket (code 1000); pending requests reject with KernelChannelError `closed`. */
  async close(): Promise<void> {
    this.#end(new KernelChannelError('Kernel connection closed', 'closed'), 'disconnected');
  }

  // ---- internals ------------------------------------------------------------------------------

  readonly #commHost = {
    sendComm: (type: 'comm_open' | 'comm_msg' | 'comm_close', content: Record<string, unknown>, metadata?: Record<string, unknown>, buffers?: BinaryBuffer[]) => {
      const msg = createMessage('shell', type, this.clientId, content as never, { metadata, buffers });
      if (!this.#closed) this.#send(msg);
      return msg.header.msg_id;
    },
    dropComm: (id: string) => void this.#comms.delete(id),
  };

  #send(msg: Message<string, any>): void {
    const s = this.#sock;
    if (s && this.#ready && !this.#restarting && s.readyState === 1) this.#write(s, msg);
    else this.#queue.push(msg);
  }

  /** Sends what waited in the queue, unless it has to wait longer. */
  #flush(): void {
    for (const msg of this.#queue.splice(0)) this.#send(msg);
  }

  #write(s: WebSocketInstance, msg: Message<string, any>): void {
    s.send(this.#v1 ? encodeV1(msg) : encodeJson(msg));
    // Numbered as written: the order the kernel will see.
    const exec = msg.channel === 'shell' || msg.channel === 'control' ? this.#pending.get(msg.header.msg_id) : undefined;
    if (exec && exec.seq < 0) this.#orderOf(exec)?.add(exec);
  }

  #orderOf(exec: Execution<any>): SendOrder | undefined {
    return exec.channel === 'shell' ? this.#shellOrder : exec.channel === 'control' ? this.#controlOrder : undefined;
  }

  readonly #finished = (e: Execution<any>): void => {
    this.#pending.delete(e.msgId);
    if (e.seq >= 0) this.#orderOf(e)?.trim();
  };

  /**
   * The reply of a request is in but not its idle: unless a later request of the channel is on
   * its way (whose iopub will settle it), a `kernel_info_request` after `probeAfter` ms does the
   * same. The kernel answers it after the request, so its `busy` on iopub comes after the
   * request's idle if that still exists: no wait can be too short, only more probes. Probes
   * whose iopub never shows (the server lost it too) are repeated with doubling waits; after
   * {@link MAX_PROBES} of them the requests complete, flagged `idle-lost`.
   */
  #armProbe(ms: number): void {
    if (this.#closed) return;
    const at = performance.now() + ms;
    if (this.#probeTimer) {
      if (this.#probeAt <= at) return;
      clearTimeout(this.#probeTimer);
    }
    this.#probeAt = at;
    this.#probeTimer = setTimeout(this.#onProbeTimer, ms);
  }

  readonly #onProbeTimer = (): void => {
    this.#probeTimer = undefined;
    if (this.#closed) return;
    for (const [order, channel] of [[this.#shellOrder, 'shell'], [this.#controlOrder, 'control']] as const) {
      const last = order.newest();
      // Nothing open, or the latest request is still running: its own iopub settles the rest.
      if (!last?.replyMsg) continue;
      const wait = last.probeAfter * 2 ** this.#probes - (performance.now() - last.repliedAt);
      if (wait > 0) {
        this.#armProbe(wait);
        continue;
      }
      if (this.#probes >= MAX_PROBES) {
        for (const e of order.open()) if (e.replyMsg) e.passed();
        continue;
      }
      this.#probes++;
      this.#probe(channel);
    }
  };

  #probe(channel: 'shell' | 'control'): Execution<any> {
    const msg = createMessage(channel, 'kernel_info_request', this.clientId, {});
    const exec = new Execution(msg.header.msg_id, channel, this.#options.idleTimeout ?? IDLE_TIMEOUT_MS, this.#finished);
    this.#pending.set(exec.msgId, exec);
    this.#send(msg);
    return exec;
  }

  #setStatus(s: KernelStatus): void {
    if (s === this.#state) return;
    this.#state = s;
    this.#events.emit('status', s);
  }

  async #connect(): Promise<void> {
    const epoch = this.#epoch;
    const { WebSocket: WS, url, headers, token, limits } = await socketTarget(
      this.#host,
      `/api/kernels/${encodeURIComponent(this.id)}/channels`,
      `session_id=${encodeURIComponent(this.clientId)}`,
      // The signal bounds the first connect only: a later abort must not break reconnects.
      this.#everOpen ? { ...this.#options, signal: undefined } : this.#options,
    );
    // `ws` keeps delivering frames of a chunk already read after the socket was given up.
    const onFrame = (data: FrameData) => epoch === this.#epoch && this.#onFrame(data);
    let sock: WebSocketInstance | undefined;
    try {
      if (!this.#json) {
        try {
          sock = await openSocket(WS, url, [V1_PROTOCOL], headers, onFrame, limits);
        } catch (e) {
          // A legacy-only server picks no subprotocol: retry without offering one. `ws` says so
          // ("Server sent no subprotocol"); a browser says nothing (a bare close, code 1006, as
          // for a missing kernel or a refused login), so there the kernel is asked for over REST
          // first, which throws when the kernel or the credentials are what failed.
          const message = (e as Error).message;
          if (this.#options.protocol === 'v1' || e instanceof JupyterSDKError || this.#host.wire.format === 'v1') throw e;
          if (!/subprotocol/i.test(message)) {
            if (!/before opening/i.test(message)) throw e;
            await this.#host.check(this.id, { signal: limits.signal, timeout: limits.timeout });
          }
        }
      }
      sock ??= await openSocket(WS, url, [], headers, onFrame, limits);
    } catch (e) {
      throw channelError(e, `Cannot connect to kernel ${this.id}`, [token]);
    }
    this.#everOpen = true;
    // Closed, or given up for a newer socket (restart() reopens it) during the handshake.
    if (this.#closed || epoch !== this.#epoch) return sock.close(1000);
    this.#v1 = sock.protocol === V1_PROTOCOL;
    // Once the server spoke JSON, reconnects (and later connections of this client) do not offer v1 again.
    this.#json = !this.#v1;
    this.#host.wire.format = this.#v1 ? 'v1' : 'json';
    this.#sock = sock;
    sock.onclose = (ev: { code?: number }) => this.#onClose(sock, ev?.code);
    sock.onerror = () => {};
    this.#setStatus('unknown');
    // As JupyterLab does: a kernel_info probe ahead of the queue, which is sent once the probe
    // is done (its reply and iopub idle are in: iopub is connected, so no output of a queued
    // request is lost to a late subscription) or after 3 s (a kernel busy with other work).
    // Written first on the new socket, it also tells what the drop cost (see #onReply).
    const probe = createMessage('shell', 'kernel_info_request', this.clientId, {});
    const exec = new Execution(probe.header.msg_id, 'shell', this.#options.idleTimeout ?? IDLE_TIMEOUT_MS, this.#finished);
    this.#pending.set(exec.msgId, exec);
    this.#openProbe = exec;
    this.#write(sock, probe);
    // restart() waits for the probe itself, not the 3 s: once it is done, `status` is the kernel's.
    exec.done.then(
      () => this.#sock === sock && this.#probeWaiters.splice(0).forEach((w) => w.resolve()),
      () => {},
    );
    await waitAtMost(exec.done, 3000);
    if (this.#sock !== sock) return;
    this.#ready = true;
    this.#flush();
  }

  /**
   * Reopens the socket under the same session id after a restart, as JupyterLab does: the server's
   * nudge on open makes sure iopub is subscribed to the new kernel before anything is forwarded.
   */
  #cycle(immediate = false): void {
    const s = this.#sock;
    this.#sock = undefined;
    this.#ready = false;
    if (s) {
      s.onclose = s.onerror = null;
      s.close(1000);
    }
    void this.#reconnect(immediate);
  }

  #onClose(sock: WebSocketInstance, code: number | undefined): void {
    if (sock !== this.#sock || this.#closed) return;
    this.#sock = undefined;
    this.#ready = false;
    // The server buffers and replays what the kernel sends after it noticed the drop; what it
    // wrote to the dead connection before that is lost without a trace.
    for (const e of this.#pending.values()) if (e.seq >= 0 && !e.iopubDone) e.flag('reconnected');
    if (code === 1000 || code === 1001) this.#end(new KernelChannelError(`Kernel connection closed by the server (code ${code})`, 'closed'), 'disconnected');
    else void this.#reconnect();
  }

  /** Reconnects with backoff (the first attempt at once when `immediate`); a later call supersedes it. */
  async #reconnect(immediate = false): Promise<void> {
    const epoch = ++this.#epoch;
    this.#setStatus('connecting');
    const max = this.#options.maxReconnects ?? 7;
    let last: unknown;
    for (let attempt = 0; attempt < max; attempt++) {
      if (attempt > 0 || !immediate) await sleep(backoffDelay(attempt, this.#options.reconnectDelay ?? 250));
      if (this.#closed || epoch !== this.#epoch) return;
      try {
        return await this.#connect();
      } catch (e) {
        last = e;
      }
    }
    // A newer socket (restart() reopens it) supersedes this loop's failures.
    if (this.#closed || epoch !== this.#epoch) return;
    const err = new KernelChannelError(`Gave up reconnecting to kernel ${this.id} after ${max} attempts`, 'reconnect-failed', { cause: last });
    this.#events.emit('error', err);
    this.#end(err, 'disconnected');
  }

  /** Ends the connection for good: rejects everything pending, closes comms, streams and the socket. */
  #end(error: KernelChannelError, status: KernelStatus): void {
    if (this.#closed) return;
    this.#closed = error;
    clearTimeout(this.#probeTimer);
    this.#probeTimer = undefined;
    this.#reset(error);
    this.#queue.length = 0;
    for (const l of this.#listeners) l.end();
    this.#listeners.clear();
    const s = this.#sock;
    this.#sock = undefined;
    if (s) {
      s.onclose = s.onerror = null;
      s.close(1000);
    }
    this.#setStatus(status);
    for (const w of this.#probeWaiters.splice(0)) w.reject(error);
    this.#events.emit('close', error.code === 'closed' ? undefined : error);
  }

  /**
   * Settles the pending requests (all, or those `which` picks) and closes every comm (kernel
   * restarted, died, or we closed). Those still waiting to be sent are dropped from the queue:
   * they were meant for a kernel that is gone.
   */
  #reset(error: KernelChannelError, which?: (e: Execution<any>) => boolean): void {
    const cut = new Set<string>();
    for (const e of [...this.#pending.values()]) {
      if (which && !which(e)) continue;
      cut.add(e.msgId);
      e.fail(error, true, 'idle-lost');
    }
    if (cut.size) {
      const kept = this.#queue.filter((m) => !cut.has(m.header.msg_id));
      this.#queue.splice(0, this.#queue.length, ...kept);
    }
    for (const c of [...this.#comms.values()]) c.dispose(undefined);
    this.#displays.clear();
  }

  #onFrame(data: FrameData): void {
    // `ws` keeps delivering frames of a chunk already read after we closed.
    if (this.#closed) return;
    let msg: Message<string, any>;
    try {
      msg = (this.#v1 && typeof data !== 'string' ? decodeV1(data) : decodeJson(data));
    } catch (e) {
      this.#events.emit('error', new KernelChannelError(`Malformed frame from kernel ${this.id}: ${(e as Error).message}`, 'malformed', { cause: e }));
      return;
    }
    const type = msg.header.msg_type;
    const parent = msg.parent_header as { msg_id?: unknown; session?: unknown };
    const pid = parent.msg_id;
    const exec = typeof pid === 'string' ? this.#pending.get(pid) : undefined;
    const channel = msg.channel;
    const iopub = channel === 'iopub';
    const own = iopub && (type === 'status' || type === 'shutdown_reply' || type === 'comm_open' || type === 'comm_msg' || type === 'comm_close');
    const foreign = !exec && parent.session !== this.clientId;
    const listened = foreign && (this.#listeners.size > 0 || this.#events.has('message'));
    // Checked only when someone interprets it: a request, the connection, a listener.
    if (exec || own || listened) {
      const problem = contentProblem(type, msg.content);
      if (problem !== undefined) {
        this.#events.emit('error', new KernelChannelError(`Malformed ${type} message from kernel ${this.id} dropped: ${problem}`, 'malformed'));
        return;
      }
    }
    if (own) this.#onIopub(msg);
    if (exec) {
      if (iopub) {
        this.#probes = 0;
        if (exec.seq >= 0 && !exec.iopubDone) this.#orderOf(exec)?.reached(exec);
        if (type === 'stream' && isRateNotice(msg.content)) exec.flag('rate-limited');
        exec.iopub(msg, type === 'status' && msg.content.execution_state === 'idle');
      } else if (channel === 'stdin') this.#onInput(exec, msg);
      else this.#onReply(exec, msg);
    } else if (listened) {
      for (const l of this.#listeners) l.push(msg as KernelMessage);
      this.#events.emit('message', msg as KernelMessage);
    }
  }

  #onReply(exec: Execution<any>, msg: Message<string, any>): void {
    exec.replied(msg, performance.now());
    if (exec === this.#openProbe) {
      this.#openProbe = undefined;
      // The kernel answers the requests of the shell channel in arrival order, and the probe was
      // written after every request of the dropped socket: a request of those still without a
      // reply lost it (or was itself lost) with the connection, and would wait forever.
      for (const e of [...this.#pending.values()]) {
        if (e.channel === 'shell' && e.seq >= 0 && e.seq < exec.seq && !e.replyMsg) {
          e.fail(new KernelChannelError(`The reply to ${e.msgId} was lost with the connection to kernel ${this.id}`, 'lost'), true);
        }
      }
    }
    if (!exec.iopubDone && exec.seq >= 0) this.#armProbe(exec.probeAfter);
  }

  #onIopub(msg: Message<string, any>): void {
    switch (msg.header.msg_type) {
      case 'status': {
        const s = msg.content.execution_state;
        this.#setStatus(s);
        // The server synthesizes `restarting` when the kernel died and is being relaunched.
        if (s === 'restarting') {
          this.#reset(new KernelChannelError(`Kernel ${this.id} died and is restarting`, 'dead'));
          this.#cycle();
        }
        else if (s === 'dead') this.#end(new KernelChannelError(`Kernel ${this.id} is dead`, 'dead'), 'dead');
        return;
      }
      case 'shutdown_reply':
        // A REST restart shows no `restarting` status and a DELETE does not close the socket:
        // this iopub message is the only signal of either.
        if (msg.content.restart) {
          this.#setStatus('restarting');
          const error = new KernelChannelError('Kernel restarted', 'restarted');
          if (this.#restarting) {
            // Our own restart(): it reopens the socket once the server answered, and what was
            // not sent yet waits for the new kernel.
            this.#restartSeen = true;
            this.#reset(error, (e) => e.seq >= 0);
          } else {
            this.#reset(error);
            this.#cycle();
          }
        } else this.#end(new KernelChannelError(`Kernel ${this.id} was shut down`, 'dead'), 'dead');
        return;
      case 'comm_open': {
        const { comm_id, target_name } = msg.content;
        const handler = this.#targets.get(target_name);
        if (!handler || this.#comms.has(comm_id)) return;
        const comm = new Comm(this.#commHost, target_name, comm_id, true);
        this.#comms.set(comm_id, comm);
        // Synchronously: `ws` emits every frame of a TCP chunk in one go, so the comm's first
        // comm_msg may be next in line and must find the handler's listeners in place.
        try {
          const r = handler(comm, msg as Message<'comm_open', MessageContents['comm_open']>);
          if (r) quiet(Promise.resolve(r));
        } catch {
          // A throwing target must not break routing.
        }
        return;
      }
      case 'comm_msg':
      case 'comm_close':
        this.#comms.get(msg.content.comm_id)?.handle(msg as CommMessage);
    }
  }

  #onInput(exec: Execution<any>, msg: Message<string, any>): void {
    if (msg.header.msg_type !== 'input_request') return;
    const { prompt, password } = msg.content;
    const answer = async () => (exec.onInput ? String(await exec.onInput(prompt, { password })) : '');
    void answer()
      .catch(() => '')
      .then((value) => this.#send(createMessage('stdin', 'input_reply', this.clientId, { status: 'ok', value }, { parent: msg.header })));
  }
}
