import { raceSignal } from './deadline.js';
import { APIUserAbortError } from './errors.js';
import type { RequestOptions } from './http.js';

/** Time limit of the background clean-up after an aborted create. */
export const UNDO_TIMEOUT_MS = 10_000;

/**
 * Sends a request that creates something costly on the server (a kernel, a session) so that an
 * abort leaves nothing behind. Cutting such a request off does not stop the server: Jupyter
 * Server goes on starting the kernel it was asked for, and the caller would never learn its id.
 * So the caller's signal rejects the call at once with `APIUserAbortError`, while the request
 * runs on (bounded by its own timeout); if it succeeds, `undo` removes what it created. Nothing
 * that happens in the background surfaces as an error.
 */
export async function undoIfAborted<T>(
  options: RequestOptions | undefined,
  create: (options: RequestOptions) => Promise<T>,
  undo: (created: T) => Promise<unknown>,
): Promise<T> {
  const { signal, ...rest } = options ?? {};
  if (signal?.aborted) throw new APIUserAbortError();
  const created = create(rest);
  try {
    return await raceSignal(created, signal);
  } catch (error) {
    if (!signal?.aborted) throw error;
    created.then(undo).catch(() => undefined);
    throw new APIUserAbortError(undefined, { cause: error });
  }
}
