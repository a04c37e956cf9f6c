/**
 * `jupyter-sdk/mlw`: the client for the Jupyter integration of the Cumulocity Machine Learning Workbench.
 * @example
 * import { MlwClient } from 'jupyter-sdk/mlw';
 * const mlw = new MlwClient({ baseUrl: 'https://acme.cumulocity.com', auth: { token } });
 */
export { MlwClient, DEFAULT_MLW_SERVICE_PATH, type MlwClientOptions } from './client.js';
export { browserCookieAuth, type MlwAuth, type MlwBasicAuth, type MlwTokenAuth, type MlwHeaderAuth } from './auth.js';
export { mlwErrorDetails, type MlwErrorFields } from './errors.js';
export type { MlwNotebooksResource } from './notebooks.js';
export type { MlwSessionsResource } from './sessions.js';
export type { MlwProjectsResource } from './projects.js';
export type { MlwResourcesResource, MlwResourcesListParams, MlwNotebookCreateParams } from './resources.js';
export type * from './models.js';
export * from '../core/public.js';
