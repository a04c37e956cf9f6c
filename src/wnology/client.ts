import { HttpClient } from '../core/http.js';
import type { paths } from '../generated/wnology.js';
import { InvalidArgumentError } from '../core/errors.js';
import { parseWnologyErrorBody } from './errors.js';
import { WnologyNotebooksResource } from './notebooks.js';

/** Default API root of WNology. */
export const DEFAULT_WNOLOGY_BASE_URL = 'https://api.app.wnology.io';

/** Options for {@link WnologyClient}. */
export interface WnologyClientOptions {
  /** API access token, sent as `Authorization: Bearer <token>`; a function is called before every request. */
  token: string | (() => string | Promise<string>);
  /**
   * API root; any Losant-compatible host works (`https://api.losant.com`).
   * @default 'https://api.app.wnology.io'
   */
  baseUrl?: string | undefined;
  /** Sent as the `Accept-Version` header (e.g. `^1.24.5`) when set; by default none is sent and the server uses its own. */
  acceptVersion?: string | undefined;
  /** fetch to use; looked up on `globalThis` at call time when omitted. */
  fetch?: typeof fetch | undefined;
  /** Headers added to every request. */
  headers?: Record<string, string> | undefined;
  /** Milliseconds per request attempt. @default 60000 */
  timeout?: number | undefined;
  /** Retries of safe requests (GET/DELETE) on connection errors and 429/502/503/504. @default 2 */
  maxRetries?: number | undefined;
}

/**
 * Client for the notebooks of the WNology (Losant) REST API.
 * @example
 * const wn = new WnologyClient({ token: process.env.WNOLOGY_TOKEN! });
 * const { executionId } = await wn.notebooks.execute(appId, notebookId);
 */
export class WnologyClient {
  /** The HTTP core, typed by the operations of spec/wnology.yaml. */
  readonly http: HttpClient<paths>;
  readonly baseUrl: string;
  readonly options: Readonly<WnologyClientOptions>;
  /** Notebooks of an application, their runs, logs and usage. */
  readonly notebooks: WnologyNotebooksResource;
  private readonly recentTokens = new Set<string>();

  constructor(options: WnologyClientOptions) {
    if (!options?.token) throw new InvalidArgumentError('token is required (a WNology API access token)');
    this.options = options;
    this.http = new HttpClient({
      baseUrl: options.baseUrl ?? DEFAULT_WNOLOGY_BASE_URL,
      fetch: options.fetch,
      headers: { ...(options.acceptVersion ? { 'accept-version': options.acceptVersion } : {}), ...options.headers },
      timeout: options.timeout,
      maxRetries: options.maxRetries,
      authHeaders: () => this.authHeaders(),
      secrets: () => [...this.recentTokens, typeof options.token === 'string' ? options.token : undefined],
      parseErrorBody: parseWnologyErrorBody,
    });
    this.baseUrl = this.http.baseUrl;
    this.notebooks = new WnologyNotebooksResource(this);
  }

  private async authHeaders(): Promise<Record<string, string>> {
    const t = this.options.token;
    const token = typeof t === 'function' ? await t() : t;
    if (!token) return {};
    this.recentTokens.delete(token);
    this.recentTokens.add(token);
    if (this.recentTokens.size > 8) this.recentTokens.delete(this.recentTokens.values().next().value!);
    return { authorization: `Bearer ${token}` };
  }
}
