/**
 * `jupyter-sdk/raw`: the generated types of the Jupyter Server spec (`paths`, `components`,
 * `operations`), for typing what the escape hatch returns or a mock server's handlers.
 *
 * The escape hatch itself is {@link JupyterClient.api}: the typed openapi-fetch client every call
 * of the client goes through, authenticated like it. `createRawClient(jupyter)` is the same object
 * under its earlier name.
 */
import type { Client } from 'openapi-fetch';
import type { paths } from '../generated/jupyter-server.js';
import type { JupyterCore } from '../jupyter/core.js';

export type { paths, components, operations } from '../generated/jupyter-server.js';

/** A typed openapi-fetch client for the Jupyter Server spec. */
export type RawJupyterClient = Client<paths>;

/**
 * The client's escape hatch, `jupyter.api`.
 * @deprecated Use `jupyter.api`, the same object.
 * @example
 * const { data, error } = await createRawClient(jupyter).GET('/api/kernelspecs');
 */
export function createRawClient(jupyter: JupyterCore): RawJupyterClient {
  return jupyter.api;
}
