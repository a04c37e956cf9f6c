import { backoffDelay } from '../core/backoff.js';
import { sleep } from '../core/deadline.js';
import type { UsersResource } from './users.js';
import { APIError, APIUserAbortError, BadRequestError, InternalServerError, NotFoundError, RateLimitError } from '../core/errors.js';
import type { RequestOptions } from '../core/http.js';
import { requireId } from '../core/validate.js';
import type { HubContext } from './context.js';
import { ServerWaitTimeoutError, SpawnFailedError } from './errors.js';
import type { HubServer, ReadyServer, SpawnProgressEvent } from './models.js';
import { readEvents } from './sse.js';
import { openEventStream } from './stream.js';

/** Names a server of a user: the default one when `name` is omitted or `''`. */
export interface ServerRef {
  /** A named server's name. @default '' (the default server) */
  name?: string | undefined;
}

export interface ServerStartParams extends ServerRef {
  /** Handed to the spawner as `user_options` (what it understands depends on the spawner, e.g. a profile). */
  options?: Record<string, unknown> | undefined;
}

export interface ServerWaitParams extends ServerRef {
  /** Milliseconds to wait for the server before `ServerWaitTimeoutError`. @default 300000 */
  timeout?: number | undefined;
  /** Called with each progress event of the spawn. */
  onProgress?: ((event: SpawnProgressEvent) => void) | undefined;
}

export interface ServerStopParams extends ServerRef {
  /** Also delete the named server and its state; its name then answers 404. Not for the default server. */
  remove?: boolean | undefined;
  /** Resolve only once the server is stopped (and removed), when the hub answers "still stopping". @default true */
  wait?: boolean | undefined;
  /** Milliseconds to wait for the stop before `ServerWaitTimeoutError`. @default 120000 */
  timeout?: number | undefined;
}

/** What {@link ServersResource.start} found: the server is up (`'ready'`) or still starting (`'pending'`). */
export type ServerStartState = 'ready' | 'pending';

/** How long {@link ServersResource.waitReady} waits by default: 5 minutes, room for a pod to be scheduled and pull its image. */
export const DEFAULT_READY_TIMEOUT_MS = 300_000;
/** How long {@link ServersResource.stop} waits for a stop by default: 2 minutes. */
export const DEFAULT_STOP_TIMEOUT_MS = 120_000;

/** A user's default and named servers: start, follow, wait for, stop. */
export class ServersResource {
  constructor(
    private readonly hub: HubContext,
    private readonly users: UsersResource,
  ) {}

  /**
   * Asks the hub to start a user's server. A server that is already running or starting is not
   * an error. The hub waits up to its `slow_spawn_timeout` (10 s) before answering "pending".
   * `POST /hub/api/users/{name}/server` or `.../servers/{server_name}`
   *
   * A 429 (the hub's `concurrent_spawn_limit`) is retried after its `Retry-After`, up to
   * `maxRetries` times: the hub refused before starting anything, so repeating is safe.
   * @returns `'ready'` when the server is up, `'pending'` while it starts (see {@link waitReady})
   * @throws SpawnFailedError when the spawn fails before the hub answers, with the hub's reason
   */
  async start(user: string, params: ServerStartParams = {}, options: RequestOptions = {}): Promise<ServerStartState> {
    const name = this.userName(user);
    const server = this.serverName(params.name);
    const body = params.options ?? {};
    const maxRetries = options.maxRetries ?? this.hub.maxRetries ?? 2;
    for (let attempt = 0; ; attempt++) {
      try {
        if (server) {
          const path = { name, server_name: server };
          await this.hub.http.call('post', '/hub/api/users/{name}/servers/{server_name}', { path, body }, options, 'none');
        } else {
          await this.hub.http.call('post', '/hub/api/users/{name}/server', { path: { name }, body }, options, 'none');
        }
        break;
      } catch (err) {
        if (err instanceof BadRequestError && /already running/i.test(err.serverMessage ?? '')) return 'ready';
        if (err instanceof InternalServerError) throw await this.spawnFailure(name, server, err, options);
        if (err instanceof RateLimitError && attempt < maxRetries) {
          await this.pause(err, attempt, options.signal);
          continue;
        }
        throw err;
      }
    }
    // 201 (up) and 202 (starting) both end here: the model tells which, and stays true if the
    // server got ready (or stopped) in between. A token that may start but not read servers
    // learns nothing from it: 'pending' then only means "see waitReady".
    const model = await this.find(name, server, options).catch(() => undefined);
    return model?.ready ? 'ready' : 'pending';
  }

  /**
   * Waits until a user's server is ready, following the spawn's progress events, and resolves
   * to its model with `full_url` set. A server that is already up resolves at once. Needs the
   * `read:servers` scope on the user (the progress stream and the user's model).
   * @throws SpawnFailedError when the spawn fails, with the hub's reason
   * @throws ServerWaitTimeoutError when `timeout` passes first
   * @throws BadRequestError when the server is neither running nor starting
   * @example
   * await hub.servers.start('ana');
   * const server = await hub.servers.waitReady('ana', { onProgress: (e) => console.log(e.progress, e.message) });
   */
  async waitReady(user: string, params: ServerWaitParams = {}, options: RequestOptions = {}): Promise<ReadyServer> {
    const name = this.userName(user);
    const server = this.serverName(params.name);
    const timeout = params.timeout ?? DEFAULT_READY_TIMEOUT_MS;
    let last: SpawnProgressEvent | undefined;
    return this.withDeadline(options.signal, timeout, () => new ServerWaitTimeoutError(name, server, 'ready', timeout, last), async (signal) => {
      for (;;) {
        let ended = false;
        try {
          for await (const event of this.progress(name, { name: server }, { ...options, signal })) {
            last = event;
            params.onProgress?.(event);
          }
          ended = true;
        } catch (err) {
          // Not starting: it may have become ready between the start and this request.
          if (!(err instanceof BadRequestError)) throw err;
          const model = await this.find(name, server, { ...options, signal });
          if (model?.ready) return this.ready(model);
          throw err;
        }
        if (last?.failed) throw new SpawnFailedError(name, server, last.message ?? 'Spawn failed', { event: last });
        const model = await this.find(name, server, { ...options, signal });
        if (model?.ready) return this.ready(model);
        // The stream ended without a verdict (a proxy closed it) or the server is not ready yet
        // after its ready event: look again shortly.
        if (ended) await sleep(500, signal);
      }
    });
  }

  /**
   * The progress events of a user's server spawn, as they come; the iteration ends after the
   * event with `ready` or `failed`. A server that is already up yields one ready event.
   * Breaking out of the loop closes the stream.
   * `GET /hub/api/users/{name}/server/progress` (server-sent events)
   * @throws BadRequestError when the server is neither running nor starting
   * @example
   * for await (const e of hub.servers.progress('ana')) console.log(`${e.progress}% ${e.message}`);
   */
  async *progress(user: string, params: ServerRef = {}, options: RequestOptions = {}): AsyncGenerator<SpawnProgressEvent> {
    const name = this.userName(user);
    const server = this.serverName(params.name);
    const path = server
      ? `/hub/api/users/${encodeURIComponent(name)}/servers/${encodeURIComponent(server)}/progress`
      : `/hub/api/users/${encodeURIComponent(name)}/server/progress`;
    const { body, release } = await openEventStream(this.hub, path, options);
    try {
      for await (const data of readEvents(body, options.signal)) {
        if (typeof data.progress !== 'number') continue;
        const event = data as SpawnProgressEvent;
        yield event;
        if (event.ready || event.failed) return;
      }
    } catch (err) {
      if (options.signal?.aborted) throw new APIUserAbortError(undefined, { cause: err });
      throw err;
    } finally {
      release();
    }
    if (options.signal?.aborted) throw new APIUserAbortError();
  }

  /**
   * Stops a user's server (and removes a named one when asked), by default waiting until it
   * is stopped. Stopping a server that is not running is not an error.
   * `DELETE /hub/api/users/{name}/server` or `.../servers/{server_name}`
   * @throws NotFoundError when the user has no server of that name
   * @throws ServerWaitTimeoutError when `wait` and the stop takes longer than `timeout`
   */
  async stop(user: string, params: ServerStopParams = {}, options: RequestOptions = {}): Promise<void> {
    const name = this.userName(user);
    const server = this.serverName(params.name);
    if (server) {
      const body = params.remove ? { remove: true } : undefined;
      await this.hub.http.call('delete', '/hub/api/users/{name}/servers/{server_name}', { path: { name, server_name: server }, body }, options, 'none');
    } else {
      try {
        await this.hub.http.call('delete', '/hub/api/users/{name}/server', { path: { name } }, options, 'none');
      } catch (err) {
        // JupyterHub 3.0 answers 500 for a user that does not exist; reading the user says 404.
        if (err instanceof InternalServerError) await this.users.get(name, {}, options);
        throw err;
      }
    }
    if (params.wait === false) return;
    const timeout = params.timeout ?? DEFAULT_STOP_TIMEOUT_MS;
    await this.withDeadline(options.signal, timeout, () => new ServerWaitTimeoutError(name, server, 'stopped', timeout), async (signal) => {
      // The hub answers 202 while a stop takes long; a removed server also leaves the
      // stopped-servers list only once its stop is over.
      for (let attempt = 0; ; attempt++) {
        const model = await this.find(name, server, { ...options, signal }, params.remove);
        if (!model || (!params.remove && !model.pending && !model.ready)) return;
        await sleep(Math.min(2000, 100 * 2 ** attempt), signal);
      }
    });
  }

  /** A user's servers, stopped ones included (`stopped: true`). `GET /hub/api/users/{name}?include_stopped_servers` */
  async list(user: string, options?: RequestOptions): Promise<HubServer[]> {
    const model = await this.users.get(this.userName(user), { includeStoppedServers: true }, options);
    return Object.values(model.servers ?? {});
  }

  /**
   * One of a user's servers, stopped or not, with `full_url` set.
   * @throws NotFoundError when the user has no server of that name
   */
  async get(user: string, params: ServerRef = {}, options?: RequestOptions): Promise<HubServer> {
    const name = this.userName(user);
    const server = this.serverName(params.name);
    const model = await this.find(name, server, options, true);
    if (!model) throw this.notFound(name, server);
    return this.withUrl(model);
  }

  /** The server's model from its user's, or undefined when the user has none of that name (active, or also stopped). */
  private async find(user: string, server: string, options?: RequestOptions, includeStopped = false): Promise<HubServer | undefined> {
    const model = await this.users.get(user, { includeStoppedServers: includeStopped }, options);
    return model.servers?.[server];
  }

  private ready(model: HubServer): ReadyServer {
    return this.withUrl(model) as ReadyServer;
  }

  private withUrl(model: HubServer): HubServer {
    return { ...model, full_url: model.full_url ?? new URL(model.url, this.hub.baseUrl + '/').href };
  }

  /**
   * A 500 from a start means the spawn failed within the hub's wait; the progress stream then
   * replays the failure with the spawner's reason, which the 500 ("error") does not carry.
   */
  private async spawnFailure(user: string, server: string, err: APIError, options: RequestOptions): Promise<Error> {
    try {
      for await (const event of this.progress(user, { name: server }, options)) {
        if (event.failed) return new SpawnFailedError(user, server, event.message ?? 'Spawn failed', { event, cause: err });
      }
    } catch {
      // No reason to be had: the 500 is all there is.
    }
    return new SpawnFailedError(user, server, err.message, { cause: err });
  }

  private async pause(err: APIError, attempt: number, signal: AbortSignal | undefined): Promise<void> {
    const seconds = Number(err.headers['retry-after']);
    const delay = Number.isFinite(seconds) && seconds >= 0 && seconds <= 60 ? seconds * 1000 : backoffDelay(attempt);
    try {
      await sleep(delay, signal);
    } catch (reason) {
      throw new APIUserAbortError(undefined, { cause: reason });
    }
  }

  /** Runs `work` with a signal that aborts at the caller's abort or after `timeout`; the timeout becomes `onTimeout()`. */
  private async withDeadline<T>(outer: AbortSignal | undefined, timeout: number, onTimeout: () => Error, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const deadline = AbortSignal.timeout(timeout);
    const signal = outer ? AbortSignal.any([outer, deadline]) : deadline;
    try {
      return await work(signal);
    } catch (err) {
      if (outer?.aborted) throw err instanceof APIUserAbortError ? err : new APIUserAbortError(undefined, { cause: err });
      if (deadline.aborted) throw onTimeout();
      throw err;
    }
  }

  private notFound(user: string, server: string): NotFoundError {
    const path = server ? `/hub/api/users/${encodeURIComponent(user)}/servers/${encodeURIComponent(server)}` : `/hub/api/users/${encodeURIComponent(user)}/server`;
    return new NotFoundError({ status: 404, serverMessage: `${user} has no server named '${server}'`, method: 'GET', url: this.hub.redact(this.hub.baseUrl + path) });
  }

  private userName(user: string): string {
    return requireId(user, 'user name');
  }

  private serverName(name: string | undefined): string {
    return name === undefined || name === '' ? '' : requireId(name, 'server name');
  }
}
