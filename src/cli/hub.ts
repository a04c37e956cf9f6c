/** `jupyter-sdk run --hub`: named servers of a JupyterHub user, started for the run and removed after it. */
import { APIUserAbortError, ConflictError, NotFoundError } from '../core/errors.js';
import { HubClient } from '../hub/client.js';
import { startNamedServers } from '../hub/named-servers.js';
import type { JupyterClient } from '../jupyter/client.js';
import { UsageError, type HubTarget } from './args.js';
import { describeError } from './errors.js';
import type { CliIO } from './io.js';
import { seconds, serverReporter } from './progress.js';

/** The servers a run got from the hub. */
export interface HubServers {
  user: string;
  /** Server names, in the order of `clients`. */
  names: string[];
  clients: readonly JupyterClient[];
  /** Stops and removes them all (once), saying so on stderr. */
  stop(): Promise<void>;
}

/** The user a service's or admin's token runs notebooks as when `--hub-user` is not given. */
export const DEFAULT_HUB_USER = 'jupyter-sdk';

/**
 * Finds whose servers to use, creates that user when missing (an admin's token), starts the
 * servers with progress on stderr and resolves once all are ready. Anything that goes wrong is a
 * one-line `UsageError` (exit 2) after every server started was removed; Ctrl-C is an
 * `APIUserAbortError`, also after the removal.
 */
export async function startHubServers(target: HubTarget, io: CliIO, style: 'bar' | 'lines' | 'none'): Promise<HubServers> {
  const hub = new HubClient({ baseUrl: target.url, token: target.token });
  const signal = io.signal;
  const say = (line: string) => {
    if (style !== 'none') io.stderr.write(`hub: ${line}\n`);
  };
  try {
    const me = await hub.me({ signal }).catch((error: unknown) => {
      if (error instanceof NotFoundError) throw new UsageError(`${target.url} does not answer like a JupyterHub (GET /hub/api/user: ${error.message}); --hub takes the hub's public URL`);
      throw error;
    });
    const user = target.user ?? (me.kind === 'user' ? me.name : DEFAULT_HUB_USER);
    if (me.kind !== 'user' || user !== me.name) {
      const exists = await hub.users.get(user, {}, { signal }).then(
        () => true,
        (error: unknown) => {
          if (error instanceof NotFoundError) return false;
          throw error;
        },
      );
      if (!exists) {
        await hub.users.create(user, {}, { signal }).catch((error: unknown) => {
          if (!(error instanceof ConflictError)) throw error;
        });
        say(`created user ${user}`);
      }
    }
    const count = target.servers;
    say(`starting ${count} ${count === 1 ? 'server' : 'servers'} for ${user} on ${target.url}`);
    const began = performance.now();
    const prefix = `run-${Math.random().toString(36).slice(2, 8).padEnd(6, '0')}`;
    const names = Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`);
    const reporter = serverReporter(io.stderr, style, names);
    // The spawns go on at the hub after Ctrl-C: they are waited for, then removed.
    const onAbort = () => {
      reporter.close();
      say(`interrupted: stopping and removing ${names.join(', ')} once the hub has them (Ctrl-C again leaves them)`);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    let pool;
    try {
      pool = await startNamedServers(
        hub,
        user,
        { count, prefix, options: target.options, timeout: target.timeout, onProgress: (server, event) => reporter.update(server, event) },
        { signal },
      );
    } finally {
      signal?.removeEventListener('abort', onAbort);
      reporter.close();
    }
    say(`${count === 1 ? 'server' : `${count} servers`} ready in ${seconds(performance.now() - began)}`);
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        const started = performance.now();
        say(`stopping and removing ${names.join(', ')}${signal?.aborted ? ' (Ctrl-C again leaves them)' : ''}`);
        await pool.stop().catch((error: unknown) => {
          throw new UsageError(`could not remove every server the run started (${names.join(', ')} of ${user}): ${describeError(error, 'hub').message}`);
        });
        say(`removed ${count === 1 ? 'the server' : `${count} servers`} in ${seconds(performance.now() - started)}`);
      })());
    return { user, names, clients: pool.clients, stop };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (error instanceof APIUserAbortError || signal?.aborted) throw new APIUserAbortError(undefined, { cause: error });
    throw new UsageError(describeError(error, 'hub').message);
  }
}
