/**
 * A fetch that lets at most `max` requests wait for their answer at once; the others queue in
 * order. The slot is freed when the response headers arrive, so a long body (a progress stream)
 * does not hold it. A queued request whose signal aborts leaves the queue at once.
 */
export function limitConcurrency(max: number, getFetch: () => typeof fetch): typeof fetch {
  if (!(max >= 1) || max === Infinity) return (input, init) => getFetch()(input, init);
  let active = 0;
  const queue: Array<() => void> = [];
  const release = () => {
    active--;
    queue.shift()?.();
  };
  const acquire = (signal: AbortSignal | null | undefined): Promise<void> => {
    if (active < max) {
      active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const go = () => {
        signal?.removeEventListener('abort', onAbort);
        active++;
        resolve();
      };
      const onAbort = () => {
        const i = queue.indexOf(go);
        if (i >= 0) queue.splice(i, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(go);
    });
  };
  return async (input, init) => {
    await acquire(init?.signal ?? (input instanceof Request ? input.signal : undefined));
    try {
      return await getFetch()(input, init);
    } finally {
      release();
    }
  };
}
