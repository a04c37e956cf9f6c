/**
 * The cookie jar of the browser build, which compiles this module under cookie-jar.ts's name: it
 * keeps no cookies. A browser keeps the server's cookies itself and sends them with the page's
 * requests and WebSockets; its fetch hides `Set-Cookie` and drops a `Cookie` header, so the jar
 * of cookie-jar.ts would stay empty there and send nothing. Same surface, no work.
 */
import type { CookieJar as NodeCookieJar } from './cookie-jar.js';

type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export class CookieJar implements Pick<NodeCookieJar, keyof NodeCookieJar> {
  /** `fetch` as given (or the global one, looked up at call time): the browser adds its cookies. */
  wrap(inner?: FetchLike): typeof fetch {
    return (inner ?? ((input, init) => globalThis.fetch(input, init))) as typeof fetch;
  }

  /** Nothing: a browser sends its cookies itself. */
  header(_url: string): string | undefined {
    return undefined;
  }

  /** Nothing to store: a browser's fetch hides `Set-Cookie`. */
  store(_url: string, _headers: Headers): void {}

  /** No cookie values: none are held. */
  values(): string[] {
    return [];
  }
}

/** Nothing to bind: every client's jar is empty. */
export function bindCookieJar(_owner: object, _jar: CookieJar): void {}

/** An empty jar. */
export function cookieJarOf(_owner: object): CookieJar {
  return new CookieJar();
}
