/**
 * Friendly names for the JupyterHub models, generated from spec/jupyterhub.yaml.
 * Users import these instead of indexing the generated `components`.
 */
import type { components } from '../generated/jupyterhub.js';

type S = components['schemas'];

/** `GET /hub/api`: the hub's version. */
export type HubVersion = S['Version'];
/** `GET /hub/api/info`: version, Python, authenticator and spawner of the hub. */
export type HubInfo = S['HubInfo'];
/** A hub user, with their active servers by name (`''` is the default server). */
export type HubUser = S['User'];
/** One of a user's servers. `url` is a path (`/user/ana/`); see {@link ReadyServer} for a full URL. */
export type HubServer = S['Server'];
/** A server that is up: `ready` is true and `full_url` is its absolute URL. */
export type ReadyServer = HubServer & { ready: true; full_url: string };
/** The user or service a token belongs to (`kind`), with the token's expanded scopes. */
export type HubIdentity = S['RequestIdentity'];
/** {@link HubIdentity} of a user's token: the user's model with the token's scopes. */
export type HubUserIdentity = S['UserIdentity'];
/** {@link HubIdentity} of a service's token: the service's model with the token's scopes. */
export type HubServiceIdentity = S['ServiceIdentity'];
/** A group: its name and the names of its users. */
export type HubGroup = S['Group'];
/** A service registered with the hub (an external API client or a process the hub runs). */
export type HubService = S['Service'];
/** A token's model, without its value. */
export type HubToken = S['Token'];
/** A token just created: the only answer that carries its value (`token`). */
export type HubNewToken = S['NewToken'];
/** One event of a spawn's progress stream; the last has `ready: true` or `failed: true`. */
export type SpawnProgressEvent = S['ProgressEvent'];
/** Page info of a paged hub list. */
export type HubPagination = S['Pagination'];
/** The JSON error body of the hub's API. */
export type HubErrorBody = S['HubError'];
