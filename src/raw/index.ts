/**
 * The escape hatch: a raw, fully typed openapi-fetch client over the same server, credentials
 * and fetch as a {@link JupyterClient}, for endpoints the SDK does not wrap. It returns
 * openapi-fetch's `{ data, error, response }` and does not throw typed errors or retry.
 * A separate entry point (`jupyter-sdk/raw`) so that openapi-fetch stays out of bundles that do not use it.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../generated/jupyter-server.js';
import type { JupyterClient } from '../jupyter/client.js';
import { encodePath } from '../core/validate.js';

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
    // Looked up per request so MSW or a later global fetch applies.
    fetch: (request) => (jupyter.options.fetch ?? globalThis.fetch)(request),
    // `{path}` keeps its `/` separators; every other parameter is one encoded segment.
    pathSerializer: (pathname, params) =>
      pathname.replace(/\{([^}]+)\}/g, (_, name: string) => {
        const value = String(params[name] ?? '');
        return name === 'path' ? encodePath(value) : encodeURIComponent(value);
      }),
    headers: jupyter.options.headers,
  });
  const baseQuery = new URLSearchParams(jupyter.http.baseQuery);
  client.use({
    async onRequest({ request }) {
      const token = await jupyter.token();
      if (token) request.headers.set('authorization', `token ${token}`);
      if (!baseQuery.size) return request;
      // A query on the base URL (a proxy's, say) goes with every request, as JupyterClient sends it.
      const url = new URL(request.url);
      baseQuery.forEach((v, k) => url.searchParams.has(k) || url.searchParams.append(k, v));
      return new Request(url, request);
    },
  });
  return client;
}
