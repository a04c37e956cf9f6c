/**
 * The kernel channel: one WebSocket to `/api/kernels/{id}/channels`, multiplexing shell, iopub,
 * stdin and control, with both wire formats, request routing, comms and reconnects.
 */
import type { JupyterClient } from '../jupyter/client.js';
import { APIUserAbortError, JupyterSDKError, KernelChannelError } from '../core/errors.js';
import { backoffDelay, sleep } from '../core/backoff.js';
import { redact } from '../core/redact.js';
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
import { openSocket, socketTarget, type FrameData, type WebSocketInstance, type WebSocketLike } from './socket.js';
import { Execution, IDLE_TIMEOUT_MS } from './execute.js';
import { OutputCollector, type DisplayRegistry } from './outputs.js';
import { Comm, type CommMessage } from './comm.js';
import { Emitter, Pushable, quiet } from './stream.js';

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
  /** Default {@link ExecuteOptions.idleTimeout}. @default 1000 */
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
  /**
   * Once the reply is in, how long (ms, since the last message) to wait for `status: idle` before
   * completing anyway: with the iopub rate limit off the server can lose the tail of a flood, idle
   * included. @default 1000
   */
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
}

/** Content of an `execute_reply`. */
export type ExecuteReply = MessageContents['execute_reply'];

/** A comm target: called for each `comm_open` the kernel sends for it. */
export type CommTargetHandler = (comm: Comm, msg: Message<'comm_open', MessageContents['comm_open']>) => void | Promise<void>;

/** Events of a {@link KernelConnection}. */
export interface KernelEvents {
  /** The status changed. */
  status: (status: KernelStatus) => void;
  /** A malformed frame, a failed reconnect, or another channel failure. Never thrown. */
  error: (error: KernelChannelError) => void;
  /** A message that is not part of one of our requests (other clients, the server's nudges). */
  message: (msg: KernelMessage) => void;
  /** The connection ended for good (closed, kernel shut down, reconnects exhausted). */
  close: (error: KernelChannelError | undefined) => void;
}

type Reply<T extends keyof MessageContents> = Promise<MessageContents[T]>;

// The wire format each client's server answered with, so that later connections of a client whose
// server has no v1 subprotocol do not fail a v1 handshake first every time.
const wireOf = new WeakMap<object, 'v1' | 'json'>();

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
  private readonly events = new Emitter<KernelEvents>();
  private readonly pending = new Map<string, Execution<any>>();
  private readonly comms = new Map<string, Comm>();
  private readonly targets = new Map<string, CommTargetHandler>();
  private readonly listeners = new Set<Pushable<KernelMessage>>();
  private readonly displays: DisplayRegistry = new Map();
  private readonly queue: Message<string, any>[] = [];
  private sock: WebSocketInstance | undefined;
  // False until the kernel_info probe after an open completed: sends wait in `queue` meanwhile.
  private ready = false;
  private everOpen = false;
  private readonly readyWaiters: (() => void)[] = [];
  private v1 = false;
  private json: boolean;
  private state: KernelStatus = 'connecting';
  private closed: KernelChannelError | undefined;
  private interruptMode: Promise<string> | undefined;

  private constructor(
    private readonly client: JupyterClient,
    /** The kernel id. */
    readonly id: string,
    private readonly options: KernelConnectionOptions,
  ) {
    this.clientId = options.clientId ?? uuid();
    this.json = options.protocol === 'json' || (options.protocol !== 'v1' && wireOf.get(client) === 'json');
  }

  /** @internal Used by `jupyter.kernels.connect`. @throws KernelChannelError `connect-failed` */
  static async open(client: JupyterClient, id: string, options: KernelConnectionOptions = {}): Promise<KernelConnection> {
    const k = new KernelConnection(client, id, options);
    try {
      await k.connect();
    } catch (e) {
      k.closed = e as KernelChannelError;
      throw e;
    }
    return k;
  }

  /** The kernel's status as last reported on iopub, or the connection's state. */
  get status(): KernelStatus {
    return this.state;
  }

  /** The wire format in use: `'v1'` or `'json'`. */
  get protocol(): 'v1' | 'json' {
    return this.v1 ? 'v1' : 'json';
  }

  /** Whether `close()` was called or the connection ended for good. */
  get isClosed(): boolean {
    return !!this.closed;
  }

  /** Adds an event listener; returns a function that removes it. */
  on<K extends keyof KernelEvents>(event: K, listener: KernelEvents[K]): () => void {
    return this.events.on(event, listener);
  }

  /**
   * Unsolicited traffic: messages whose parent is not one of this connection's requests.
   * Breaking out of the loop unsubscribes.
   */
  messages(): AsyncIterableIterator<KernelMessage> {
    const p: Pushable<KernelMessage> = new Pushable(() => this.listeners.delete(p));
    if (this.closed) p.end();
    else this.listeners.add(p);
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
    const collector = new OutputCollector(this.displays);
    for await (const msg of exec) collector.add(msg);
    const r = await exec.reply;
    const status = r.status === 'ok' || r.status === 'error' ? r.status : 'aborted';
    return {
      status,
      executionCount: r.execution_count ?? null,
      outputs: collector.outputs,
      error: status === 'error' ? { ename: r.ename ?? '', evalue: r.evalue ?? '', traceback: r.traceback ?? [] } : undefined,
    };
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
    msg.header.username = this.options.username ?? '';
    const exec = new Execution(msg.header.msg_id, idleTimeout ?? this.options.idleTimeout ?? IDLE_TIMEOUT_MS, (e) => this.pending.delete(e.msgId), onInput);
    if (this.closed) exec.fail(this.closed, true);
    else {
      this.pending.set(exec.msgId, exec);
      this.send(msg);
    }
    return exec;
  }

  /**
   * Opens a comm to `targetName` in the kernel. `comm_open` goes out with `data` on the next
   * microtask unless `comm.open(...)` is called first.
   */
  createComm(targetName: string, data?: Record<string, unknown>, metadata?: Record<string, unknown>, buffers?: BinaryBuffer[]): Comm {
    const comm = new Comm(this.commHost, targetName, uuid(), false, [data, metadata, buffers]);
    this.comms.set(comm.commId, comm);
    queueMicrotask(() => comm.open());
    return comm;
  }

  /** Handles comms the kernel opens for `targetName`. Returns a function that unregisters it. */
  registerCommTarget(targetName: string, handler: CommTargetHandler): () => void {
    this.targets.set(targetName, handler);
    return () => void (this.targets.get(targetName) === handler && this.targets.delete(targetName));
  }

  /**
   * Interrupts the kernel: `POST /api/kernels/{id}/interrupt`, or an `interrupt_request` on control
   * when the kernelspec's `interrupt_mode` is `message`.
   */
  async interrupt(): Promise<void> {
    this.interruptMode ??= this.client.kernels
      .get(this.id)
      .then((k) => this.client.kernelspecs.get(k.name))
      .then((s) => (s.spec as { interrupt_mode?: string }).interrupt_mode ?? 'signal')
      .catch(() => 'signal');
    if ((await this.interruptMode) === 'message') await this.request('control', 'interrupt_request', {}).reply;
    else await this.client.kernels.interrupt(this.id);
  }

  /**
   * Restarts the kernel (`POST /api/kernels/{id}/restart`); pending requests reject with
   * KernelChannelError `restarted`. Resolves once the connection is usable again (socket reopened,
   * at most 10 s after the REST call).
   */
  async restart(): Promise<void> {
    const before = [...this.pending.values()];
    await this.client.kernels.restart(this.id);
    // The iopub shutdown_reply normally did this already; this covers a lost one.
    for (const e of before) e.fail(new KernelChannelError('Kernel restarted', 'restarted'), true);
    if (!this.ready && !this.closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 10_000);
        this.readyWaiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  /** Closes the socket (code 1000); pending requests reject with KernelChannelError `closed`. */
  async close(): Promise<void> {
    this.end(new KernelChannelError('Kernel connection closed', 'closed'), 'disconnected');
  }

  // ---- internals ------------------------------------------------------------------------------

  private readonly commHost = {
    sendComm: (type: 'comm_open' | 'comm_msg' | 'comm_close', content: Record<string, unknown>, metadata?: Record<string, unknown>, buffers?: BinaryBuffer[]) => {
      const msg = createMessage('shell', type, this.clientId, content as never, { metadata, buffers });
      if (!this.closed) this.send(msg);
      return msg.header.msg_id;
    },
    dropComm: (id: string) => void this.comms.delete(id),
  };

  private send(msg: Message<string, any>): void {
    const s = this.sock;
    if (s && this.ready && s.readyState === 1) this.write(s, msg);
    else this.queue.push(msg);
  }

  private write(s: WebSocketInstance, msg: Message<string, any>): void {
    s.send(this.v1 ? encodeV1(msg) : encodeJson(msg));
  }

  private setStatus(s: KernelStatus): void {
    if (s === this.state) return;
    this.state = s;
    this.events.emit('status', s);
  }

  private async connect(): Promise<void> {
    const { WebSocket: WS, url, headers, token, limits } = await socketTarget(
      this.client,
      `/api/kernels/${encodeURIComponent(this.id)}/channels`,
      `session_id=${encodeURIComponent(this.clientId)}`,
      // The signal bounds the first connect only: a later abort must not break reconnects.
      this.everOpen ? { ...this.options, signal: undefined } : this.options,
    );
    const onFrame = (data: FrameData) => this.onFrame(data);
    let sock: WebSocketInstance | undefined;
    try {
      if (!this.json) {
        try {
          sock = await openSocket(WS, url, [V1_PROTOCOL], headers, onFrame, limits);
        } catch (e) {
          // A legacy-only server picks no subprotocol: retry without offering one. `ws` says so
          // ("Server sent no subprotocol"); a browser says nothing (a bare close, code 1006, as
          // for a missing kernel or a refused login), so there the kernel is asked for over REST
          // first, which throws when the kernel or the credentials are what failed.
          const message = (e as Error).message;
          if (this.options.protocol === 'v1' || e instanceof JupyterSDKError || wireOf.get(this.client) === 'v1') throw e;
          if (!/subprotocol/i.test(message)) {
            if (!/before opening/i.test(message)) throw e;
            await this.client.kernels.get(this.id, { signal: limits.signal, timeout: limits.timeout });
          }
        }
      }
      sock ??= await openSocket(WS, url, [], headers, onFrame, limits);
    } catch (e) {
      if (e instanceof APIUserAbortError) throw e;
      const code = e instanceof KernelChannelError ? e.code : 'connect-failed';
      throw new KernelChannelError(`Cannot connect to kernel ${this.id}: ${redact((e as Error).message, [token])}`, code, { cause: e });
    }
    this.everOpen = true;
    if (this.closed) return sock.close(1000);
    this.v1 = sock.protocol === V1_PROTOCOL;
    // Once the server spoke JSON, reconnects (and later connections of this client) do not offer v1 again.
    this.json = !this.v1;
    wireOf.set(this.client, this.v1 ? 'v1' : 'json');
    this.sock = sock;
    sock.onclose = (ev: { code?: number }) => this.onClose(sock, ev?.code);
    sock.onerror = () => {};
    this.setStatus('unknown');
    // As JupyterLab does: a kernel_info probe ahead of the queue, which is sent once the probe
    // is done (its reply and iopub idle are in: iopub is connected, so no output of a queued
    // request is lost to a late subscription) or after 3 s (a kernel busy with other work).
    const probe = createMessage('shell', 'kernel_info_request', this.clientId, {});
    const exec = new Execution(probe.header.msg_id, this.options.idleTimeout ?? IDLE_TIMEOUT_MS, (e) => this.pending.delete(e.msgId));
    this.pending.set(exec.msgId, exec);
    this.write(sock, probe);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([exec.done.catch(() => {}), new Promise((r) => (timer = setTimeout(r, 3000)))]);
    clearTimeout(timer);
    if (this.sock !== sock) return;
    this.ready = true;
    for (const msg of this.queue.splice(0)) this.send(msg);
    for (const f of this.readyWaiters.splice(0)) f();
  }

  /**
   * Reopens the socket under the same session id after a restart, as JupyterLab does: the server's
   * nudge on open makes sure iopub is subscribed to the new kernel before anything is forwarded.
   */
  private cycle(): void {
    const s = this.sock;
    if (!s) return;
    this.sock = undefined;
    this.ready = false;
    s.onclose = s.onerror = null;
    s.close(1000);
    void this.reconnect();
  }

  private onClose(sock: WebSocketInstance, code: number | undefined): void {
    if (sock !== this.sock || this.closed) return;
    this.sock = undefined;
    this.ready = false;
    if (code === 1000 || code === 1001) this.end(new KernelChannelError(`Kernel connection closed by the server (code ${code})`, 'closed'), 'disconnected');
    else void this.reconnect();
  }

  private async reconnect(): Promise<void> {
    this.setStatus('connecting');
    const max = this.options.maxReconnects ?? 7;
    let last: unknown;
    for (let attempt = 0; attempt < max; attempt++) {
      await sleep(backoffDelay(attempt, this.options.reconnectDelay ?? 250));
      if (this.closed) return;
      try {
        return await this.connect();
      } catch (e) {
        last = e;
      }
    }
    const err = new KernelChannelError(`Gave up reconnecting to kernel ${this.id} after ${max} attempts`, 'reconnect-failed', { cause: last });
    this.events.emit('error', err);
    this.end(err, 'disconnected');
  }

  /** Ends the connection for good: rejects everything pending, closes comms, streams and the socket. */
  private end(error: KernelChannelError, status: KernelStatus): void {
    if (this.closed) return;
    this.closed = error;
    this.reset(error);
    this.queue.length = 0;
    for (const l of this.listeners) l.end();
    this.listeners.clear();
    const s = this.sock;
    this.sock = undefined;
    if (s) {
      s.onclose = s.onerror = null;
      s.close(1000);
    }
    this.setStatus(status);
    for (const f of this.readyWaiters.splice(0)) f();
    this.events.emit('close', error.code === 'closed' ? undefined : error);
  }

  /** Settles every pending request and closes every comm (kernel restarted, died, or we closed). */
  private reset(error: KernelChannelError): void {
    for (const e of [...this.pending.values()]) e.fail(error, true);
    for (const c of [...this.comms.values()]) c.dispose(undefined);
    this.displays.clear();
  }

  private onFrame(data: FrameData): void {
    // `ws` keeps delivering frames of a chunk already read after we closed.
    if (this.closed) return;
    let msg: Message<string, any>;
    try {
      msg = (this.v1 && typeof data !== 'string' ? decodeV1(data) : decodeJson(data));
    } catch (e) {
      this.events.emit('error', new KernelChannelError(`Malformed frame from kernel ${this.id}: ${(e as Error).message}`, 'malformed', { cause: e }));
      return;
    }
    const parent = msg.parent_header as { msg_id?: string; session?: string };
    const exec = parent.msg_id === undefined ? undefined : this.pending.get(parent.msg_id);
    const { channel } = msg;
    if (channel === 'iopub') this.onIopub(msg);
    if (exec) {
      if (channel === 'iopub') exec.iopub(msg);
      else if (channel === 'stdin') this.onInput(exec, msg);
      else exec.replied(msg);
    } else if (parent.session !== this.clientId) {
      for (const l of this.listeners) l.push(msg as KernelMessage);
      this.events.emit('message', msg as KernelMessage);
    }
  }

  private onIopub(msg: Message<string, any>): void {
    switch (msg.header.msg_type) {
      case 'status': {
        const s = msg.content.execution_state;
        this.setStatus(s);
        // The server synthesizes `restarting` when the kernel died and is being relaunched.
        if (s === 'restarting') {
          this.reset(new KernelChannelError(`Kernel ${this.id} died and is restarting`, 'dead'));
          this.cycle();
        }
        else if (s === 'dead') this.end(new KernelChannelError(`Kernel ${this.id} is dead`, 'dead'), 'dead');
        return;
      }
      case 'shutdown_reply':
        // A REST restart shows no `restarting` status and a DELETE does not close the socket:
        // this iopub message is the only signal of either.
        if (msg.content.restart) {
          this.setStatus('restarting');
          this.reset(new KernelChannelError('Kernel restarted', 'restarted'));
          this.cycle();
        } else this.end(new KernelChannelError(`Kernel ${this.id} was shut down`, 'dead'), 'dead');
        return;
      case 'comm_open': {
        const { comm_id, target_name } = msg.content;
        const handler = this.targets.get(target_name);
        if (!handler || this.comms.has(comm_id)) return;
        const comm = new Comm(this.commHost, target_name, comm_id, true);
        this.comms.set(comm_id, comm);
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
        this.comms.get(msg.content.comm_id)?.handle(msg as CommMessage);
    }
  }

  private onInput(exec: Execution<any>, msg: Message<string, any>): void {
    if (msg.header.msg_type !== 'input_request') return;
    const { prompt, password } = msg.content;
    const answer = async () => (exec.onInput ? String(await exec.onInput(prompt, { password })) : '');
    void answer()
      .catch(() => '')
      .then((value) => this.send(createMessage('stdin', 'input_reply', this.clientId, { status: 'ok', value }, { parent: msg.header })));
  }
}
