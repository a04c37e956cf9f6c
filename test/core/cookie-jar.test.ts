import { describe, expect, it, vi } from 'vitest';
import { JupyterClient, NotFoundError } from 'jupyter-sdk';
import { CookieJar, cookieJarOf } from '../../src/core/cookie-jar.js';

const BASE = 'http://127.0.0.1:8888';
const ID = 'username-127-0-0-1-8888';
const VALUE = '"2|1:0|10:1796217756|24:username-127-0-0-1-8888|232:eyJ1c2VybmFtZSI6ICJmOGFl=|fa15c806ddb6faa7"';

/** A fetch that answers with `set` as Set-Cookie lines and records the Cookie header of each request. */
function server(set: (url: string) => string[] = () => [], status = 200) {
  const sent: (string | null)[] = [];
  const fetch = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    sent.push(new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)).get('cookie'));
    const headers = new Headers({ 'content-type': 'application/json' });
    for (const line of set(url)) headers.append('set-cookie', line);
    return new Response(status === 404 ? '{"message": "nope", "reason": null}' : '{"version": "2.21.1"}', { status, headers });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, sent };
}

describe('CookieJar', () => {
  it('sends back what the server set, value as sent (quotes included), and stores answers to errors too', async () => {
    const jar = new CookieJar();
    const s = server(() => [`${ID}=${VALUE}; expires=Fri, 01 Jan 2100 13:22:36 GMT; HttpOnly; Path=/`], 404);
    const f = jar.wrap(s.fetch);
    await f(`${BASE}/api/contents/x`);
    await f(`${BASE}/api/status`, { headers: { authorization: 'token t' } });
    expect(s.sent).toEqual([null, `${ID}=${VALUE}`]);
  });

  it('keeps the caller\'s header form and own cookies; a cookie the caller names wins', async () => {
    const jar = new CookieJar();
    jar.store(`${BASE}/`, new Headers([['set-cookie', 'a=1; Path=/'], ['set-cookie', 'b=2; Path=/']]));
    const s = server();
    const f = jar.wrap(s.fetch);
    await f(`${BASE}/api`, { headers: { Cookie: 'b=mine; c=3', accept: 'application/json' } });
    await f(`${BASE}/api`, { headers: new Headers({ cookie: 'a=mine' }) });
    await f(new Request(`${BASE}/api`, { headers: { 'x-k': 'v' } }));
    expect(s.sent).toEqual(['b=mine; c=3; a=1', 'a=mine; b=2', 'a=1; b=2']);
    const init = (s.fetch as unknown as ReturnType<typeof vi.fn>).mock.calls[0]![1] as RequestInit;
    expect(init.headers).toEqual({ accept: 'application/json', cookie: 'b=mine; c=3; a=1' });
  });

  it('keeps cookies per origin: another port or host never gets them; ws:// shares them with http://', () => {
    const jar = new CookieJar();
    jar.store(`${BASE}/api`, new Headers({ 'set-cookie': 'k=v; Path=/' }));
    expect(jar.header(`${BASE}/api/x`)).toBe('k=v');
    expect(jar.header('ws://127.0.0.1:8888/api/events/subscribe')).toBe('k=v');
    expect(jar.header('http://127.0.0.1:8889/api/x')).toBeUndefined();
    expect(jar.header('http://localhost:8888/api/x')).toBeUndefined();
    expect(jar.header('https://127.0.0.1:8888/api/x')).toBeUndefined();
  });

  it('honours Path (and its default), Secure, Max-Age and Expires; Max-Age=0 deletes', () => {
    const jar = new CookieJar();
    jar.store('https://hub.test/user/ana/api/me', new Headers([
      ['set-cookie', 'scoped=1; Path=/user/ana'],
      ['set-cookie', 'dflt=2'],
      ['set-cookie', 'sec=3; Secure; Path=/'],
      ['set-cookie', 'old=4; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/'],
      ['set-cookie', 'brief=5; Max-Age=0; Path=/'],
    ]));
    expect(jar.header('https://hub.test/user/ana/api/kernels')).toBe('scoped=1; dflt=2; sec=3');
    expect(jar.header('https://hub.test/user/ana')).toBe('scoped=1; sec=3');
    expect(jar.header('https://hub.test/user/anna/api')).toBe('sec=3');
    jar.store('https://hub.test/', new Headers({ 'set-cookie': 'sec=gone; Max-Age=0; Path=/' }));
    expect(jar.header('https://hub.test/x')).toBeUndefined();
  });

  it('expires a cookie once its Max-Age has passed', () => {
    vi.useFakeTimers();
    try {
      const jar = new CookieJar();
      jar.store(`${BASE}/`, new Headers({ 'set-cookie': 'short=1; Max-Age=2; Path=/' }));
      expect(jar.header(`${BASE}/api`)).toBe('short=1');
      vi.advanceTimersByTime(2001);
      expect(jar.header(`${BASE}/api`)).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('splits a Set-Cookie header that a fetch without getSetCookie joined, commas in Expires included', () => {
    const jar = new CookieJar();
    const joined = { get: () => 'a=1; expires=Fri, 01 Jan 2100 13:22:36 GMT; Path=/, b=2; Path=/' } as unknown as Headers;
    jar.store(`${BASE}/`, joined);
    expect(jar.header(`${BASE}/api`)).toBe('a=1; b=2');
  });

  it('lists every value, quoted and unquoted, for redaction', () => {
    const jar = new CookieJar();
    jar.store(`${BASE}/`, new Headers({ 'set-cookie': `${ID}=${VALUE}; Path=/` }));
    expect(jar.values()).toEqual([VALUE, VALUE.slice(1, -1)]);
  });
});

describe('JupyterClient and its cookie jar', () => {
  it('one jar per client: a second client neither sends nor sees the first one\'s cookies', async () => {
    let n = 0;
    const s = server(() => [`${ID}=identity-${++n}; Path=/`]);
    const a = new JupyterClient({ baseUrl: BASE, token: 't', fetch: s.fetch });
    const b = new JupyterClient({ baseUrl: BASE, token: 'u', fetch: s.fetch });
    await a.version();
    await a.version();
    await b.version();
    expect(s.sent).toEqual([null, `${ID}=identity-1`, null]);
    expect(cookieJarOf(a)).not.toBe(cookieJarOf(b));
  });

  it('keeps cookie values out of errors, even when the server echoes one in its message', async () => {
    const secret = 'c0ffee-identity-cookie-value';
    const fetch = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
      const cookie = new Headers(init?.headers).get('cookie');
      const headers = new Headers({ 'content-type': 'application/json', 'set-cookie': `${ID}=${secret}; Path=/` });
      return cookie
        ? new Response(JSON.stringify({ message: `no file for ${cookie}`, reason: null }), { status: 404, headers })
        : new Response('{"version": "2.21.1"}', { status: 200, headers });
    }) as unknown as typeof globalThis.fetch;
    const jupyter = new JupyterClient({ baseUrl: BASE, token: 't', fetch });
    await jupyter.version();
    const err = await jupyter.contents.get('x.txt').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    const text = JSON.stringify(err) + String((err as Error).stack) + (err as Error).message;
    expect(text).not.toContain(secret);
    expect((err as NotFoundError).headers['set-cookie']).toBe('***');
  });
});
