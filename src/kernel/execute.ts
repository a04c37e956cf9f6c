/** One request on the kernel channel: its reply, its iopub messages, and when it is done. */
import type { KernelMessage, Message } from './messages.js';
import { Pushable, quiet } from './stream.js';

/** Default wait for `status: idle` once the reply is in (see {@link ExecuteOptions.idleTimeout}). */
export const IDLE_TIMEOUT_MS = 1000;

/**
 * A request in flight. Iterating it yields the iopub messages whose parent is this request and
 * ends once both the reply and `status: idle` arrived (in either order), or when no idle came
 * `idleTimeout` ms after the reply and the last message, since the server can lose the tail of a
 * flood including the idle.
 * @typeParam R content of the reply
 */
export class Execution<R = Record<string, unknown>> implements AsyncIterable<KernelMessage> {
  /** Content of the reply; resolves as soon as the reply arrives. */
  readonly reply: Promise<R>;
  /** Resolves with the reply content when the request is complete (reply, then idle or the grace period). */
  readonly done: Promise<R>;
  /** @internal */ replyMsg: Message<string, unknown> | undefined;
  /** @internal */ settled = false;
  private readonly stream = new Pushable<KernelMessage>();
  private idle = false;
  private last = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private resolveReply!: (r: R) => void;
  private rejectReply!: (e: unknown) => void;
  private resolveDone!: (r: R) => void;
  private rejectDone!: (e: unknown) => void;

  /** @internal */
  constructor(
    /** The request's `msg_id`; messages whose `parent_header.msg_id` equals it belong to it. */
    readonly msgId: string,
    private readonly grace: number,
    private readonly onFinish: (e: Execution<any>) => void,
    /** @internal Answers `input_request`s of this request. */
    readonly onInput?: ((prompt: string, options: { password: boolean }) => string | Promise<string>) | undefined,
  ) {
    this.reply = quiet(new Promise<R>((res, rej) => ((this.resolveReply = res), (this.rejectReply = rej))));
    this.done = quiet(new Promise<R>((res, rej) => ((this.resolveDone = res), (this.rejectDone = rej))));
  }

  /** The whole reply message (its header carries the kernel's date, its metadata the engine's), once it arrived. */
  get replyMessage(): Message<string, unknown> | undefined {
    return this.replyMsg;
  }

  /** The request's iopub messages, in order; iteration ends after its `status: idle`. */
  [Symbol.asyncIterator](): AsyncIterator<KernelMessage> {
    return this.stream;
  }

  /** @internal An iopub message for this request. */
  iopub(msg: Message<string, unknown>): void {
    if (this.settled) return this.track(msg);
    this.stream.push(msg as KernelMessage);
    this.track(msg);
  }

  /** @internal The shell or control reply. */
  replied(msg: Message<string, unknown>): void {
    if (this.replyMsg) return;
    this.replyMsg = msg;
    this.resolveReply(msg.content as R);
    this.check();
  }

  /**
   * @internal Ends the request with an error. A request whose reply is already in completes
   * normally instead. `forget` removes it from routing at once (restart, death, close).
   */
  fail(error: unknown, forget: boolean): void {
    if (!this.settled) {
      if (this.replyMsg) return this.finish();
      this.settled = true;
      this.rejectReply(error);
      this.rejectDone(error);
      this.stream.end(error);
    }
    if (forget) this.finish();
  }

  private track(msg: Message<string, unknown>): void {
    this.last = Date.now();
    if (msg.header.msg_type === 'status' && (msg.content as { execution_state?: string }).execution_state === 'idle') this.idle = true;
    this.check();
  }

  private check(): void {
    if (!this.replyMsg) return;
    if (this.idle) return this.finish();
    // One timer, re-armed lazily, so a flood after the reply does not churn timers.
    if (!this.timer) {
      this.last = Date.now();
      const arm = (ms: number) =>
        (this.timer = setTimeout(() => {
          const left = this.last + this.grace - Date.now();
          if (left > 0) arm(left);
          else this.finish();
        }, ms));
      arm(this.grace);
    }
  }

  private finish(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.onFinish(this);
    if (this.settled) return;
    this.settled = true;
    this.resolveDone(this.replyMsg!.content as R);
    this.stream.end();
  }
}
