/**
 * `jupyter-sdk/hub`: the client for JupyterHub, the scale path from one Jupyter server to a
 * server per user.
 * @example
 * import { HubClient } from 'jupyter-sdk/hub';
 * const hub = new HubClient({ baseUrl: 'http://127.0.0.1:8000', token });
 */
export { HubClient, DEFAULT_HUB_CONCURRENCY, type HubClientOptions } from './client.js';
export type { UsersResource, UserListParams } from './users.js';
export {
  DEFAULT_READY_TIMEOUT_MS,
  DEFAULT_STOP_TIMEOUT_MS,
  type ServersResource,
  type ServerRef,
  type ServerStartParams,
  type ServerStartState,
  type ServerStopParams,
  type ServerWaitParams,
} from './servers.js';
export type { TokensResource, TokenCreateParams } from './tokens.js';
export type { GroupsResource } from './groups.js';
export type { ServicesResource } from './services.js';
export type { PageWindow } from './pages.js';
export { startNamedServers, type NamedServers, type StartNamedServersParams } from './named-servers.js';
export { SpawnFailedError, ServerWaitTimeoutError } from './errors.js';
export type * from './models.js';
export type { JupyterClient } from '../jupyter/client.js';
export * from '../core/public.js';
