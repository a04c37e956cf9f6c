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
  token: string | (() => string | Promise<string>);
}

/**
 * Headers computed before every request, e.g. `X-XSRF-TOKEN` for the cookie login of a browser app
 * (see {@link browserCookieAuth}) or headers forwarded from an incoming request in a microservice.
 */
export interface MlwHeaderAuth {
  headers: () => Record<string, string> | Promise<Record<string, string>>;
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
  return {
    headers: (): Record<string, string> => {
      const cookie = (globalThis as { document?: { cookie?: string } }).document?.cookie ?? '';
      const xsrf = /(?:^|;\s*)XSRF-TOKEN=([^;]*)/.exec(cookie)?.[1];
      return xsrf ? { 'x-xsrf-token': decodeURIComponent(xsrf) } : {};
    },
  };
}

/** The value of a Basic `Authorization` header for these credentials. */
export function basicAuthValue(auth: MlwBasicAuth): string {
  const user = auth.tenant ? `${auth.tenant}/${auth.username}` : auth.username;
  return 'Basic ' + toBase64(new TextEncoder().encode(`${user}:${auth.password}`));
}
