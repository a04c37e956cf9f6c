import { toBase64 } from '../core/base64.js';

/** Basic auth: `Authorization: Basic base64("<tenant>/<username>:<password>")`. */
export interface MlwBasicAuth {
  username: string;
  password: string;
  /** Tenant id (e.g. `t12345`); omit when the host already names the tenant. */
  tenant?: string | undefined;
  /** Two-factor token, sent as the `tfatoken` header when the tenant asks for one. */
  tfaToken?: string | undefined;
}

/** An OAI-Secure JWT, sent as `Authorization: Bearer <token>`; a function is called before every request. */
export interface MlwTokenAuth {
  /** The JWT, or a function returning the current one. */
  token: string | (() => string | Promise<string>);
}

/**
 * Headers computed before every request, e.g. `X-XSRF-TOKEN` for the cookie login of a browser app
 * (see {@link browserCookieAuth}) or headers forwarded from an incoming request in a microservice.
 * Every value they return is treated as a credential: it (and the token after a `Bearer`/`Basic`
 * scheme, and each value of a `cookie` header) is scrubbed from errors.
 */
export interface MlwHeaderAuth {
  /** Returns the headers to send with the next request. */
  headers: () => Record<string, string> | Promise<Record<string, string>>;
  /** More values to scrub from errors, e.g. a login cookie the browser sends on its own. */
  secrets?: (() => readonly (string | undefined)[]) | undefined;
}

/** How {@link MlwClient} authenticates: Basic, Bearer token, or custom headers. */
export type MlwAuth = MlwBasicAuth | MlwTokenAuth | MlwHeaderAuth;

/**
 * Cookie auth in a browser app served by the tenant: the browser sends the `authorization` cookie,
 * and this adds the `X-XSRF-TOKEN` header the platform checks it against.
 * @example
 * new MlwClient({ baseUrl: location.origin, auth: browserCookieAuth(), credentials: 'include' });
 */
export function browserCookieAuth(): MlwHeaderAuth {
  const cookie = (name: string): string | undefined => {
    const all = (globalThis as { document?: { cookie?: string } }).document?.cookie ?? '';
    const raw = new RegExp(`(?:^|;\\s*)${name}=([^;]*)`).exec(all)?.[1];
    return raw === undefined ? undefined : safeDecode(raw);
  };
  return {
    headers: (): Record<string, string> => {
      const xsrf = cookie('XSRF-TOKEN');
      return xsrf ? { 'x-xsrf-token': xsrf } : {};
    },
    // The JWT cookie itself is usually HttpOnly; when a page can read it, keep it out of errors too.
    secrets: () => [cookie('authorization')],
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The value of a Basic `Authorization` header for these credentials. */
export function basicAuthValue(auth: MlwBasicAuth): string {
  const user = auth.tenant ? `${auth.tenant}/${auth.username}` : auth.username;
  return 'Basic ' + toBase64(new TextEncoder().encode(`${user}:${auth.password}`));
}
