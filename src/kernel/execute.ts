/** One request on the kernel channel: its reply, its iopub messages, and when it is done. */
import type { KernelMessage, Message } from './messages.js';
import { Pushable, quiet } from './stream.js';

/** Default wait for `status: idle` after the reply before the connection probes the kernel (see {@link ExecuteOptions.idleTimeout}). */
export const IDLE_TIMEOUT_MS = 1000;

/**
 * Why a request completed without proof that every iopub message of it arrived:
 * - `'idle-lost'`: its `status: idle` never came; the kernel had moved on to a later request;
 * - `'rate-limited'`: the server dropped some of its output (its "IOPub message/data rate exceeded" notice);
 * - `'reconnected'`: it was in flight while the socket dropped; the server replays what it buffered
 *   after it noticed the drop, but what it wrote to the dead connection before that is gone.
 */
export type IncompleteReason = 'idle-lost' | 'rate-limited' | 'reconnected';

/**
 * A request in flight. Iterating it yields the iopub messages whose parent is this request and
 * ends once the request is complete: its reply arrived, and its `status: idle` arrived or the
 * kernel's iopub showed that it moved on to a later request of this connection (iopub is ordered
 * per kernel, so nothing of this request can follow). {@link incomplete} says whether messages
 * of it may have been lost on the way.
 * @typeParam R content of the reply
 */
export class Execution<R = Record<string, unknown>> implements AsyncIterable<KernelMessage> {
  /** Content of the reply; resolves as soon as the reply arrives. */
  readonly reply: Promise<R>;
  /** Resolves with the reply content when the request is complete (reply, then idle or proof that the kernel moved on). */
  readonly done: Promise<R>;
  /** @internal */ replyMsg: Message<string, unknown> | undefined;
  /** @internal */ settled = false;
  /** @internal Position in the send order of its channel; -1 until written to a socket. */
  seq = -1;
  /** @internal Every iopub message of it that will ever arrive has arrived (idle seen, or a later request started). */
  iopubDone = false;
  /** @internal `performance.now()` when the reply arrived. */
  repliedAt = 0;
  #reason: IncompleteReason | undefined;
  readonly #stream = new Pushable<KernelMessage>();
  #resolveReply!: (r: R) => void;
  #rejectReply!: (e: unknown) => void;
  #resolveDone!: (r: R) => void;
  #rejectDone!: (e: unknown) => void;
  readonly #onFinish: (e: Execution<any>) => void;

  /** @internal */
  constructor(
    /** The request's `msg_id`; messages whose `parent_header.msg_id` equals it belong to it. */
    readonly msgId: string,
    /** @internal The channel it was sent on. */
    readonly channel: string,
    /** @internal Ms after the reply without idle before the connection probes the kernel. */
    readonly probeAfter: number,
    onFinish: (e: Execution<any>) => void,
    /** @internal Answers `input_request`s of this request. */
    readonly onInput?: ((prompt: string, options: { password: boolean }) => string | Promise<string>) | undefined,
  ) {
    this.#onFinish = onFinish;
    this.reply = quiet(new Promise<R>((res, rej) => ((this.#resolveReply = res), (this.#rejectReply = rej))));
    this.done = quiet(new Promise<R>((res, rej) => ((this.#resolveDone = res), (this.#rejectDone = rej))));
  }

  /** The whole reply message (its header carries the kernel's date, its metadata the engine's), once it arrived. */
  get replyMessage(): Message<string, unknown> | undefined {
    return this.replyMsg;
  }

  /**
   * Whether messages of this request may be missing: the server lost some (rate limit, a dropped
   * socket) or the idle never came. The request still completed; its outputs are what arrived.
   */
  get incomplete(): boolean {
    return this.#reason !== undefined;
  }

  /** Why {@link incomplete} is true (the first reason seen); `undefined` when complete. */
  get incompleteReason(): IncompleteReason | undefined {
    return this.#reason;
  }

  /** The request's iopub messages, in order; iteration ends once the request is complete. */
  [Symbol.asyncIterator](): AsyncIterator<KernelMessage> {
    return this.#stream;
  }

  /** @internal An iopub message for this request; `idle` says it is its `status: idle`. */
  iopub(msg: Message<string, unknown>, idle: boolean): void {
    if (!this.settled) this.#stream.push(msg as KernelMessage);
    if (idle && !this.iopubDone) {
      this.iopubDone = true;
      if (this.replyMsg) this.#finish();
    }
  }

  /** @internal Records that messages of this request may be missing. */
  flag(reason: IncompleteReason): void {
    this.#reason ??= reason;
  }

  /** @internal The kernel's iopub moved past this request without its idle: the idle was lost. */
  passed(): void {
    if (this.iopubDone) return;
    this.iopubDone = true;
    this.flag('idle-lost');
    if (this.replyMsg) this.#finish();
  }

  /** @internal The shell or control reply. */
  replied(msg: Message<string, unknown>, now: number): void {
    if (this.replyMsg) return;
    this.replyMsg = msg;
    this.repliedAt = now;
    this.#resolveReply(msg.content as R);
    if (this.iopubDone) this.#finish();
  }

  /**
   * @internal Ends the request with an error. A request whose reply is already in completes
   * normally instead (flagged with `reason` when its iopub was not done). `forget` removes it
   * from routing at once (restart, death, close).
   */
  fail(error: unknown, forget: boolean, reason?: IncompleteReason): void {
    if (!this.settled) {
      if (this.replyMsg) {
        if (!this.iopubDone && reason) this.flag(reason);
        return this.#finish();
      }
      this.settled = true;
      this.#rejectReply(error);
      this.#rejectDone(error);
      this.#stream.end(error);
    }
    if (forget) this.#finish();
  }

  #finish(): void {
    this.iopubDone = true;
    this.#onFinish(this);
    if (this.settled) return;
    this.settled = true;
    this.#resolveDone(this.replyMsg!.content as R);
    this.#stream.end();
  }
}

/**
 * The requests of one channel in the order they were written to the socket, until their iopub is
 * done. The kernel handles the requests of a channel one at a time in arrival order and publishes
 * each one's `busy … idle` on iopub, which reaches us in order: so any iopub message of a request
 * means that every earlier request of the channel has published all it ever will.
 * @internal
 */
export class SendOrder {
  #list: Execution<any>[] = [];
  #head = 0;
  #next = 0;

  /** Numbers `e` as the latest request written. */
  add(e: Execution<any>): void {
    e.seq = this.#next++;
    this.#list.push(e);
  }

  /** The latest request written, when its iopub is not done yet. */
  newest(): Execution<any> | undefined {
    const last = this.#list[this.#list.length - 1];
    return last && !last.iopubDone ? last : undefined;
  }

  /** An iopub message of `e` arrived: the requests written before it get {@link Execution.passed}. */
  reached(e: Execution<any>): void {
    const list = this.#list;
    let h = this.#head;
    // Nearly always: the message is of the oldest open request.
    if (list[h] === e) return;
    for (let x = list[h]; x !== undefined && x !== e && x.seq < e.seq; x = list[++h]) x.passed();
    this.#head = h;
    this.trim();
  }

  /** The requests written, oldest first, whose iopub is not done (a copy). */
  open(): Execution<any>[] {
    return this.#list.slice(this.#head).filter((e) => !e.iopubDone);
  }

  /** Drops finished requests from the front, compacting now and then instead of shifting. */
  trim(): void {
    const list = this.#list;
    let h = this.#head;
    while (h < list.length && list[h]!.iopubDone) h++;
    if (h === list.length) {
      list.length = 0;
      h = 0;
    } else if (h > 1024 && h * 2 > list.length) {
      this.#list = list.slice(h);
      h = 0;
    }
    this.#head = h;
  }
}
