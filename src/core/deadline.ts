/**
 * Time limits and aborts, in one place for REST calls, sockets, polls and the runner: a deadline
 * whose signal aborts when its time is up or its parent signal aborts (and that tells the two
 * apart, since a timeout and a caller's abort are different errors), and waits that an abort or a
 * time limit cuts short without leaving a timer behind to hold the process open.
 */

/**
 * Options of every `waitFor…` method: `timeout` is the whole wait, from the call to the outcome
 * (each poll within it is a request bounded by the client's own request timeout).
 */
export interface WaitOptions {
  /** Stops waiting; the call then rejects with `APIUserAbortError`. */
  signal?: AbortSignal | undefined;
  /** Milliseconds the whole wait may take; then the call rejects with a `WaitTimeoutError`. */
  timeout?: number | undefined;
  /** Milliseconds between two polls. */
  interval?: number | undefined;
}

/** A time limit and an optional parent signal, combined into one signal. */
export class Deadline {
  readonly #controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #forward = () => this.#controller.abort(this.parent?.reason);
  #expired = false;

  /** The caller's signal whose abort this deadline follows. */
  declare readonly parent: AbortSignal | undefined;

  /**
   * @param ms time limit in milliseconds; none when `undefined`
   * @param parent a caller's signal whose abort this deadline follows
   */
  constructor(ms: number | undefined, parent?: AbortSignal | undefined) {
    this.parent = parent;
    if (parent?.aborted) this.#forward();
    else parent?.addEventListener('abort', this.#forward, { once: true });
    if (ms !== undefined && !this.signal.aborted) {
      this.#timer = setTimeout(() => {
        this.#expired = true;
        this.#controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError'));
      }, ms);
    }
  }

  /** Aborts when the time is up, the parent aborts, or {@link abort} is called. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Whether the time ran out first. */
  get timedOut(): boolean {
    return this.#expired;
  }

  /** Whether the parent signal aborted. */
  get aborted(): boolean {
    return !!this.parent?.aborted;
  }

  /** Ends the deadline early, for a reason of the caller's (e.g. the kernel died). */
  abort(reason?: unknown): void {
    this.#controller.abort(reason);
  }

  /** `work`'s outcome, or a rejection with the abort reason as soon as the signal aborts. */
  race<T>(work: T | PromiseLike<T>): Promise<T> {
    return raceSignal(work, this.signal);
  }

  /** Stops the timer and lets go of the parent signal. */
  done(): void {
    clearTimeout(this.#timer);
    this.parent?.removeEventListener('abort', this.#forward);
  }
}

/**
 * `work`'s outcome, or a rejection with `signal.reason` once `signal` aborts: for work that takes
 * no signal, or ignores the one it was given.
 */
export function raceSignal<T>(work: T | PromiseLike<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return Promise.resolve(work);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) {
      // Whatever `work` comes to no longer matters, but a rejection of it must not go unhandled.
      Promise.resolve(work).catch(() => undefined);
      return onAbort();
    }
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve(work)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  const deadline = new Deadline(ms, signal);
  return new Promise<void>((resolve, reject) =>
    deadline.signal.addEventListener('abort', () => (deadline.timedOut ? resolve() : reject(deadline.signal.reason)), { once: true }),
  ).finally(() => deadline.done());
}

/** Waits for `work` to settle, at most `ms`; resolves `true` when it did in time. Never rejects. */
export async function waitAtMost(work: PromiseLike<unknown>, ms: number): Promise<boolean> {
  const deadline = new Deadline(ms);
  try {
    await deadline.race(work);
    return true;
  } catch {
    return !deadline.timedOut;
  } finally {
    deadline.done();
  }
}
