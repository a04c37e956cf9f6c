import { JupyterSDKError, WaitTimeoutError } from '../core/errors.js';
import type { SpawnProgressEvent } from './models.js';

/** How messages name a server: `ana's default server`, `ana's server "gpu"`. */
export function describeServer(user: string, server: string): string {
  return server ? `${user}'s server ${JSON.stringify(server)}` : `${user}'s default server`;
}

/** A user server failed to start: the spawner raised, or the process exited or timed out. */
export class SpawnFailedError extends JupyterSDKError {
  override name = 'SpawnFailedError';
  readonly user: string;
  /** The server's name; `''` for the default server. */
  readonly server: string;
  /** The hub's reason, e.g. `Spawn failed: Server at ... didn't respond in 30 seconds`. */
  readonly reason: string;
  /** The progress event that reported the failure, when there was one. */
  readonly event: SpawnProgressEvent | undefined;
  constructor(user: string, server: string, reason: string, options: { event?: SpawnProgressEvent; cause?: unknown } = {}) {
    super(`${describeServer(user, server)} failed to start: ${reason}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.user = user;
    this.server = server;
    this.reason = reason;
    this.event = options.event;
  }
}

/** `servers.waitReady` or `servers.stop({ wait: true })` gave up: the server was still not there after `timeout`. */
export class ServerWaitTimeoutError extends WaitTimeoutError {
  override name = 'ServerWaitTimeoutError';
  readonly user: string;
  /** The server's name; `''` for the default server. */
  readonly server: string;
  /** What was waited for. */
  readonly waitingFor: 'ready' | 'stopped';
  /** The last progress event seen while waiting for `ready`, if any. */
  readonly lastEvent: SpawnProgressEvent | undefined;
  constructor(user: string, server: string, waitingFor: 'ready' | 'stopped', timeout: number, lastEvent?: SpawnProgressEvent) {
    const last = lastEvent ? ` (last progress: ${lastEvent.progress}%${lastEvent.message ? ` ${lastEvent.message}` : ''})` : '';
    super(`${describeServer(user, server)} was not ${waitingFor} after ${timeout} ms${last}`, timeout);
    this.user = user;
    this.server = server;
    this.waitingFor = waitingFor;
    this.lastEvent = lastEvent;
  }
}
