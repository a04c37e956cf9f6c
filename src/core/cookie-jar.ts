/**
 * A cookie jar for clients outside browsers (Node, Deno, Bun), where fetch keeps no cookies.
 *
 * Jupyter Server 2.x gives a token-authenticated caller a generated identity and remembers it in
 * a `username-<host>-<port>` cookie set on every answer (errors too), which on its own
 * authenticates later requests. Without a jar, every request of one client is a new anonymous
 * user; with one jar per client, one client is one identity. A browser keeps cookies itself:
 * there fetch hides `Set-Cookie` and refuses a `Cookie` header, so the jar stays empty and sends
 * nothing.
 *
 * Cookies are kept per origin (scheme, host and port): one server's cookies never go to another,
 * even on the same host (a browser would share them across ports). `Path`, `Max-Age`, `Expires`
 * and `Secure` are honoured; `Domain` is not (no cookie is shared beyond its origin).
 */

interface StoredCookie {
  name: string;
  value: string;
  path: string;
  secure: boolean;
  /** Epoch ms, or Infinity for a session cookie. */
  expires: number;
}

type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export class CookieJar {
  // origin -> "path\tname" -> cookie
  readonly #byOrigin = new Map<string, Map<string, StoredCookie>>();

  /**
   * `fetch` (or the global one, looked up at call time) with this jar: stored cookies that match
   * the URL go out in a `Cookie` header, and every answer's `Set-Cookie` is stored.
   */
  wrap(inner?: FetchLike): typeof fetch {
    return (async (input: string | URL | Request, init?: RequestInit) => {
      const doFetch = inner ?? (globalThis.fetch as FetchLike);
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const cookie = this.header(url);
      const response = await doFetch(input, cookie ? { ...init, headers: withCookie(init?.headers ?? (input instanceof Request ? input.headers : undefined), cookie) } : init);
      this.store(response.url || url, response.headers);
      return response;
    }) as typeof fetch;
  }

  /** The `Cookie` header value for a request to `url`, or undefined when no stored cookie matches. */
  header(url: string): string | undefined {
    const u = parse(url);
    const jar = u && this.#byOrigin.get(originOf(u));
    if (!u || !jar) return undefined;
    const now = Date.now();
    const out: string[] = [];
    for (const [key, c] of jar) {
      if (c.expires <= now) jar.delete(key);
      else if ((!c.secure || /^(https|wss):$/.test(u.protocol)) && pathMatches(u.pathname, c.path)) out.push(`${c.name}=${c.value}`);
    }
    return out.length ? out.join('; ') : undefined;
  }

  /** Stores the `Set-Cookie` headers of an answer from `url`. */
  store(url: string, headers: Headers): void {
    const u = parse(url);
    if (!u) return;
    const lines = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : splitSetCookie(headers.get('set-cookie'));
    for (const line of lines) this.#set(u, line);
  }

  /** Every stored cookie value: they authenticate as well as a token, so errors must not show them. */
  values(): string[] {
    const out: string[] = [];
    for (const jar of this.#byOrigin.values()) for (const c of jar.values()) out.push(c.value, c.value.replace(/^"|"$/g, ''));
    return out;
  }

  #set(u: URL, line: string): void {
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    let path = defaultPath(u.pathname);
    let secure = false;
    let expires = Infinity;
    let maxAge: number | undefined;
    for (const attribute of attributes) {
      const i = attribute.indexOf('=');
      const key = (i < 0 ? attribute : attribute.slice(0, i)).trim().toLowerCase();
      const val = i < 0 ? '' : attribute.slice(i + 1).trim();
      if (key === 'path' && val.startsWith('/')) path = val;
      else if (key === 'secure') secure = true;
      else if (key === 'max-age' && /^-?\d+$/.test(val)) maxAge = Number(val);
      else if (key === 'expires') {
        const at = Date.parse(val);
        if (!Number.isNaN(at)) expires = at;
      }
    }
    // Max-Age wins over Expires (RFC 6265 5.3); zero or less, or a past date, deletes the cookie.
    if (maxAge !== undefined) expires = maxAge <= 0 ? 0 : Date.now() + maxAge * 1000;
    const origin = originOf(u);
    let jar = this.#byOrigin.get(origin);
    if (!jar) this.#byOrigin.set(origin, (jar = new Map()));
    const key = `${path}\t${name}`;
    if (expires <= Date.now()) jar.delete(key);
    else jar.set(key, { name, value, path, secure, expires });
  }
}

// One jar per client, found by the client object: the jar is not reachable through the client's
// public surface, but every part of the SDK working for that client (REST, sockets) shares it.
const jars = new WeakMap<object, CookieJar>();

/** Makes `jar` the cookie jar of `owner` (a client that built its jar before it existed itself). */
export function bindCookieJar(owner: object, jar: CookieJar): void {
  jars.set(owner, jar);
}

/** The cookie jar of `owner` (a client), made on first use. */
export function cookieJarOf(owner: object): CookieJar {
  let jar = jars.get(owner);
  if (!jar) jars.set(owner, (jar = new CookieJar()));
  return jar;
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url, (globalThis as { location?: { href: string } }).location?.href);
  } catch {
    return undefined;
  }
}

/** The server a cookie belongs to; `ws(s)://` requests go to the same server as `http(s)://` ones. */
function originOf(u: URL): string {
  const secure = u.protocol === 'https:' || u.protocol === 'wss:';
  return `${secure ? 'https' : 'http'}://${u.host}`;
}

/** RFC 6265 5.1.4: the request path is the cookie path, or below it. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

/** RFC 6265 5.1.4: the directory of the request path when the cookie names no path. */
function defaultPath(requestPath: string): string {
  const last = requestPath.lastIndexOf('/');
  return last <= 0 ? '/' : requestPath.slice(0, last);
}

/**
 * Splits a `Set-Cookie` header that a fetch without `getSetCookie` joined with commas. A comma
 * also sits inside `Expires=Fri, 01 Jan 2027 ...`, so only a comma followed by `name=` splits.
 */
function splitSetCookie(joined: string | null): string[] {
  return joined ? joined.split(/,(?=\s*[^;=,\s]+=)/) : [];
}

/**
 * A copy of `headers` (any HeadersInit, kept in its form) with the jar's cookies added to the
 * caller's own `Cookie` header; a cookie the caller set by name wins over the jar's.
 */
function withCookie(headers: HeadersInit | undefined, cookie: string): HeadersInit {
  const merge = (own: string | null | undefined) => {
    if (!own) return cookie;
    const names = new Set(own.split(';').map((p) => p.split('=')[0]!.trim()));
    const ours = cookie.split('; ').filter((p) => !names.has(p.slice(0, p.indexOf('='))));
    return ours.length ? `${own}; ${ours.join('; ')}` : own;
  };
  if (headers instanceof Headers || Array.isArray(headers)) {
    const h = new Headers(headers);
    h.set('cookie', merge(h.get('cookie')));
    return h;
  }
  const out: Record<string, string> = {};
  let own: string | undefined;
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (k.toLowerCase() === 'cookie') own = v;
    else out[k] = v;
  }
  out.cookie = merge(own);
  return out;
}
