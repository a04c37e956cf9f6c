/** Small shared helpers for the channels: a push-based async iterator and a typed event emitter. */

/**
 * An async iterator fed by `push`; `end(error?)` finishes it. Breaking out of a `for await`
 * calls `return`, which drops what is buffered and runs the `onReturn` hook.
 */
export class Pushable<T> implements AsyncIterableIterator<T> {
  #items: T[] = [];
  #head = 0;
  #waiter: { resolve(r: IteratorResult<T>): void; reject(e: unknown): void } | undefined;
  #ended = false;
  #error: unknown;

  readonly #onReturn: (() => void) | undefined;

  constructor(onReturn?: () => void) {
    this.#onReturn = onReturn;
  }

  /** Whether `end` or `return` was called. */
  get done(): boolean {
    return this.#ended;
  }

  push(value: T): void {
    if (this.#ended) return;
    const w = this.#waiter;
    if (w) {
      this.#waiter = undefined;
      w.resolve({ value, done: false });
    } else this.#items.push(value);
  }

  /** Ends the iteration after the buffered items; with an error, the next read after them throws it. */
  end(error?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error;
    const w = this.#waiter;
    this.#waiter = undefined;
    if (w) this.#settle(w);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#head < this.#items.length) {
      const value = this.#items[this.#head++]!;
      // Compact now and then instead of an O(n) shift per read.
      if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
        this.#items = this.#items.slice(this.#head);
        this.#head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    return new Promise((resolve, reject) => {
      const w = { resolve, reject };
      if (this.#ended) this.#settle(w);
      else this.#waiter = w;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.#items = [];
    this.#head = 0;
    if (!this.#ended) {
      this.end();
      this.#onReturn?.();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #settle(w: { resolve(r: IteratorResult<T>): void; reject(e: unknown): void }): void {
    const error = this.#error;
    this.#error = undefined;
    if (error !== undefined) w.reject(error);
    else w.resolve({ value: undefined, done: true });
  }
}

/** Listener registry; `on` returns an unsubscribe function. Listener errors never break the emitter. */
export class Emitter<E extends { [K in keyof E]: (arg: any) => void }> {
  #map: { [K in keyof E]?: Set<E[K]> } = {};

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof E>(event: K, listener: E[K]): () => void {
    (this.#map[event] ??= new Set()).add(listener);
    return () => void this.#map[event]?.delete(listener);
  }

  /** Whether anything listens to `event`. */
  has(event: keyof E): boolean {
    return !!this.#map[event]?.size;
  }

  emit<K extends keyof E>(event: K, arg: Parameters<E[K]>[0]): void {
    for (const l of this.#map[event] ?? []) {
      try {
        l(arg);
      } catch {
        // A throwing listener must not stop message routing.
      }
    }
  }
}

/** Swallows a rejection so an unobserved promise never becomes an unhandled rejection. */
export function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}
