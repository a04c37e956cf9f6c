import { APIUserAbortError, BadRequestError, InvalidArgumentError, NotFoundError } from '../core/errors.js';
import { sleep } from '../core/deadline.js';
import type { RequestOptions } from '../core/http.js';
import { requireId } from '../core/validate.js';
import type { JupyterClient } from '../jupyter/client.js';
import type { HubClient } from './client.js';
import { ServerWaitTimeoutError } from './errors.js';
import type { ReadyServer, SpawnProgressEvent } from './models.js';
import { DEFAULT_READY_TIMEOUT_MS, DEFAULT_STOP_TIMEOUT_MS } from './servers.js';

/** What {@link startNamedServers} starts. */
export interface StartNamedServersParams {
  /** How many servers. */
  count: number;
  /** The servers are named `<prefix>-1` … `<prefix>-<count>`. @default `run-` and six random letters or digits */
  prefix?: string | undefined;
  /** Handed to the spawner as every server's `user_options` (e.g. a KubeSpawner profile). */
  options?: Record<string, unknown> | undefined;
  /** Milliseconds for all of them to be ready, from the call, before `ServerWaitTimeoutError`. @default 300000 */
  timeout?: number | undefined;
  /** Called with each progress event of each spawn, and the name of the server it is about. */
  onProgress?: ((server: string, event: SpawnProgressEvent) => void) | undefined;
}

/** Named servers started by {@link startNamedServers}, ready, with a client on each. */
export interface NamedServers {
  /** The user they belong to. */
  readonly user: string;
  /** Their models (`full_url` set), in order. */
  readonly servers: readonly ReadyServer[];
  /** A `JupyterClient` on each (with the hub client's token), in the same order: `runNotebooks` targets. */
  readonly clients: readonly JupyterClient[];
  /**
   * Stops and removes every one of them, waiting until the hub has; a server that is gone
   * already is fine. Safe to call more than once.
   * @throws the first error of a server that could not be removed, after trying them all
   */
  stop(options?: RequestOptions): Promise<void>;
}

/**
 * Starts `count` named servers of `user` at once and resolves once every one is ready, with a
 * `JupyterClient` on each and a `stop()` that stops and removes them all. When one fails to
 * start, times out or the `signal` aborts, every server it started is stopped and removed
 * before the error is thrown. The hub needs `allow_named_servers`; the token needs the
 * `servers`, `read:servers`, `delete:servers` and `access:servers` scopes on the user (a user's
 * own token has them).
 * @throws SpawnFailedError naming the user and server that failed to start
 * @throws ServerWaitTimeoutError when they were not all ready within `timeout`
 * @throws APIUserAbortError when `options.signal` aborts
 * @example
 * const pool = await startNamedServers(hub, 'ana', { count: 2 });
 * try {
 *   const results = await runNotebooks(pool.clients, items);
 * } finally {
 *   await pool.stop();
 * }
 */
export async function startNamedServers(hub: HubClient, user: string, params: StartNamedServersParams, options: RequestOptions = {}): Promise<NamedServers> {
  requireId(user, 'user name');
  const { count } = params;
  if (!Number.isSafeInteger(count) || count < 1) throw new InvalidArgumentError(`count must be a whole number of at least 1, got ${String(count)}`);
  const prefix = params.prefix ?? `run-${Math.random().toString(36).slice(2, 8).padEnd(6, '0')}`;
  const names = Array.from({ length: count }, (_, i) => requireId(`${prefix}-${i + 1}`, 'server name'));
  const timeout = params.timeout ?? DEFAULT_READY_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeout);
  // One failure stops the waits of the others: they are all removed anyway.
  const failed = new AbortController();
  const signal = AbortSignal.any([deadline, failed.signal, ...(options.signal ? [options.signal] : [])]);
  const last = new Map<string, SpawnProgressEvent>();
  // The starts are never aborted: once the hub has answered one, it knows the server, so the
  // removal that follows cannot run ahead of the spawn it asked for.
  const starts = names.map((name) => hub.servers.start(user, { name, options: params.options }, { ...options, signal: undefined }));
  for (const s of starts) s.catch(() => undefined);

  const remove = async (stopOptions: RequestOptions = {}) => {
    await Promise.allSettled(starts);
    const outcomes = await Promise.allSettled(names.map((name) => removeServer(hub, user, name, stopOptions)));
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason;
  };

  const waitOne = async (name: string, start: Promise<unknown>): Promise<ReadyServer> => {
    let settled = false;
    let startError: { error: unknown } | undefined;
    start.then(
      () => (settled = true),
      (error: unknown) => {
        settled = true;
        startError = { error };
      },
    );
    for (;;) {
      // Follow the spawn's progress while the hub holds the start request (up to its
      // slow_spawn_timeout); until the hub has the spawn, its progress answers 400 or 404.
      const settledBefore = settled;
      try {
        const server = await hub.servers.waitReady(
          user,
          { name, timeout, onProgress: (event) => (last.set(name, event), params.onProgress?.(name, event)) },
          { ...options, signal },
        );
        await start;
        return server;
      } catch (error) {
        if (startError) throw startError.error;
        if (settledBefore || signal.aborted || !(error instanceof BadRequestError || error instanceof NotFoundError)) throw error;
        await Promise.race([start.catch(() => undefined), sleep(100, signal).catch(() => undefined)]);
      }
    }
  };

  let servers: ReadyServer[];
  try {
    servers = await Promise.all(
      names.map((name, i) =>
        waitOne(name, starts[i]!).catch((error: unknown) => {
          failed.abort();
          throw error;
        }),
      ),
    );
  } catch (error) {
    // The first error is the one that counts: the others were cut off because of it.
    const cause = options.signal?.aborted
      ? new APIUserAbortError(undefined, { cause: error })
      : deadline.aborted
        ? timeoutError(user, names, last, timeout)
        : error;
    await remove().catch(() => undefined);
    throw cause;
  }
  let stopping: Promise<void> | undefined;
  return {
    user,
    servers,
    clients: names.map((server) => hub.jupyter(user, { server })),
    stop: (stopOptions) => (stopping ??= remove(stopOptions)),
  };
}

/** Names the first server that was not ready, with its last progress. */
function timeoutError(user: string, names: readonly string[], last: ReadonlyMap<string, SpawnProgressEvent>, timeout: number): ServerWaitTimeoutError {
  const late = names.find((n) => !last.get(n)?.ready) ?? names[0]!;
  return new ServerWaitTimeoutError(user, late, 'ready', timeout, last.get(late));
}

/**
 * Stops and removes one named server. JupyterHub refuses to stop a server while it spawns
 * (400 "is pending spawn, please wait"), so a pending one is waited for (ready or failed) first.
 */
async function removeServer(hub: HubClient, user: string, name: string, options: RequestOptions): Promise<void> {
  const timeout = DEFAULT_STOP_TIMEOUT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      await hub.servers.stop(user, { name, remove: true, timeout }, options);
      return;
    } catch (error) {
      if (error instanceof NotFoundError) return;
      const pending = error instanceof BadRequestError && /pending spawn/i.test(error.serverMessage ?? '');
      if (!pending || attempt >= 10) throw error;
    }
    await hub.servers.waitReady(user, { name, timeout }, options).catch((error: unknown) => {
      if (options.signal?.aborted || error instanceof ServerWaitTimeoutError) throw error;
      // Failed or no longer starting: either way it can be stopped now.
    });
    if (attempt > 0) await sleep(Math.min(2000, 100 * 2 ** attempt), options.signal);
  }
}
