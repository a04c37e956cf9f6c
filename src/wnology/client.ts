import { ClientBase, tokenAuth, type ClientOptions } from '../core/client-base.js';
import type { paths } from '../generated/wnology.js';
import { InvalidArgumentError } from '../core/errors.js';
import { parseWnologyErrorBody } from './errors.js';
import { WnologyNotebooksResource } from './notebooks.js';

/** Default API root of WNology. */
export const DEFAULT_WNOLOGY_BASE_URL = 'https://api.app.wnology.io';

/** Options for {@link WnologyClient}. */
export interface WnologyClientOptions extends ClientOptions {
  /** API access token, sent as `Authorization: Bearer <token>`; a function is called before every request. */
  token: string | (() => string | Promise<string>);
  /**
   * API root; any Losant-compatible host works (`https://api.losant.com`).
   * @default 'https://api.app.wnology.io'
   */
  baseUrl?: string | undefined;
  /** Sent as the `Accept-Version` header (e.g. `^1.24.5`) when set; by default none is sent and the server uses its own. */
  acceptVersion?: string | undefined;
}

/**
 * Client for the notebooks of the WNology (Losant) REST API.
 * @example
 * const wn = new WnologyClient({ token: process.env.WNOLOGY_TOKEN! });
 * const { executionId } = await wn.notebooks.execute(appId, notebookId);
 */
export class WnologyClient extends ClientBase<paths> {
  /** Notebooks of an application, their runs, logs and usage. */
  readonly notebooks: WnologyNotebooksResource;

  constructor(options: WnologyClientOptions) {
    if (!options?.token) throw new InvalidArgumentError('token is required (a WNology API access token)');
    const { token } = options;
    super(
      { ...options, headers: { ...(options.acceptVersion ? { 'accept-version': options.acceptVersion } : {}), ...options.headers } },
      {
        baseUrl: options.baseUrl ?? DEFAULT_WNOLOGY_BASE_URL,
        auth: tokenAuth('Bearer', token),
        secrets: () => [typeof token === 'string' ? token : undefined],
        parseErrorBody: parseWnologyErrorBody,
      },
    );
    this.notebooks = new WnologyNotebooksResource(this.http);
  }
}
