import type { Http } from '../core/http.js';
import type { paths } from '../generated/jupyterhub.js';

/** What the hub's resources share: the HTTP core, and what the event streams need beside it. */
export interface HubContext {
  readonly http: Http<paths>;
  /** The hub's root URL, without a trailing slash. */
  readonly baseUrl: string;
  /** The client's `maxRetries` option, for the starts a 429 refused. */
  readonly maxRetries: number | undefined;
  /** The client's `timeout` option, for the wait for an event stream's headers. */
  readonly timeout: number | undefined;
  /** The fetch every request goes through (bounded by `maxConcurrency`). */
  readonly fetch: typeof fetch;
  /** Headers and credentials of one request made outside the core (an event stream). */
  readonly headers: () => Promise<Record<string, string>>;
  /** Scrubs the client's credentials from a text bound for an error. */
  readonly redact: (text: string) => string;
}
