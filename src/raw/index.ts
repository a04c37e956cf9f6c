/**
 * The escape hatch: a raw, fully typed openapi-fetch client over the same server, credentials
 * and fetch as a {@link JupyterClient}, for endpoints the SDK does not wrap. It returns
 * openapi-fetch's `{ data, error, response }` and does not throw typed errors or retry.
 * A separate entry point (`jupyter-sdk/raw`), with the generated `paths`, `components` and `operations` types.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../generated/jupyter-server.js';
import type { JupyterClient } from '../jupyter/client.js';

export type { paths, components, operations } from '../generated/jupyter-server.js';

/** A typed openapi-fetch client for the Jupyter Server spec. */
export type RawJupyterClient = Client<paths>;

/**
 * Creates a raw openapi-fetch client sharing `jupyter`'s base URL, token and fetch.
 * @example
 * const raw = createRawClient(jupyter);
 * const { data, error } = await raw.GET('/api/kernelspecs');
 */
export function createRawClient(jupyter: JupyterClient): RawJupyterClient {
  const client = createClient<paths>({
    baseUrl: jupyter.baseUrl,
    // The SDK's own: encoded segments with `/` kept in `{path}`, and the base URL's query on every request.
    ...jupyter.http.serializers,
    // Looked up per request so MSW or a later global fetch applies.
    fetch: (request) => (jupyter.options.fetch ?? globalThis.fetch)(request),
    headers: jupyter.options.headers,
  });
  client.use({
    async onRequest({ request }) {
      const token = await jupyter.token();
      if (token) request.headers.set('authorization', `token ${token}`);
      return request;
    },
  });
  return client;
}
